"""The build at a modest scale keeps every feature: 5,000 points, 500 lines and 50 polygons.

The data comes from bench/synth.py (seeded): a copy of data/ with three layers added the way a
user adds them, and a map `bench` showing them. The embedded data block must hold every feature,
id and attribute of the generated files, and the page must draw all of them and open their popups.
"""

from __future__ import annotations

import json

import pytest

from bench import synth
from geo.style import KIND_STYLES, STATUS_LABELS
from geo.webmap.encoding import decode_payload
from tests.browser import open_map
from tests.conftest import DATA_BLOCK, GENERATED_LAYERS, build_generated_map, file_digest

POINTS, LINES, POLYGONS = 5000, 500, 50
TOTAL = POINTS + LINES + POLYGONS
LAYER_IDS = GENERATED_LAYERS


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict:
    made = build_generated_map(tmp_path_factory.mktemp("scale"), POINTS, lines=LINES, polygons=POLYGONS)
    base = json.loads((made.root / "data" / "base" / "countries.geojson").read_text(encoding="utf-8"))["features"]
    country_names = {country["properties"]["iso_a2"]: country["properties"]["name"] for country in base}
    return {"summary": made.summary, "html": made.html, "features": made.features, "country_names": country_names}


@pytest.fixture(scope="module")
def payload(generated) -> dict:
    match = DATA_BLOCK.search(generated["html"].read_text(encoding="utf-8"))
    assert match, "no atlas-data block in the page"
    return decode_payload(json.loads(match.group(1)))


def test_generated_counts(generated):
    assert generated["summary"]["counts"] == {"bench_points": POINTS, "bench_lines": LINES, "bench_polygons": POLYGONS}
    assert [len(generated["features"][layer_id]) for layer_id in LAYER_IDS] == [POINTS, LINES, POLYGONS]


def test_synth_is_seeded(tmp_path):
    first = synth.generate(tmp_path / "a", 300, seed=3)
    second = synth.generate(tmp_path / "b", 300, seed=3)
    assert first["bytes"] == second["bytes"]
    for name in first["files"].values():
        assert file_digest(tmp_path / "a" / name) == file_digest(tmp_path / "b" / name), name


def test_data_block_keeps_every_feature_id_and_attribute(generated, payload):
    layers = {layer["id"]: layer for layer in payload["layers"]}
    assert [layer["id"] for layer in payload["layers"]] == LAYER_IDS
    for layer_id in LAYER_IDS:
        features = generated["features"][layer_id]
        layer = layers[layer_id]
        columns = layer["properties"]
        assert layer["count"] == len(features)
        assert columns["id"] == [f["properties"]["id"] for f in features]
        for name, values in columns.items():
            assert len(values) == len(features), (layer_id, name)
        for index, feature in enumerate(features):
            props = feature["properties"]
            for name, value in props.items():
                assert name in columns, (layer_id, name)
                assert columns[name][index] == value, (props["id"], name)
            for name, values in columns.items():
                if name not in props:  # an attribute the file leaves out stays empty
                    assert values[index] in (None, [], False), (props["id"], name, values[index])
        _assert_same_geometry(layer["geometry"], features)


def _assert_same_geometry(geometry: dict, features: list[dict]) -> None:
    tolerance = 0.5 * 10 ** -geometry["decimals"] + 1e-9
    if geometry["type"] == "Point":
        assert len(geometry["x"]) == len(geometry["y"]) == len(features)
        for x, y, feature in zip(geometry["x"], geometry["y"], features):
            fx, fy = feature["geometry"]["coordinates"]
            assert abs(x - fx) <= tolerance and abs(y - fy) <= tolerance, feature["properties"]["id"]
        return
    assert len(geometry["coordinates"]) == len(features)
    for coords, feature in zip(geometry["coordinates"], features):
        expected = feature["geometry"]["coordinates"]
        if geometry["type"] == "LineString":
            coords, expected = [coords], [expected]
        elif geometry["type"] == "Polygon" and _depth(coords) == 4:
            # The block may hold a Polygon as a list of one polygon (MultiPolygon nesting).
            assert len(coords) == 1, feature["properties"]["id"]
            coords = coords[0]
        assert [len(ring) for ring in coords] == [len(ring) for ring in expected], feature["properties"]["id"]
        for ring, expected_ring in zip(coords, expected):
            for (x, y), (fx, fy) in zip(ring, expected_ring):
                assert abs(x - fx) <= tolerance and abs(y - fy) <= tolerance, feature["properties"]["id"]


