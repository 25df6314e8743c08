"""The build stamp says "up to date" only for maps made from what is on disk now, and it covers
the code the pages are made by, not every module of the package."""

from __future__ import annotations

from pathlib import Path

from geo.catalog import load_catalog
from geo.webmap.build import build_maps
from geo.webmap.cache import page_code, read_stamp, up_to_date


def test_a_file_saved_during_a_build_leaves_a_stamp_that_rebuilds(data_copy: Path, tmp_path: Path) -> None:
    """The catalog is read, then a data file is saved, then the maps are written: the stamp holds
    the hash of what was read, so the next check sees the change instead of saying up to date."""
    out = tmp_path / "maps"
    catalog = load_catalog(data_copy)  # the build has read the data...
    maps = data_copy / "maps.yaml"
    maps.write_text(
        maps.read_text(encoding="utf-8") + "\n# saved while the build ran\n", encoding="utf-8"
    )  # ...then this
    build_maps(catalog, out, names=["overview"])
    assert not up_to_date(data_copy, out, ("overview",), False)
    rebuilt = load_catalog(data_copy)
    build_maps(rebuilt, out, names=["overview"])
    assert up_to_date(data_copy, out, ("overview",), False)
    assert read_stamp(out)["read"]["maps.yaml"] == rebuilt.files_read["maps.yaml"]
    assert "README.md" not in read_stamp(out)["read"]  # the field dictionary does not change a map


def test_the_stamp_covers_the_code_of_the_pages_not_every_module() -> None:
    package = Path(__file__).resolve().parents[1] / "geo"
    covered = {path.relative_to(package).as_posix() for path in page_code()}
    assert {"catalog.py", "readers.py", "models.py", "measures.py", "webmap/build.py", "webmap/payload.py"} <= covered
    assert not covered & {"validate.py", "cli.py", "publish/read.py", "export/run.py", "static/render.py"}, covered
