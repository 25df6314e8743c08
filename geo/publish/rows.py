"""The catalog as rows, one tuple per row in each table's column order, ready for COPY.

Values stay typed (bool, float, list of text, JSON-able values for jsonb, WKB bytes for geometry),
so nothing is joined into text and every value goes to the server as data, never as SQL.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from enum import Enum
from pathlib import Path
from typing import Any

import shapely
from pydantic import BaseModel

from geo.catalog import Catalog, Layer
from geo.publish.tables import FEATURE_LINKS, RECORD_LINKS, RECORD_MODELS, Schema, Table

Row = tuple[Any, ...]


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _getters(table: Table) -> list[Callable[[BaseModel], Any]]:
    """One function per model column: attribute access for scalars (fast), a JSON dump for nested values."""
    getters: list[Callable[[BaseModel], Any]] = []
    for column in table.columns:
        if column.name not in table.model_fields:
            continue
        name = column.name
        if column.sql_type == "jsonb":
            getters.append(lambda model, name=name: model.model_dump(mode="json", include={name}).get(name))
        else:
            getters.append(lambda model, name=name: _plain(getattr(model, name)))
    return getters


def model_rows(table: Table, models: list[BaseModel]) -> Iterator[Row]:
    """Model fields in column order, then the position in the catalog."""
    getters = _getters(table)
    for position, model in enumerate(models):
        yield (*(get(model) for get in getters), position)


def layer_rows(table: Table, layer: Layer) -> Iterator[Row]:
    """Feature properties, position and the geometry as WKB (lon/lat, exact doubles)."""
    getters = _getters(table)
    wkbs = shapely.to_wkb([feature.geometry for feature in layer.features], output_dimension=2)
    for position, (feature, wkb) in enumerate(zip(layer.features, wkbs)):
        props = feature.properties
        yield (*(get(props) for get in getters), position, wkb)


def base_rows(root: Path) -> Iterator[Row]:
    base = root / "base"
    for path in sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else []:
        content = path.read_bytes()
        yield (path.relative_to(base).as_posix(), content, hashlib.sha256(content).hexdigest())


def _list_links(owner_ids_and_lists: Iterator[tuple[str, list[str]]]) -> Iterator[Row]:
    for owner, items in owner_ids_and_lists:
        for position, item in enumerate(items):
            yield (owner, item, position)


def feature_link_rows(catalog: Catalog, name: str) -> Iterator[Row]:
    """The catalog's joins of every feature: its projects, events, figures and all its sources."""
    for feature in catalog.features():
        props = feature.properties
        joined = catalog.has_joins(feature)
        if name == "feature_projects":
            items = props.projects
        elif name == "feature_events":
            items = [event.id for event in catalog.events_of(feature)] if joined else []
        elif name == "feature_figures":
            items = [figure.id for figure in catalog.figures_of(feature)] if joined else []
        else:
            own = set(props.sources)
            items = [source.id for source in catalog.sources_of(feature)] if joined else list(props.sources)
            for position, item in enumerate(items):
                yield (feature.id, item, position, item in own)
            continue
        for position, item in enumerate(items):
            yield (feature.id, item, position)


def table_rows(catalog: Catalog, schema: Schema, name: str) -> Iterator[Row]:
    """The rows of one table of the schema."""
    table = schema.table(name)
    if name in RECORD_MODELS:
        return model_rows(table, list(getattr(catalog, name).values()))
    if name == "layers":
        return model_rows(table, [layer.spec for layer in catalog.layers.values()])
    if name == "maps":
        return model_rows(table, list(catalog.maps.values()))
    if name == "base_files":
        return base_rows(Path(catalog.root))
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
        return feature_link_rows(catalog, name)
    raise KeyError(name)