def _depth(value) -> int:
    depth = 0
    while isinstance(value, list) and value:
        value, depth = value[0], depth + 1
    return depth


def _pick(features: dict[str, list[dict]]) -> list[dict]:
    """A few features to open: one per layer, one with markup in its note, one checkpoint, one with no status."""
    points = features["bench_points"]
    chosen = [points[0], features["bench_lines"][7], features["bench_polygons"][3]]
    chosen.append(next(f for f in points if "<script>" in (f["properties"].get("note") or "")))
    chosen.append(next(f for f in points if f["properties"]["kind"] == "border_checkpoint"))
    chosen.append(next(f for f in points[::-1] if f["properties"]["status"] is None))
    return [f["properties"] for f in chosen]


@pytest.fixture(scope="module")
def bench_page(browser, generated):
    """The generated map opened once for the tests below (none of them changes what is drawn)."""
    page, log = open_map(browser, generated["html"])
    yield page, log
    page.close()


@pytest.mark.browser
def test_page_draws_every_feature_and_opens_popups(bench_page, generated):
    page, log = bench_page
    assert page.evaluate("atlas.featureCount()") == TOTAL
    assert page.evaluate("atlas.drawnCount()") == TOTAL
    for props in _pick(generated["features"]):
        fid = props["id"]
        assert page.evaluate("(id) => atlas.focus(id)", fid) is True
        popup = page.locator(f'.leaflet-popup-content .atlas-popup[data-feature-id="{fid}"]')
        popup.wait_for(state="visible", timeout=5_000)
        text = popup.text_content()
        assert popup.locator("h2").text_content() == props["name"]
        for value in (props["name_ru"], props.get("note"), props["geometry_source"], KIND_STYLES[props["kind"]].label):
            if value:
                assert value in text, (fid, value)
        for code in props["country"]:
            assert generated["country_names"].get(code, code) in text, (fid, code)
        if props.get("status"):
            assert STATUS_LABELS[props["status"]] in text, (fid, props["status"])
    assert log.page_errors == []
    assert log.console_errors == []
    assert log.dialogs == []  # a <script> in a note is text, never run


# Each shape's Leaflet bounds against its feature's bounds in the file (lon/lat); the shapes are
# at most ~1.5 degrees across, so 0.01 degrees of slack only absorbs the map's rounding.
SHAPE_BOUNDS = """
(ids) => {
  const found = {};
  for (const key of Object.keys(window)) {
    let value;
    try { value = window[key]; } catch (e) { continue; }
    if (!(window.L && value instanceof L.Map)) continue;
    value.eachLayer((layer) => {
      const feature = layer.atlasFeature;
      if (!feature || !ids.includes(feature.id)) return;
      const b = layer.getBounds ? layer.getBounds() : L.latLngBounds([layer.getLatLng()]);
      found[feature.id] = [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
    });
  }
  return found;
}
"""


@pytest.mark.browser
@pytest.mark.parametrize(
    "layer_id",
    [
        "bench_points",
        "bench_lines",
        "bench_polygons",
    ],
)
def test_page_draws_each_shape_where_the_data_puts_it(bench_page, generated, layer_id):
    import shapely.geometry

    features = generated["features"][layer_id][:25]
    expected = {f["properties"]["id"]: shapely.geometry.shape(f["geometry"]).bounds for f in features}
    page, _ = bench_page
    drawn = page.evaluate(SHAPE_BOUNDS, list(expected))
    assert set(drawn) == set(expected)
    for fid, bounds in expected.items():
        assert all(abs(a - b) <= 0.01 for a, b in zip(drawn[fid], bounds)), (fid, drawn[fid], bounds)
