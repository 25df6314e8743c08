"""`geo build` from the outside: files, messages, exit codes, reproducibility and safety of the HTML."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import numpy as np
import pytest
import shapely
import yaml

from geo.errors import DataError, Problem
from geo.webmap.build import drawn_while_checked
from tests.conftest import DATA, DATA_BLOCK, ROOT, edit_feature, file_digest, run_geo, set_properties

MAP_IDS = [spec["id"] for spec in yaml.safe_load((DATA / "maps.yaml").read_text(encoding="utf-8"))]


@pytest.fixture(scope="module")
def fresh_build(built_maps) -> tuple[Path, str]:
    return built_maps


def _tree(path: Path) -> dict[str, str]:
    """The built files; the build stamp is cache bookkeeping (it hashes library versions too)."""
    return {
        p.relative_to(path).as_posix(): file_digest(p)
        for p in sorted(path.rglob("*"))
        if p.is_file() and p.name != ".build-stamp.json"
    }


def test_build_reports_progress_and_sizes(fresh_build):
    out, stdout = fresh_build
    for map_id in MAP_IDS:
        assert re.search(rf"^  wrote {re.escape(str(out / map_id))}\.html \([\d.]+ kB\)$", stdout, re.M), stdout
    assert re.search(rf"^built {len(MAP_IDS) + 1} files into {re.escape(str(out))} \([\d.]+ MB\)$", stdout, re.M)


def test_committed_maps_match_a_fresh_build_of_the_data(fresh_build):
    """maps/ is stale when data/ or the code changed without `geo build`; rebuild and commit."""
    out, _ = fresh_build
    assert _tree(out) == _tree(ROOT / "maps"), "maps/ is stale: run `geo build` and commit maps/"


def test_same_data_gives_byte_identical_html(fresh_build, tmp_path):
    out, _ = fresh_build
    again = tmp_path / "again"
    result = run_geo("build", "--out", str(again), "--force")
    assert result.returncode == 0, result.stderr
    assert _tree(again) == _tree(out)


def test_maps_are_self_contained(fresh_build):
    out, _ = fresh_build
    for map_id in MAP_IDS:
        html = (out / f"{map_id}.html").read_text(encoding="utf-8")
        assert not re.search(r"<script[^>]+src=", html), "a script is loaded from elsewhere"
        assert not re.search(r"<link[^>]+stylesheet", html), "a stylesheet is loaded from elsewhere"
        assert "jquery" not in html.lower() and "bootstrap" not in html.lower() and "awesome-markers" not in html
        assert re.search(r"[0-9a-f]{32}", html) is None, "a random (os.urandom) element id leaked into the page"
        assert '<html lang="en">' in html and "<title>" in html


def test_every_country_name_point_lies_inside_its_country(fresh_build, catalog):
    """The page writes a country's name at one of these points (offline, over the outlines)."""
    out, _ = fresh_build
    payload = json.loads(DATA_BLOCK.search((out / "overview.html").read_text(encoding="utf-8")).group(1))
    assert {label["iso"] for label in payload["base_labels"]} == set(catalog.countries)
    for label in payload["base_labels"]:
        outline = catalog.countries[label["iso"]].geometry
        points = shapely.points(label["points"])
        assert shapely.contains(outline, points).all(), label["iso"]
        assert len({tuple(p) for p in label["points"]}) == len(label["points"]), label["iso"]


def test_a_country_cut_into_grid_cells_gives_the_pieces_of_the_general_overlay(catalog):
    """The rectangle clip that cuts the outlines into the label grid's cells (the dearer step of a
    build) gives the same polygons as shapely's general intersection."""
    from geo.webmap.payload import _label_cells, _pieces_in_cells

    compared = 0
    for iso, country in catalog.countries.items():
        cells = _label_cells(country.geometry)
        touching = cells[shapely.intersects(country.geometry, cells)]
        pieces = _pieces_in_cells(country.geometry, cells)
        overlay = shapely.intersection(country.geometry, touching)
        same = shapely.equals_exact(shapely.normalize(pieces), shapely.normalize(overlay), tolerance=1e-9)
        assert same.all(), (iso, np.flatnonzero(~same)[:5])
        compared += len(pieces)
    assert compared > 1000  # every cell the outlines touch (1,313 for the 22 shipped countries)


def test_cdn_variant_links_leaflet(tmp_path):
    result = run_geo("build", "--out", str(tmp_path), "--cdn", "overview")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "overview.html").read_text(encoding="utf-8")
    # pinned with Subresource Integrity (the exact attributes are checked in test_csp.py)
    assert '<script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js" integrity="sha384-' in html


def test_index_lists_every_map(fresh_build):
    out, _ = fresh_build
    index = (out / "index.html").read_text(encoding="utf-8")
    for spec in yaml.safe_load((DATA / "maps.yaml").read_text(encoding="utf-8")):
        assert f'href="{spec["id"]}.html#lang=en"' in index and f'href="{spec["id"]}.html#lang=ru"' in index
        assert spec["title"].replace('"', "&quot;").replace("'", "&#x27;") in index


def test_data_is_embedded_as_inert_json(fresh_build):
    out, _ = fresh_build
    html = (out / "overview.html").read_text(encoding="utf-8")
    block = re.search(r'<script type="application/json" id="atlas-data">(.*?)</script>', html, re.S).group(1)
    payload = json.loads(block)
    assert [layer["id"] for layer in payload["layers"]] == yaml.safe_load((DATA / "maps.yaml").read_text())[0]["layers"]
    assert "<" not in block and ">" not in block


