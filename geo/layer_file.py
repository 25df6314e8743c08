"""A layer file's features: each one's properties validated by the schema, its geometry built.

Large layers are read a batch at a time (geo.geojson_reader) and checked batch-wide in the
common case that everything is well-formed; otherwise feature by feature, so that each problem
names the file, the feature and the field.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from itertools import compress, repeat
from operator import attrgetter, eq, not_
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError
from shapely.geometry.base import BaseGeometry

from geo.errors import Problem
from geo.geojson_geometry import (
    build_geometries,
    build_layer,
    built_geometry_problem,
    built_layer_is_sound,
    geometry_problem,
    lines_of_positions,
)
from geo.geojson_lines import lines_apart
from geo.geojson_reader import FeatureTexts, read_geojson_text_batches
from geo.models import FeatureProperties, LayerSpec
from geo.readers import display_path
from geo.records import pydantic_problems, record_label


@dataclass(frozen=True, slots=True)
class Feature:
    """One feature of a layer: validated properties and a shapely geometry."""

    layer: str
    properties: FeatureProperties
    geometry: BaseGeometry

    @property
    def id(self) -> str:
        return self.properties.id


def read_layer_features(layer: LayerSpec, path: Path, root: Path, problems: list[Problem]) -> list[Feature]:
    """The layer's features, a batch at a time: a batch's parsed JSON is dropped once its
    features are built, so a large layer is never held twice. Problems name file, feature and field."""
    shown = display_path(path, root)
    features: list[Feature] = []
    offset = 0
    for batch in read_geojson_text_batches(path, root, problems):
        read = _lines_read_apart(layer, batch) if isinstance(batch, FeatureTexts) else None
        if read is None:
            raws = batch.parse(problems) if isinstance(batch, FeatureTexts) else batch
            read = _parse_batch(layer, raws, offset, shown, problems)
        features += read
        offset += len(batch)
    return features


def _lines_read_apart(layer: LayerSpec, batch: FeatureTexts) -> list[Feature] | None:
    """A LineString layer's batch with its coordinates read from text straight into numbers
    (geo.geojson_lines); None when that does not apply or anything is amiss, and the batch is then
    read the ordinary way, which names each problem."""
    if layer.geometry_type.value != "LineString":
        return None
    apart = lines_apart(batch.texts, batch.parse_rewritten)
    if apart is None:
        return None
    raws, packed = apart
    validated = _validate_all_properties(raws)
    geometries: list[Any] = list(map(dict.get, raws, repeat("geometry")))  # dicts: lines_apart saw to it
    geometry_types = map(dict.get, geometries, repeat("type"))
    if validated is None or not all(map(eq, geometry_types, repeat("LineString"))):
        return None
    return list(map(Feature, repeat(layer.id), validated, lines_of_positions(packed.positions, packed.counts)))


def _parse_batch(layer: LayerSpec, raws: list[Any], offset: int, shown: str, problems: list[Problem]) -> list[Feature]:
    geometry_type = layer.geometry_type.value  # looked up once: an enum's .value is slow in a hot loop
    validated = _validate_all_properties(raws)
    if validated is not None:  # then every raw is a dict
        built = build_layer(list(map(dict.get, raws, repeat("geometry"))), geometry_type)
        if built is not None:  # the common case: every geometry well-formed, checked batch-wide
            return list(map(Feature, repeat(layer.id), validated, built))
    parsed: list[tuple[FeatureProperties, dict[str, Any]]] = []
    for index, raw in enumerate(raws, start=offset):
        if not isinstance(raw, dict) or raw.get("type") != "Feature":
            problems.append(Problem(shown, f"#{index + 1}", "type", "expected a GeoJSON Feature"))
            continue
        raw_props = raw.get("properties")
        label = record_label(raw_props, index)
        properties = validated[index - offset] if validated else None
        if properties is None:
            try:
                properties = FeatureProperties.model_validate(raw_props)
            except ValidationError as exc:
                problems.extend(pydantic_problems(exc, shown, label))
        geometry = raw.get("geometry")
        malformed = geometry_problem(geometry, geometry_type, layer.id)
        if malformed is not None:
            problems.append(Problem(shown, label, *malformed))
        elif properties is not None and isinstance(geometry, dict):
            parsed.append((properties, geometry))
    geometries = build_geometries([g for _, g in parsed], geometry_type, shown, [p.id for p, _ in parsed], problems)
    return [
        Feature(layer.id, properties, geometry)
        for (properties, _), geometry in zip(parsed, geometries)
        if geometry is not None
    ]


_ALL_PROPERTIES = TypeAdapter(list[FeatureProperties])


def features_of_rows(
    layer: LayerSpec, properties: list[Any], geometries: list[BaseGeometry | None], shown: str, problems: list[Problem]
) -> list[Feature]:
    """A layer's features from rows kept elsewhere (a database table): each one's properties through
    the schema as a file's are, its geometry checked for the layer's type, emptiness and finite
    coordinates. Problems name `shown` (schema.table) and the feature's id."""
    geometry_type = layer.geometry_type.value
    try:
        validated: list[FeatureProperties] | None = _ALL_PROPERTIES.validate_python(properties)
    except ValidationError:
        validated = None
    sound = built_layer_is_sound(geometries, geometry_type)
    if validated is not None and sound:
        return [
            Feature(layer.id, props, geometry) for props, geometry in zip(validated, geometries) if geometry is not None
        ]
    checked = [None if sound else built_geometry_problem(geometry, geometry_type, layer.id) for geometry in geometries]
    features: list[Feature] = []
    for index, (raw, geometry, malformed) in enumerate(zip(properties, geometries, checked)):
        label = record_label(raw, index)
        props = validated[index] if validated is not None else None
        if props is None:
            try:
                props = FeatureProperties.model_validate(raw)
            except ValidationError as exc:
                problems.extend(pydantic_problems(exc, shown, label))
        if malformed is not None:
            problems.append(Problem(shown, label, *malformed))
        elif props is not None and geometry is not None:
            features.append(Feature(layer.id, props, geometry))
    return features


