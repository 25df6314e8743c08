"""A map of 50,000 features goes through the compact path, and a reader loses nothing by it.

bench/synth.py writes 40,000 points, 6,000 lines and 4,000 polygons (over the compact limit of
geo/webmap/compact.py, every layer above its per-layer floor); the map is built once and opened
once, and the browser tests take turns on that page. What they check is what a reader sees: every
feature drawn, clicks at random features opening exactly those (a chooser where several meet),
search by name, and a link that opens one.
"""

from __future__ import annotations

import json
import random
import re

import numpy as np
import orjson
import pytest
import shapely

from geo.cycles import cycle_collection_paused
from geo.webmap import compact
from tests.browser import open_map, screenshot, set_hash, wait_until_still
from tests.conftest import DATA_BLOCK, GENERATED_LAYERS, build_generated_map

POINTS, LINES, POLYGONS = 40_000, 6_000, 4_000
TOTAL = POINTS + LINES + POLYGONS
LAYER_IDS = GENERATED_LAYERS


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> dict:
    made = build_generated_map(tmp_path_factory.mktemp("compact"), POINTS, lines=LINES, polygons=POLYGONS)
    return {"html": made.html, "features": made.features}


def test_varints_round_trip():
    values = np.array([0, 1, -1, 63, -64, 64, 300, -300, 2**31 - 1, -(2**31), 2**40], dtype=np.int64)
    assert compact.read_varints(compact.varints(values, signed=True), signed=True).tolist() == values.tolist()
    unsigned = np.array([0, 127, 128, 16383, 16384, 2**35], dtype=np.int64)
    assert compact.read_varints(compact.varints(unsigned, signed=False), signed=False).tolist() == unsigned.tolist()
    assert len(compact.varints(np.array([5, -5, 60]), signed=True)) == 3  # small steps take one byte each


def test_a_column_or_a_layer_encoded_a_piece_at_a_time_is_the_same_bytes(monkeypatch):
    """Large columns and geometries are encoded in chunks to bound memory; the numbers that run on
    from one string or position to the next must carry across the chunks' edges."""
    rng = np.random.default_rng(3)
    names = [f"Station {n}-{n % 7:03d}" if n % 5 else f"Halt {n}" for n in rng.integers(0, 10**6, 50)]
    lines = [shapely.LineString(rng.uniform(60, 70, (int(k), 2))) for k in rng.integers(2, 9, 30)]
    rings = [shapely.Point(x, y).buffer(0.5, 3) for x, y in rng.uniform(60, 70, (20, 2))]
    accuracy = rng.choice([5.0, 50.0, 5000.0], 30)

    def encoded() -> list:
        templates, steps = compact._templates(names)
        return [
            (templates, steps.tolist()),
            compact.encode_compact_geometries(lines, "LineString", accuracy),
            compact.encode_compact_geometries(rings, "Polygon", accuracy[:20]),
            compact.encode_compact_geometries(shapely.points(rng_points), "Point", accuracy),
        ]

    rng_points = rng.uniform(60, 70, (30, 2))
    whole = encoded()
    monkeypatch.setattr(compact, "TEMPLATE_CHUNK", 3)
    monkeypatch.setattr(compact, "GEOMETRY_CHUNK", 4)
    assert encoded() == whole
    assert compact._fill_templates(whole[0][0], whole[0][1]) == names
    positions, _ = compact.decode_compact_geometries(whole[1])
    assert len(positions) == sum(len(line.coords) for line in shapely.simplify(lines, accuracy / 10 / 111_320))