def test_template_syntax_in_data_is_never_evaluated(data_copy, tmp_path):
    """folium compiles rendered scripts as Jinja templates; data must not go through that."""
    layer = data_copy / "layers" / "cities.geojson"
    document = json.loads(layer.read_text(encoding="utf-8"))
    document["features"][0]["properties"]["note"] = (
        "{{ 7*7 }} {% for i in range(3) %}loop{% endfor %} {{ self.__init__ }} {%"
    )
    layer.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = run_geo("--data", str(data_copy), "build", "--out", str(tmp_path), "overview")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "overview.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }} {% for i in range(3) %}loop{% endfor %} {{ self.__init__ }} {%" in html
    assert "looploop" not in html


def test_first_and_nothing_to_do_builds_end_naming_the_index_and_how_to_open_it(tmp_path):
    """The README's first command (`geo build`, default --out maps) ends telling where the maps are."""
    first = run_geo("--data", str(DATA), "build", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    index = tmp_path / "maps" / "index.html"
    assert index.is_file()
    opener = {"darwin": "open", "win32": "start"}.get(sys.platform, "xdg-open")
    last = (f"open maps/index.html in a browser to see the maps (they work offline): "
            f"{opener} maps/index.html, or {index.resolve().as_uri()}")  # fmt: skip
    assert first.stdout.splitlines()[-1] == last
    before = _tree(tmp_path / "maps")
    second = run_geo("--data", str(DATA), "build", cwd=tmp_path)
    assert second.returncode == 0
    assert second.stdout.splitlines() == ["maps in maps are up to date (use --force to rebuild)", last]
    assert _tree(tmp_path / "maps") == before


def test_a_data_change_triggers_a_rebuild(data_copy, tmp_path):
    assert run_geo("--data", str(data_copy), "build", "--out", str(tmp_path)).returncode == 0
    maps = data_copy / "maps.yaml"
    maps.write_text(maps.read_text(encoding="utf-8").replace("— overview", "— overview (edited)"), encoding="utf-8")
    result = run_geo("--data", str(data_copy), "build", "--out", str(tmp_path))
    assert result.returncode == 0 and "wrote" in result.stdout
    assert "overview (edited)" in (tmp_path / "overview.html").read_text(encoding="utf-8")


def test_unknown_map_is_a_usage_error(tmp_path):
    result = run_geo("build", "--out", str(tmp_path / "never-written"), "atlantis")
    assert result.returncode == 2
    assert (
        "unknown map atlantis (maps: overview, kazakhstan-uzbekistan, kazakhstan-tajikistan, corridors)"
        in result.stderr
    )
    assert not (tmp_path / "never-written").exists()


def test_refuses_to_write_into_the_data_directory(data_copy):
    before = _tree(data_copy)
    result = run_geo("--data", str(data_copy), "build", "--out", str(data_copy / "maps"))
    assert result.returncode == 2  # a usage error, with the same words as `geo export`
    assert "refusing to write into the data directory" in result.stderr
    assert _tree(data_copy) == before


def test_invalid_data_builds_nothing(data_copy, tmp_path):
    layer = data_copy / "layers" / "dams.geojson"
    layer.write_text(
        layer.read_text(encoding="utf-8").replace('"accuracy_m":3000', '"accuracy_m":"far"'), encoding="utf-8"
    )
    result = run_geo("--data", str(data_copy), "build", "--out", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "dams.geojson: kayrakkum-dam: field 'accuracy_m': Input should be a valid number" in result.stderr
    assert not (tmp_path / "out").exists()


def test_a_problem_the_checks_find_while_the_maps_are_drawn_writes_nothing(data_copy, tmp_path):
    """geo.validate's checks run beside the drawing of the pages: what they find is reported as
    `geo validate` reports it, and the maps written before stay as they were."""
    out = tmp_path / "out"
    assert run_geo("--data", str(data_copy), "build", "--out", str(out), "corridors").returncode == 0
    before = _tree(out)
    edit_feature(data_copy, "cities", "khujand", set_properties(country=["UZ"]))
    result = run_geo("--data", str(data_copy), "build", "--out", str(out), "--force")
    assert result.returncode == 1
    assert "khujand: field 'country': lies 26.5 km outside UZ" in result.stderr
    assert "wrote" not in result.stdout
    assert _tree(out) == before


def test_when_drawing_fails_on_data_the_checks_refuse_the_reader_gets_the_problems():
    def fails() -> str:
        raise ValueError("drawing met a geometry it cannot draw")

    problem = Problem("data/layers/cities.geojson", "khujand", "geometry", "not a valid geometry")
    with pytest.raises(DataError) as refused:
        drawn_while_checked([("overview.html", fails)], lambda: [problem])
    assert refused.value.problems == [problem]
    with pytest.raises(ValueError, match="cannot draw"):  # sound data: the failure itself
        drawn_while_checked([("overview.html", fails)], list)
    assert drawn_while_checked([("a.html", lambda: "<p>")], list) == [("a.html", "<p>")]


def test_a_failed_write_leaves_the_previous_files_whole(tmp_path):
    assert run_geo("build", "--out", str(tmp_path), "overview").returncode == 0
    index_before = (tmp_path / "index.html").read_bytes()
    (tmp_path / "corridors.html").mkdir()  # a directory where a map must go: the rename fails
    result = run_geo("build", "--out", str(tmp_path), "--force")
    assert result.returncode == 1
    assert result.stderr.startswith("error: could not write")
    assert (tmp_path / "index.html").read_bytes() == index_before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")], "a temporary file was left behind"
