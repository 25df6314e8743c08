"""Large GeoJSON layers, read a batch at a time: the same features and the same problems as a whole-file read."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from geo import geojson_reader
from geo.catalog import load_catalog, read_catalog
from geo.errors import DataError, Problem
from geo.geojson_reader import read_geojson, read_geojson_batches


def _feature(number: int, **properties: object) -> dict:
    return {
        "type": "Feature",
        "properties": {"id": f"p-{number}", "name": f"Point {number}", **properties},
        "geometry": {"type": "Point", "coordinates": [68.0 + number / 100, 41.0]},
    }


def _collection(features: list[dict], **members: object) -> dict:
    return {"type": "FeatureCollection", **members, "features": features}


@pytest.fixture
def split_small_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every file takes the large-file path, in batches of at most three features."""
    monkeypatch.setattr(geojson_reader, "SPLIT_FROM_BYTES", 0)
    monkeypatch.setattr(geojson_reader, "BATCH_FEATURES", 3)


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "data" / "layers" / "x.geojson"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def _read(path: Path, tmp_path: Path) -> tuple[list[list[dict]], list[Problem]]:
    problems: list[Problem] = []
    return list(read_geojson_batches(path, tmp_path / "data", problems)), problems


def test_a_large_file_is_read_in_batches_with_the_same_features(tmp_path: Path, split_small_files: None) -> None:
    features = [_feature(n, note="Markup stays text: <b>x</b>", sources=["a", "b"]) for n in range(8)]
    path = _write(tmp_path, json.dumps(_collection(features, name="QGIS writes a name", bbox=[68, 41, 69, 41])))
    batches, problems = _read(path, tmp_path)
    assert problems == []
    assert [len(batch) for batch in batches] == [3, 3, 2]
    assert [feature for batch in batches for feature in batch] == features


def test_batches_stay_under_the_byte_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, split_small_files: None
) -> None:
    # Long features (lines of many vertices) come fewer to a batch, so a batch's parsed JSON stays small.
    features = [_feature(n, note="x" * (2000 if n % 2 else 10)) for n in range(6)]
    path = _write(tmp_path, json.dumps(_collection(features)))
    monkeypatch.setattr(geojson_reader, "BATCH_BYTES", 2500)  # a long feature is ~2.2 kB, a short one 0.2 kB
    batches, _ = _read(path, tmp_path)
    assert [len(batch) for batch in batches] == [3, 2, 1]  # short+long+short, long+short, long
    assert [f["properties"]["id"] for batch in batches for f in batch] == [f"p-{n}" for n in range(6)]


@pytest.mark.parametrize("large", [False, True], ids=["whole file", "batches"])
@pytest.mark.parametrize(
    ("text", "record", "key"),
    [
        # A repeated key inside a feature's properties: orjson would keep the second silently.
        (
            '{"type":"FeatureCollection","features":[%s,{"type":"Feature","properties":{"id":"p-9","name":"a","name":"b"},'
            '"geometry":{"type":"Point","coordinates":[68,41]}}]}',
            "p-9",
            "name",
        ),
        # The same, written with space before the colon (a key the '":' count does not see).
        (
            '{"type":"FeatureCollection","features":[%s,{"type":"Feature","properties":{"id" : "p-9","name":"a","name":"b"},'
            '"geometry":{"type":"Point","coordinates":[68,41]}}]}',
            "p-9",
            "name",
        ),
        # The collection's own members: a second `features` would silently replace the first.
        ('{"type":"FeatureCollection","features":[%s],"features":[]}', "(file)", "features"),
    ],
    ids=["in a feature", "in a feature, spaced", "in the collection"],
)
def test_a_repeated_key_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, large: bool, text: str, record: str, key: str
) -> None:
    if large:
        monkeypatch.setattr(geojson_reader, "SPLIT_FROM_BYTES", 0)
        monkeypatch.setattr(geojson_reader, "BATCH_FEATURES", 2)
    path = _write(tmp_path, text % ",".join(json.dumps(_feature(n)) for n in range(4)))
    problems: list[Problem] = []
    read_geojson(path, tmp_path / "data", problems)
    assert (
        Problem(
            "data/layers/x.geojson", record, key, "duplicate key (a later value would silently replace the earlier)"
        )
        in problems
    )


def test_colons_inside_text_are_not_taken_for_repeated_keys(tmp_path: Path, split_small_files: None) -> None:
    features = [_feature(n, note='a quoted "term": and a time 10:30, "x" :y') for n in range(5)]
    path = _write(tmp_path, json.dumps(_collection(features)))
    batches, problems = _read(path, tmp_path)
    assert problems == []
    assert [f for batch in batches for f in batch] == features


def test_malformed_json_in_a_large_file_names_line_and_column(tmp_path: Path, split_small_files: None) -> None:
    path = _write(tmp_path, '{"type": "FeatureCollection",\n "features": [{"type": "Feature",]}')
    batches, problems = _read(path, tmp_path)
    assert batches == []
    assert [p.message for p in problems] == [
        "malformed JSON at line 2, column 34: Expecting property name enclosed in double quotes"
    ]


def test_a_large_file_that_is_not_a_collection_is_named(tmp_path: Path, split_small_files: None) -> None:
    path = _write(tmp_path, json.dumps({"type": "Feature", "features": [_feature(1)]}))
    batches, problems = _read(path, tmp_path)
    assert batches == []
    assert problems == [Problem("data/layers/x.geojson", "(file)", "type", "expected a GeoJSON FeatureCollection")]