def _validate_all_properties(raws: list[Any]) -> list[FeatureProperties] | None:
    """One pydantic call for a whole batch (a third faster than one per feature); None if any fails.

    Repeated text is shared first (_share_repeated_text). On failure the caller validates
    feature by feature, which names each feature in its problems.
    """
    # map over C functions, not a generator: a layer may hold a million features.
    if set(map(type, raws)) != {dict} or not all(map(eq, map(dict.get, raws, repeat("type")), repeat("Feature"))):
        return None
    properties: list[Any] = list(map(dict.get, raws, repeat("properties")))
    if set(map(type, properties)) == {dict}:
        _share_repeated_text(properties)
    try:
        validated: list[FeatureProperties] = _ALL_PROPERTIES.validate_python(properties)
    except ValidationError:
        return None
    _share_equal_lists(validated)
    return validated


# The list fields of a feature. pydantic makes a new list for each feature, 56 to 64 bytes even
# when empty, where a large layer repeats a few (["KZ"], [], one source): 0.3 GB at a million
# features. The records are frozen and nothing changes a list in place, so equal lists are one object.
# Lists of ids and codes (strings, as the schema has validated them), and lists of recorded positions.
_TEXT_LIST_FIELDS = ("country", "sources", "projects", "status_sources")
_RECORD_LIST_FIELDS = ("positions",)


def _share_equal_lists(records: list[FeatureProperties]) -> None:
    """Make equal lists of strings (and every empty list) of a batch one object (maps over C functions),
    and each string in them one object too."""
    shared: dict[tuple[Any, ...], list[Any]] = {}
    set_field = object.__setattr__  # the records are frozen
    for name in _TEXT_LIST_FIELDS:
        lists = list(map(attrgetter(name), records))
        deque(map(set_field, records, repeat(name), map(shared.setdefault, map(tuple, lists), lists)), maxlen=0)
    # The fast parser makes most repeated strings one object already, but its cache has a fixed
    # number of slots, which two strings may share (its hash is seeded per process): the few
    # distinct lists left are gone through here, so sharing does not rest on that.
    strings: dict[str, str] = {}
    for kept in shared.values():
        kept[:] = map(strings.setdefault, kept, kept)
    empty = shared.setdefault((), [])
    for name in _RECORD_LIST_FIELDS:  # lists of records: only the empty ones
        holders = list(compress(records, map(not_, map(attrgetter(name), records))))
        deque(map(set_field, holders, repeat(name), repeat(empty)), maxlen=0)


# Text that repeats from feature to feature of a layer (where a geometry came from, notes): one
# string object for all, instead of one per feature; about 0.4 kB a feature (bench/render.py).
# The fast parser already makes one object of each repeated string up to 64 characters (country
# codes, source ids; geo.geojson_reader._fast_parse); these fields may hold longer ones. pydantic
# keeps the strings it is given, so the records share them too. Shared within a batch: a table
# of every distinct string of a million-feature layer would cost more than it saves.
_SHARED_TEXT = ("geometry_source", "note", "local_lang")


def _share_repeated_text(properties: list[dict[str, Any]]) -> None:
    """Replace repeated strings in the raw properties by one object each (maps over C functions)."""
    shared: dict[str, str] = {}
    for key in _SHARED_TEXT:
        holders = list(compress(properties, map(dict.__contains__, properties, repeat(key))))
        values = list(map(dict.__getitem__, holders, repeat(key)))
        if set(map(type, values)) <= {str, type(None)}:
            deque(map(dict.__setitem__, holders, repeat(key), map(shared.setdefault, values, values)), maxlen=0)
