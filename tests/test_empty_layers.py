"""A layer declared before its first feature (an empty FeatureCollection) builds, exports and renders.

The data comes from `bench/synth.py 0 --lines 0 --polygons 0`, run as its command line: a copy of
data/ with an empty Point, LineString and Polygon layer declared in layers.yaml, and a map `bench`
showing only them. Publishing them is tested with the other PostGIS tests (tests/test_publish.py).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyogrio
import pytest

from bench import synth
from tests.browser import open_map
from tests.conftest import run_geo
from tests.test_static_render import svg_texts

EMPTY_LAYERS = {"bench_points": "Point", "bench_lines": "LineString", "bench_polygons": "Polygon"}


@pytest.fixture(scope="module")
def empty_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("empty-layers") / "data"
    assert synth.main([str(data), "0", "--lines", "0", "--polygons", "0"]) == 0
    for layer_id in EMPTY_LAYERS:
        document = json.loads((data / "layers" / f"{layer_id}.geojson").read_text(encoding="utf-8"))
        assert document == {"type": "FeatureCollection", "features": []}
    return data


def test_empty_layers_validate_and_are_listed_with_no_feature(empty_data):
    result = run_geo("--data", str(empty_data), "validate")
    assert result.returncode == 0, result.stdout + result.stderr
    listed = run_geo("--data", str(empty_data), "list")
    assert listed.returncode == 0, listed.stderr
    for layer_id, geometry_type in EMPTY_LAYERS.items():
        assert re.search(rf"^{layer_id}  .+  \(0 features, {geometry_type}\)$", listed.stdout, re.M), listed.stdout


@pytest.mark.browser
def test_a_map_of_empty_layers_builds_and_its_page_lists_each_with_zero(empty_data, browser, tmp_path):
    out = tmp_path / "maps"
    result = run_geo("--data", str(empty_data), "build", "--out", str(out), "bench")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    page, log = open_map(browser, out / "bench.html", viewport=(1024, 768))
    try:
        listed = page.evaluate("""() => [...document.querySelectorAll('.atlas-panel label')]
            .map(label => label.textContent.replace(/\\s+/g, ' ').trim())""")
        for title in ("Synthetic stations, towns and crossings", "Synthetic railway lines", "Synthetic reservoirs"):
            assert f"{title} (0)" in listed, listed
        assert page.evaluate("atlas.visibleIds()") == []
        # Nothing to filter by: no empty filter boxes, no "Filters" heading over nothing.
        assert page.locator("fieldset.atlas-filter").count() == 0
        assert not page.get_by_role("heading", name="Filters").is_visible()
        assert log.page_errors == [] and log.console_errors == []
    finally:
        page.close()


def test_empty_layers_export_with_their_geometry_type_and_render(empty_data, tmp_path):
    formats = [arg for fmt in ("gpkg", "geojson", "shp") for arg in ("--format", fmt)]
    exported = run_geo("--data", str(empty_data), "export", "--out", str(tmp_path / "gis"), *formats)
    assert exported.returncode == 0, exported.stderr
    for layer_id, geometry_type in EMPTY_LAYERS.items():
        info = pyogrio.read_info(tmp_path / "gis" / "atlas.gpkg", layer=layer_id)
        assert (info["features"], info["geometry_type"]) == (0, geometry_type), layer_id
        assert pyogrio.read_info(tmp_path / "gis" / "geojson" / f"{layer_id}.geojson")["features"] == 0
        shapefile = f"/vsizip/{tmp_path / 'gis' / 'shp' / f'{layer_id}.shp.zip'}/{layer_id}.shp"
        assert pyogrio.read_info(shapefile)["features"] == 0
    sheets = tmp_path / "sheets"
    rendered = run_geo("--data", str(empty_data), "render", "--out", str(sheets), "--format", "svg", "bench")
    assert rendered.returncode == 0, rendered.stderr
    texts = "\n".join(svg_texts(sheets / "bench.svg"))
    assert "Scale benchmark - synthetic stations, lines and reservoirs" in texts and "Natural Earth" in texts