def _templates_by_regex(values: list[str]) -> tuple[list[str], list[int]]:
    """What _templates means, spelled with a regex over each string: digit runs of at most 15
    (a longer run is several numbers), each a placeholder (with its width when it has leading
    zeros) and the step from the number in the same slot of the last string that had one."""
    templates, steps, last = [], [], {}
    for value in values:
        pieces = re.split(r"([0-9]{1,15})", value)
        for slot, index in enumerate(range(1, len(pieces), 2)):
            digits = pieces[index]
            steps.append(int(digits) - last.get(slot, 0))
            last[slot] = int(digits)
            pieces[index] = "\x01" if digits[0] != "0" or len(digits) == 1 else "\x02" + chr(48 + len(digits))
        templates.append("".join(pieces))
    return templates, steps


def test_templates_read_every_ascii_digit_run_and_nothing_else(monkeypatch):
    """Numbers are read from the strings' UTF-8 bytes: other scripts' digits, characters outside
    the BMP, a lone surrogate, leading zeros and runs longer than an int64 holds stay exact."""
    rnd = random.Random(7)
    alphabet = [*"ab -/.", "Ü", "乌", "\U0001f600", "\u0663", "\ud800", "0", "00"]
    values = [
        "".join(rnd.choice(alphabet) if rnd.random() < 0.6 else str(rnd.randint(0, 10 ** rnd.randint(0, 22)))
                for _ in range(rnd.randint(0, 6)))
        for _ in range(2_000)
    ]  # fmt: skip
    values += ["", "7", "0", "007", "1" * 31, "x" + "0" * 16 + "y"]
    expected = _templates_by_regex(values)
    templates, steps = compact._templates(values)
    assert (templates, steps.tolist()) == expected
    monkeypatch.setattr(compact, "TEMPLATE_CHUNK", 7)  # the slots' numbers carry across chunks
    templates, steps = compact._templates(values)
    assert (templates, steps.tolist()) == expected
    assert compact._fill_templates(templates, steps.tolist()) == values
    assert compact._templates(["a\x01b"]) is None and compact._templates(["\x02"]) is None


