"""The published schema as data: every table, its typed columns, key, foreign keys and comment.

Record and layer columns are derived from the pydantic models, so a field added to a model gets a
column without a change here: text, booleans, double precision, text[] for lists of ids or codes,
jsonb for anything nested (a list of alternative values, say). Descriptions come from the export's
field dictionary (geo/export/flatten.py) and data/README.md, which documents every record field.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from geo import links
from geo.models import (
    Event,
    FeatureProperties,
    Figure,
    LayerSpec,
    MapSpec,
    Project,
    SchemaRecord,
    Source,
)

RECORD_MODELS: dict[str, type[SchemaRecord]] = {
    "sources": Source,
    "projects": Project,
    "events": Event,
    "figures": Figure,
}
# The README section that documents each model's fields.
_README_SECTIONS: dict[type[SchemaRecord], str] = {
    Source: "metadata/sources.yaml",
    Project: "metadata/projects.yaml",
    Event: "metadata/events.yaml",
    Figure: "metadata/figures.yaml",
    FeatureProperties: "layers/\\<layer\\>.geojson",
    LayerSpec: "layers.yaml",
    MapSpec: "maps.yaml",
}


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str  # a PostgreSQL type name, used as written in DDL
    description: str = ""
    not_null: bool = False


@dataclass(frozen=True)
class ForeignKey:
    column: str
    table: str
    target: str = "id"


@dataclass(frozen=True)
class Table:
    """One table the atlas owns: what publish creates, fills by diff and reads back."""

    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    description: str
    foreign_keys: tuple[ForeignKey, ...] = ()
    geometry_type: str | None = None  # layer tables: the column `geom` is geometry(<type>, 4326)
    model_fields: tuple[str, ...] = field(default=())  # columns that are model fields, for read-back

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


def _unwrap(annotation: object) -> tuple[object, bool]:
    """(the annotation without Optional/Annotated, whether None is allowed)."""
    optional = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
            optional = optional or len(args) < len(typing.get_args(annotation))
            if len(args) != 1:
                return annotation, optional
            annotation = args[0]
        else:
            return annotation, optional


def _scalar_type(annotation: object) -> str | None:
    if annotation is bool:
        return "boolean"
    if annotation is float:
        return "double precision"
    if annotation is int:
        return "bigint"
    if annotation is str or (isinstance(annotation, type) and issubclass(annotation, Enum)):
        return "text"
    return None


def sql_type(annotation: object) -> str:
    """The column type for a model field: a scalar type, text[] for lists of text, else jsonb."""
    inner, _ = _unwrap(annotation)
    scalar = _scalar_type(inner)
    if scalar:
        return scalar
    if typing.get_origin(inner) is list:
        (item,) = typing.get_args(inner) or (object,)
        if _scalar_type(_unwrap(item)[0]) == "text":
            return "text[]"
    return "jsonb"


def field_descriptions(dictionary: Mapping[str, dict[str, str]]) -> dict[type[SchemaRecord], dict[str, str]]:
    """Each model's field meanings, from the catalog's field dictionary (data/README.md's tables)."""
    return {model: dict(dictionary.get(section, {})) for model, section in _README_SECTIONS.items()}


def _model_columns(model: type[SchemaRecord], described: dict[str, str]) -> list[Column]:
    columns = []
    for name, info in model.model_fields.items():
        text = described.get(name) or f"{model.__name__}.{name}"
        columns.append(Column(name, sql_type(info.annotation), text, not_null=info.is_required()))
    return columns


def _doc(model: type) -> str:
    return " ".join((model.__doc__ or model.__name__).split())


def _position(what: str) -> Column:
    return Column("position", "integer", f"Order of the {what} in the catalog (0-based)", not_null=True)


# Link tables (geo.links): (table, owner table, owner column, list field, target table, target column).
RECORD_LINKS = tuple(
    (link.table, link.owner, link.owner_column, link.field, link.target, link.target_column)
    for link in links.RECORD_LINKS
)
# Feature links; events, figures and sources are the catalog's joins (the feature's own and its projects').
FEATURE_LINKS = tuple((link.table, link.target_column, link.target, link.description) for link in links.FEATURE_LINKS)


def _link(
    name: str, owner: str, owner_col: str, target: str, target_col: str, text: str, extra: tuple[Column, ...] = ()
) -> Table:
    columns = (
        Column(owner_col, "text", f"Id in {owner}", not_null=True),
        Column(target_col, "text", f"Id in {target}", not_null=True),
        _position("link in its owner's list"),
        *extra,
    )
    return Table(
        name,
        columns,
        (owner_col, target_col),
        text,
        (ForeignKey(owner_col, owner), ForeignKey(target_col, target)),
    )


@dataclass(frozen=True)
class Schema:
    """Every table of a publish, in the order they are filled (parents before children)."""

    records: tuple[Table, ...]
    catalog: tuple[Table, ...]  # layers, maps, base files, the feature registry
    layers: tuple[Table, ...]
    links: tuple[Table, ...]

    @property
    def tables(self) -> tuple[Table, ...]:
        return (*self.catalog, *self.records, *self.layers, *self.links)

    def table(self, name: str) -> Table:
        return next(table for table in self.tables if table.name == name)


FIXED_TABLES = (
    "layers",
    "maps",
    "base_files",
    "features",
    "publish_log",
    "publish_state",
    *RECORD_MODELS,
    *(link[0] for link in RECORD_LINKS),
    *(link[0] for link in FEATURE_LINKS),
)


def view_name(layer_id: str) -> str:
    return f"{layer_id}_view"


def build_schema(layer_specs: list[LayerSpec], dictionary: Mapping[str, dict[str, str]] | None) -> Schema:
    """The tables for these layers; field descriptions from the field dictionary (none: no descriptions)."""
    from geo.fields import FEATURE_FIELDS

    described = field_descriptions(dictionary or {})
    flat = {item.name: item.description for item in FEATURE_FIELDS}
    records = tuple(
        Table(
            name,
            (*_model_columns(model, described.get(model, {})), _position("record in its file")),
            ("id",),
            _doc(model),
            model_fields=tuple(model.model_fields),
        )
        for name, model in RECORD_MODELS.items()
    )
    layer_columns = _model_columns(LayerSpec, described.get(LayerSpec, {}))
    map_columns = _model_columns(MapSpec, described.get(MapSpec, {}))
    catalog = (
        Table(
            "layers",
            (*layer_columns, _position("layer in layers.yaml")),
            ("id",),
            _doc(LayerSpec),
            model_fields=tuple(LayerSpec.model_fields),
        ),
        Table(
            "maps",
            (*map_columns, _position("map in maps.yaml")),
            ("id",),
            _doc(MapSpec),
            model_fields=tuple(MapSpec.model_fields),
        ),
        Table(
            "base_files",
            (
                Column("path", "text", "Path in the data directory (atlas.yaml, README.md, base/...)", not_null=True),
                Column("content", "bytea", "The file's bytes, exactly", not_null=True),
                Column("sha256", "text", "sha256 of content, hex", not_null=True),
            ),
            ("path",),
            "The derived base files (country outlines and their provenance), kept byte for byte so maps built "
            "from the database equal maps built from data/",
        ),
        Table(
            "features",
            (
                Column("id", "text", flat["id"], not_null=True),
                Column("layer", "text", flat["layer"], not_null=True),
                _position("feature in its layer file"),
            ),
            ("id",),
            "Every feature id of every layer: the target of the feature links' foreign keys",
            (ForeignKey("layer", "layers"),),
        ),
    )
    feature_described = {**described.get(FeatureProperties, {}), **{k: v for k, v in flat.items() if "'; '" not in v}}
    feature_columns = _model_columns(FeatureProperties, feature_described)
    layers = tuple(
        Table(
            spec.id,
            (
                *feature_columns,
                _position("feature in its layer file"),
                Column(
                    "geom", f"geometry({spec.geometry_type.value}, 4326)", "Geometry, lon/lat WGS 84", not_null=True
                ),
            ),
            ("id",),
            f"{spec.title}: {spec.description}",
            (ForeignKey("id", "features"),),
            geometry_type=spec.geometry_type.value,
            model_fields=tuple(FeatureProperties.model_fields),
        )
        for spec in layer_specs
    )
    links = tuple(
        _link(name, owner, owner_col, target, target_col, f"{owner}.{list_field}: one row per item, in list order")
        for name, owner, owner_col, list_field, target, target_col in RECORD_LINKS
    ) + tuple(
        _link(
            name,
            "features",
            "feature_id",
            target,
            target_col,
            text,
            (Column("direct", "boolean", "True for the feature's own sources", not_null=True),)
            if name == "feature_sources"
            else (),
        )
        for name, target_col, target, text in FEATURE_LINKS
    )
    return Schema(records, catalog, layers, links)
