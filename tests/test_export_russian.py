"""The exports in Russian too: the Russian texts as columns of their own, and the KML description in both."""

from __future__ import annotations

from pathlib import Path

import pyogrio

from geo.catalog import load_catalog
from geo.fields import FEATURE_FIELDS_BY_NAME
from tests.conftest import run_geo


def test_exports_carry_the_russian_texts_as_columns_and_kml_describes_in_both(tmp_path: Path, data_dir: Path) -> None:
    out = tmp_path / "dist"
    result = run_geo(
        "--data",
        str(data_dir),
        "export",
        "--out",
        str(out),
        "--format",
        "geojson",
        "--format",
        "kml",
        "--format",
        "shp",
        "--layer",
        "dams",
    )
    assert result.returncode == 0, result.stderr
    catalog = load_catalog(data_dir)
    entries = catalog.translations["ru"].entries
    frame = pyogrio.read_dataframe(out / "geojson" / "dams.geojson")  # read back with GDAL
    row = frame.set_index("id").loc["kayrakkum-dam"]
    assert row["note_ru"] == entries[("features", "kayrakkum-dam", "note")].text
    assert row["geometry_source_ru"] == entries[("features", "kayrakkum-dam", "geometry_source")].text
    assert row["note"] == catalog.feature("kayrakkum-dam").properties.note
    for column in ("note_ru", "geometry_source_ru", "project_names_ru"):
        assert column in frame.columns and FEATURE_FIELDS_BY_NAME[column].description  # listed in the field dictionary
    shp = pyogrio.read_dataframe(f"/vsizip/{out / 'shp' / 'dams.shp.zip'}/dams.shp")
    assert {"note_ru", "geom_srcru", "proj_nm_ru"} <= set(shp.columns)
    assert "geometry_source_ru" in (out / "shp" / "dams.fields.csv").read_text(encoding="utf-8")
    kml = (out / "atlas.kml").read_text(encoding="utf-8")
    assert "По-русски" in kml and "Плотина / ГЭС" in kml  # the Russian half of the description
    assert "Примечание" in kml and "Кайраккумская ГЭС" in kml and "Kayrakkum dam and hydropower station" in kml


def test_a_stale_status_says_as_of_when_in_both_halves_of_the_kml(tmp_path: Path, data_dir: Path) -> None:
    out = tmp_path / "dist"
    result = run_geo(
        "--data", str(data_dir), "export", "--out", str(out), "--format", "kml", "--layer", "railway_stations"
    )
    assert result.returncode == 0, result.stderr
    kml = (out / "atlas.kml").read_text(encoding="utf-8")
    # Dostyk's status is from 2023: each half of its description gives the date it was reported at.
    assert "status as of 2023-05-05" in kml
    assert "(статус на 5 мая 2023\u202fг.)" in kml  # a CLDR date (a narrow no-break space before «г.»)