def test_decoded_positions_are_those_stepped_one_by_one():
    """The decoder sums a run of features of one precision at once; a position is still (the one
    before, in its feature's unit, plus its step) times its factor, as the page reads them one by one."""
    rng = np.random.default_rng(5)
    lines = [shapely.LineString(rng.uniform(-70, 70, (int(k), 2))) for k in rng.integers(2, 7, 40)]
    accuracy = rng.choice([1.0, 5.0, 50.0, 5000.0, 50_000.0], 40)  # precisions change from feature to feature
    encoded = compact.encode_compact_geometries(lines, "LineString", accuracy)
    positions, _ = compact.decode_compact_geometries(encoded)
    steps = compact.read_varints(compact.unpack(encoded["coords"]), signed=True).reshape(-1, 2).tolist()
    coarse = compact.read_varints(compact.unpack(encoded["coarse"]), signed=False)
    counts = compact.read_varints(compact.unpack(encoded["counts"][0]), signed=False)
    factors = np.repeat(10**coarse, counts).tolist()
    x = y = 0
    expected = []
    for (dx, dy), factor in zip(steps, factors):
        x, y = (x // factor + dx) * factor, (y // factor + dy) * factor
        expected.append((x, y))
    assert len(set(factors)) > 1
    assert (np.rint(positions * 10 ** encoded["decimals"]).astype(np.int64) == np.array(expected)).all()


def test_compact_is_chosen_by_size():
    assert compact.compact_layer_ids({"a": 30_000, "b": 10_000}) == set()
    assert compact.compact_layer_ids({"a": 39_000, "b": 1_500, "c": 2_001}) == {"a", "c"}


def test_data_block_keeps_every_feature_id_attribute_and_position(generated):
    # The block's 50,000 features decoded and compared make millions of objects and no cycle: with
    # the cycle collector running, its full passes over them took most of this test's time.
    with cycle_collection_paused():
        _data_block_matches_the_files(generated)


def _data_block_matches_the_files(generated: dict) -> None:
    html = generated["html"].read_text(encoding="utf-8")
    match = DATA_BLOCK.search(html)
    assert match
    raw = json.loads(match.group(1))
    assert [layer.get("compact") for layer in raw["layers"]] == [True, True, True]
    payload = compact.decode_payload(raw)
    for layer in payload["layers"]:
        features = generated["features"][layer["id"]]
        columns = layer["properties"]
        assert layer["count"] == len(features)
        for name, values in columns.items():
            expected = [f["properties"].get(name) for f in features]
            if name in ("note", "status"):  # absent and null read the same
                assert values == expected, (layer["id"], name)
            else:
                assert [v for v, e in zip(values, expected) if e is not None] == [
                    e for e in expected if e is not None
                ], name
        # Each drawn geometry within a fifth of its feature's stated accuracy of the file's (a
        # tenth for simplification, a tenth for rounding; metres as degrees of latitude).
        accuracy = np.array([f["properties"]["accuracy_m"] for f in features])
        geometry = layer["geometry"]
        if geometry["type"] == "Point":  # two points: their distance is the Hausdorff distance
            source_xy = np.array([f["geometry"]["coordinates"] for f in features])
            off = np.hypot(np.array(geometry["x"]) - source_xy[:, 0], np.array(geometry["y"]) - source_xy[:, 1])
        else:
            drawn = shapely.from_geojson(
                [orjson.dumps({"type": geometry["type"], "coordinates": c}) for c in geometry["coordinates"]]
            )
            source = shapely.from_geojson([orjson.dumps(f["geometry"]) for f in features])
            off = shapely.hausdorff_distance(drawn, source)
        off = off * 111_320 / accuracy
        assert off.max() <= 0.2, (layer["id"], features[int(off.argmax())]["properties"]["id"], off.max())


@pytest.fixture(scope="module")
def compact_page(browser, generated):
    page, log = open_map(browser, generated["html"], viewport=(1440, 900))
    yield page, log
    page.close()


@pytest.mark.browser
def test_every_feature_is_drawn_and_the_dots_are_named(compact_page):
    page, log = compact_page
    assert page.evaluate("[atlas.featureCount(), atlas.drawnCount()]") == [TOTAL, TOTAL]
    drawing = page.evaluate("atlas.compactDrawing()")
    assert set(drawing) == set(LAYER_IDS)
    # The whole region is in the first view: every feature of every layer is on the canvas.
    assert [drawing[i]["inView"] for i in LAYER_IDS] == [POINTS, LINES, POLYGONS]
    assert drawing["bench_points"]["mode"] == "dots"
    note = page.locator(".atlas-dots-note")
    assert "40,000 points in view, each drawn as a dot" in note.text_content()
    # The layer's title is data: isolated from the sentence around it (a U+202E in it reorders nothing).
    title = note.locator("bdi").first.text_content()
    assert title and note.text_content().startswith(title + ":")
    screenshot(page, "compact-first-view")
    assert log.page_errors == [] and log.console_errors == []


@pytest.mark.browser
def test_the_page_reads_back_every_attribute_and_position(compact_page, generated):
    page, _ = compact_page
    rng = random.Random(7)
    sample = [f for layer in LAYER_IDS for f in rng.sample(generated["features"][layer], 100)]
    ids = [f["properties"]["id"] for f in sample]
    records = page.evaluate("(ids) => ids.map((id) => [atlas.record(id), atlas.anchor(id)])", ids)
    for feature, (record, anchor) in zip(sample, records):
        props = feature["properties"]
        for key, value in props.items():
            if key in record:  # what the page carries of a feature (payload.PROPERTY_COLUMNS)
                assert record[key] == value, (props["id"], key, record[key], value)
        if feature["geometry"]["type"] == "Point":
            x, y = feature["geometry"]["coordinates"]
            assert (
                abs(anchor["lng"] - x) * 111_320 <= props["accuracy_m"] / 10
                and abs(anchor["lat"] - y) * 111_320 <= props["accuracy_m"] / 10
            )
    assert page.evaluate("atlas.record('no-such-feature')") is None


# For each id: the map centred on the feature at `zoom`, a real click event at its anchor on the
# screen, and what opened (a popup's feature, or the chooser's list).
CLICK_AT = """([ids, zoom]) => ids.map((id) => {
  atlas.closePopup();
  const at = atlas.anchor(id);
  atlas.setView({lat: at.lat, lng: at.lng, zoom: zoom});
  const p = atlas.screenPoint(id);
  const target = document.elementFromPoint(p.x, p.y);
  for (const type of ['mousedown', 'mouseup', 'click']) {
    target.dispatchEvent(new MouseEvent(type, {clientX: p.x, clientY: p.y, bubbles: true, cancelable: true, button: 0}));
  }
  const open = Array.from(document.querySelectorAll('.leaflet-popup-pane > .leaflet-popup')).pop();  // closed ones fade out
  const popup = open && open.querySelector('.atlas-popup');
  const choices = open ? Array.from(open.querySelectorAll('.atlas-chooser [data-feature-id]')) : [];
  return {id, popup: popup && popup.getAttribute('data-feature-id'), choices: choices.map((b) => b.getAttribute('data-feature-id'))};
})"""


@pytest.mark.browser
def test_clicks_at_random_features_open_exactly_those(compact_page, generated):
    page, log = compact_page
    rng = random.Random(20)
    ids = [
        f["properties"]["id"]
        for layer in LAYER_IDS
        for f in rng.sample(
            generated["features"][layer], {"bench_points": 30, "bench_lines": 12, "bench_polygons": 8}[layer]
        )
    ]
    results = page.evaluate(CLICK_AT, [ids, 14])
    wrong = [r for r in results if r["popup"] != r["id"] and r["id"] not in r["choices"]]
    assert wrong == []
    # Zoomed far out, points meet under the pointer: a chooser names them, the clicked one first.
    crowded = page.evaluate(CLICK_AT, [ids[:3], 5])
    assert all(r["popup"] is None and r["choices"][0] == r["id"] and len(r["choices"]) > 1 for r in crowded), crowded
    last = ids[2]  # its chooser is the one still open
    page.locator(f'.atlas-chooser [data-feature-id="{last}"]').click()
    page.locator(f'.leaflet-popup-content .atlas-popup[data-feature-id="{last}"]').wait_for(
        state="visible", timeout=3_000
    )
    page.evaluate("atlas.closePopup()")
    wait_until_still(page)
    assert log.page_errors == []


@pytest.mark.browser
def test_search_finds_a_feature_by_name_and_a_link_reopens_it(compact_page, generated):
    page, log = compact_page
    feature = generated["features"]["bench_lines"][4321]["properties"]
    box = page.locator("#atlas-search-input")
    box.fill(feature["name"])
    hit = page.locator(f'#atlas-search-results [data-feature-id="{feature["id"]}"]')
    hit.wait_for(state="visible", timeout=3_000)
    assert page.locator("#atlas-search-results button").first.get_attribute("data-feature-id") == feature["id"]
    box.fill(feature["name_ru"])  # the Russian name finds it too
    hit.wait_for(state="visible", timeout=3_000)
    box.fill("")
    properties = generated["features"]["bench_points"][31_337]["properties"]
    point = properties["id"]
    set_hash(page, f"#open={point}")
    popup = page.locator(f'.leaflet-popup-content .atlas-popup[data-feature-id="{point}"]')
    popup.wait_for(state="visible", timeout=3_000)
    assert page.evaluate("atlas.state().open") == point
    # Its sources, the feature's own first (a list column, its items coded one after another).
    cited = popup.locator(".atlas-sources li").evaluate_all("items => items.map(li => li.dataset.source)")
    assert properties["sources"] and cited[: len(properties["sources"])] == properties["sources"]
    assert log.page_errors == []
