"""The catalog as rows, one tuple per row in each table's column order, ready for COPY.

Values stay typed (bool, float, list of text, JSON-able values for jsonb, WKB bytes for geometry),
so nothing is joined into text and every value goes to the server as data, never as SQL.
"""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Callable, Iterator, Sequence
from enum import Enum
from typing import Any

import shapely

from geo.catalog import Catalog, Layer
from geo.models import SchemaRecord
from geo.publish.tables import FEATURE_LINKS, RECORD_LINKS, RECORD_MODELS, Schema, Table

Row = tuple[Any, ...]


def _row_maker(table: Table) -> Callable[[SchemaRecord], list[Any]]:
    """A function giving a model's column values: one attrgetter for all fields, then a fix-up only
    where a value is not COPY-ready (an enum, a list of enums, a nested value for jsonb)."""
    names = [c.name for c in table.columns if c.name in table.model_fields]
    model = None
    fixes: list[tuple[int, Callable[[Any], Any]]] = []

    def make(instance: SchemaRecord) -> list[Any]:
        nonlocal model
        if model is None:  # the fix-ups depend on the model's field types, known at the first row
            model = type(instance)
            for index, name in enumerate(names):
                column = next(c for c in table.columns if c.name == name)
                annotation = model.model_fields[name].annotation
                if column.sql_type == "jsonb":
                    fixes.append((index, _json_value(model, name)))
                elif (enum := _enum_in(annotation)) is not None:  # lists stay lists: merge.stage writes literals
                    fixes.append((index, _enum_fix(enum, annotation)))
        values = list(get(instance)) if len(names) > 1 else [get(instance)]
        for index, fix in fixes:
            value = values[index]
            if value is not None:
                values[index] = fix(value)
        return values

    get = operator.attrgetter(*names)
    return make


def _json_value(model: type[SchemaRecord], name: str) -> Callable[[Any], Any]:
    from pydantic import TypeAdapter

    annotation = model.model_fields[name].annotation
    assert annotation is not None  # every model field is annotated
    adapter = TypeAdapter(annotation)
    return lambda value: adapter.dump_json(value).decode()


def array_literal(items: list[str]) -> str:
    """A PostgreSQL text[] literal ('{"a","b"}'): every item quoted, backslash and quote escaped.

    Written by hand because psycopg's array dumper is pure Python and the slowest part of a COPY.
    """
    raw = "".join(items)
    if '"' in raw or "\\" in raw:
        items = [item.replace("\\", "\\\\").replace('"', '\\"') for item in items]
    return '{"' + '","'.join(items) + '"}' if items else "{}"


def _enum_in(annotation: Any) -> type[Enum] | None:
    """The Enum class in a field's annotation (Status, Status | None, list[Unit], ...), or None."""
    import typing

    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return annotation
    for arg in typing.get_args(annotation):
        if (found := _enum_in(arg)) is not None:
            return found
    return None


def _enum_fix(enum: type[Enum], annotation: Any) -> Callable[[Any], Any]:
    """Member → value by a dict lookup (Enum.value is a slow descriptor); lists item by item."""
    import typing

    values = {member: member.value for member in enum}
    inner = annotation
    while typing.get_origin(inner) is not None and typing.get_origin(inner) is not list:
        inner = next((a for a in typing.get_args(inner) if a is not type(None)), inner)
        if inner is annotation:
            break
    if typing.get_origin(inner) is list:
        return lambda items: [values[item] for item in items]
    return values.__getitem__


def model_rows(table: Table, models: Sequence[SchemaRecord]) -> Iterator[Row]:
    """Model fields in column order, then the position in the catalog."""
    make = _row_maker(table)
    for position, model in enumerate(models):
        yield (*make(model), position)


def layer_rows(table: Table, layer: Layer) -> Iterator[Row]:
    """Feature properties, position and the geometry as WKB (lon/lat, exact doubles)."""
    make = _row_maker(table)
    wkbs = shapely.to_wkb([feature.geometry for feature in layer.features], output_dimension=2)
    for position, (feature, wkb) in enumerate(zip(layer.features, wkbs)):
        yield (*make(feature.properties), position, wkb)


def base_rows(stored: dict[str, bytes]) -> Iterator[Row]:
    """The files the catalog keeps byte for byte (atlas.yaml, README.md, base/), by their path in the data directory."""
    for name in sorted(stored):
        content = stored[name]
        yield (name, content, hashlib.sha256(content).hexdigest())


def _list_links(owner_ids_and_lists: Iterator[tuple[str, list[str]]]) -> Iterator[Row]:
    for owner, items in owner_ids_and_lists:
        for position, item in enumerate(items):
            yield (owner, item, position)


def feature_links(catalog: Catalog) -> dict[str, list[Row]]:
    """The catalog's joins of every feature, in one pass: its projects, events, figures and all its sources."""
    links: dict[str, list[Row]] = {name: [] for name, *_ in FEATURE_LINKS}
    projects, events, figures, sources = (links[name] for name, *_ in FEATURE_LINKS)
    for feature in catalog.features():
        props = feature.properties
        fid = feature.id
        if not catalog.has_joins(feature):  # most features of a large layer: only their own sources
            sources.extend((fid, item, position, True) for position, item in enumerate(props.sources))
            continue
        projects.extend((fid, item, position) for position, item in enumerate(props.projects))
        events.extend((fid, e.id, position) for position, e in enumerate(catalog.events_of(feature)))
        figures.extend((fid, f.id, position) for position, f in enumerate(catalog.figures_of(feature)))
        own = set(props.sources)
        sources.extend((fid, s.id, position, s.id in own) for position, s in enumerate(catalog.sources_of(feature)))
    return links


def table_rows(catalog: Catalog, schema: Schema, name: str, cache: dict[str, Any] | None = None) -> Iterator[Row]:
    """The rows of one table of the schema (cache: shared by the calls of one publish)."""
    table = schema.table(name)
    if name in RECORD_MODELS:
        return model_rows(table, list(getattr(catalog, name).values()))
    if name == "layers":
        return model_rows(table, [layer.spec for layer in catalog.layers.values()])
    if name == "maps":
        return model_rows(table, list(catalog.maps.values()))
    if name == "base_files":
        return base_rows(catalog.stored)
    if name == "features":
        return (
            (feature.id, layer.id, position)
            for layer in catalog.layers.values()
            for position, feature in enumerate(layer.features)
        )
    if name in catalog.layers and table.geometry_type:
        return layer_rows(table, catalog.layers[name])
    for link, owner, _, list_field, _, _ in RECORD_LINKS:
        if name == link:
            records = getattr(catalog, owner).values()
            return _list_links((record.id, getattr(record, list_field)) for record in records)
    if name in {link[0] for link in FEATURE_LINKS}:
        cache = {} if cache is None else cache
        if "feature_links" not in cache:
            cache["feature_links"] = feature_links(catalog)
        return iter(cache["feature_links"][name])
    raise KeyError(name)