@pytest.mark.parametrize("depth", [1100, 5000])
def test_a_large_file_nested_too_deeply_is_a_problem_not_a_crash(
    tmp_path: Path, split_small_files: None, depth: int
) -> None:
    # Past about 1000 levels every parser gives up (msgspec, orjson, json): a Problem, never a RecursionError.
    text = json.dumps(_collection([_feature(1)])).replace(
        '"name": "Point 1"', '"name": "Point 1", "x": ' + "[" * depth + "]" * depth
    )
    batches, problems = _read(_write(tmp_path, text), tmp_path)
    assert batches == []
    assert [(p.record, p.message) for p in problems] == [("(file)", "malformed JSON: nested too deeply")]


@pytest.fixture
def data_copy(tmp_path: Path, data_dir: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(data_dir, copy)
    return copy


def test_the_catalog_of_batches_equals_the_catalog_of_whole_files(
    data_copy: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = load_catalog(data_dir)
    monkeypatch.setattr(geojson_reader, "SPLIT_FROM_BYTES", 0)
    monkeypatch.setattr(geojson_reader, "BATCH_FEATURES", 2)
    batched = load_catalog(data_copy)
    for layer_id, layer in whole.layers.items():
        assert [f.properties for f in batched.layers[layer_id].features] == [f.properties for f in layer.features]
        assert [f.geometry.wkb for f in batched.layers[layer_id].features] == [f.geometry.wkb for f in layer.features]


def test_a_bad_feature_in_a_later_batch_is_named_by_its_place(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(geojson_reader, "SPLIT_FROM_BYTES", 0)
    monkeypatch.setattr(geojson_reader, "BATCH_FEATURES", 2)
    path = data_copy / "layers" / "cities.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["features"][4] = {"type": "Point", "coordinates": [68, 41]}  # the fifth: in the third batch
    document["features"][6]["properties"]["accuracy_m"] = -1
    path.write_text(json.dumps(document), encoding="utf-8")
    _, problems = read_catalog(data_copy)
    assert [(p.record, p.field, p.message) for p in problems if p.file.endswith("cities.geojson")] == [
        ("#5", "type", "expected a GeoJSON Feature"),
        (document["features"][6]["properties"]["id"], "accuracy_m", "Input should be greater than 0 (got -1)"),
    ]
    with pytest.raises(DataError):
        load_catalog(data_copy)


def test_repeated_text_is_one_string_for_the_features_of_a_batch(data_copy: Path) -> None:
    # Where a geometry came from and the sources it cites repeat from feature to feature; a layer of
    # a million features keeps one string for each, not one per feature.
    catalog = load_catalog(data_copy)
    features = catalog.layers["cities"].features
    by_text: dict[str, set[int]] = {}
    for feature in features:
        for text in (feature.properties.geometry_source, *feature.properties.sources, *feature.properties.country):
            by_text.setdefault(text, set()).add(id(text))
    assert any(len(ids) == 1 for text, ids in by_text.items())
    assert all(len(ids) == 1 for ids in by_text.values()), {t: len(i) for t, i in by_text.items() if len(i) > 1}


def test_repeated_text_is_shared_without_the_parser_s_string_cache(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The fast parser's cache of strings is a table of fixed size with a hash seeded per process:
    two strings may share a slot. Parsed with no cache at all, every repeated string of a batch's
    lists and shared fields is still one object."""
    parse = geojson_reader.pydantic_core.from_json
    monkeypatch.setattr(
        geojson_reader.pydantic_core,
        "from_json",
        lambda raw, **options: parse(raw, **{**options, "cache_strings": False}),
    )
    features = load_catalog(data_copy).layers["cities"].features
    texts = [
        text
        for feature in features
        for text in (feature.properties.geometry_source, *feature.properties.sources, *feature.properties.country)
    ]
    by_text: dict[str, set[int]] = {}
    for text in texts:
        by_text.setdefault(text, set()).add(id(text))
    assert len(by_text) < len(texts)  # texts do repeat in this layer
    assert all(len(ids) == 1 for ids in by_text.values()), {t: len(i) for t, i in by_text.items() if len(i) > 1}


def test_equal_lists_are_one_object_for_every_list_field_of_the_schema(data_copy: Path) -> None:
    # A million features repeat a few lists (["KZ"], one source, none): each kept once. The fields
    # shared are named in geo.layer_file; a list field added to the schema must be named there too.
    from typing import get_origin

    from geo import layer_file
    from geo.models import FeatureProperties

    list_fields = {name for name, info in FeatureProperties.model_fields.items() if get_origin(info.annotation) is list}
    assert set(layer_file._TEXT_LIST_FIELDS) | set(layer_file._RECORD_LIST_FIELDS) == list_fields
    features = load_catalog(data_copy).layers["cities"].features
    for name in sorted(list_fields):
        by_value: dict[str, set[int]] = {}
        for feature in features:
            value = getattr(feature.properties, name)
            if name in layer_file._TEXT_LIST_FIELDS or not value:
                by_value.setdefault(json.dumps(value, default=str), set()).add(id(value))
        assert all(len(ids) == 1 for ids in by_value.values()), name
        assert by_value or name in layer_file._RECORD_LIST_FIELDS  # every city has a country, a source
