"""The non-spatial side of the GeoPackage: record tables and link tables keyed by ids.

The flat layer columns keep joined ids as '; '-joined text (see flatten.py); a database user
wants real relations instead, so the GeoPackage also holds one table per record kind (projects,
events, figures, sources, flattened the same way) and one link table per list of ids, with the
list position kept so the catalog order survives.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd
from pydantic import BaseModel

from geo import links
from geo.export.flatten import flatten_record
from geo.models import Event, Figure, Project, Source

if TYPE_CHECKING:
    from geo.export.context import ExportContext

RECORD_TABLES = ("projects", "events", "figures", "sources")
# Every value of every figure, the primary one first: where sources disagree, a row each.
VALUE_TABLE = "figure_values"
VALUE_COLUMNS = ("figure_id", "position", "primary", "value", "unit", "qualifier", "sources", "note", "conflicts")
VALUE_TYPES = {"position": "int", "primary": "bool", "value": "float", "conflicts": "bool"}
# Where each independent source puts a feature (FeatureProperties.positions), a row each.
POSITION_TABLE = "feature_positions"
POSITION_COLUMNS = ("layer", "feature_id", "position", "lon", "lat", "source_id", "ref", "off_m")
POSITION_TYPES = {"position": "int", "lon": "float", "lat": "float", "off_m": "float"}
# Columns the figures table has beyond the model's fields.
FIGURE_EXTRA = ("conflicts", "measured")
MODELS: dict[str, type[BaseModel]] = {"projects": Project, "events": Event, "figures": Figure, "sources": Source}
# Link-table columns not named here are text (ids).
LINK_TYPES = {"position": "int", "direct": "bool"}

# (table, the record kind it starts from, the list field, the id column it links to): geo.links'.
RECORD_LINKS = tuple((link.table, link.owner, link.field, link.target_column) for link in links.RECORD_LINKS)
# (table, the joined column of the layer rows, the id column it links to)
FEATURE_LINKS = tuple((link.table, link.joined, link.target_column) for link in links.FEATURE_LINKS)
TABLE_NAMES = (
    RECORD_TABLES
    + (VALUE_TABLE, POSITION_TABLE)
    + tuple(t[0] for t in RECORD_LINKS)
    + tuple(t[0] for t in FEATURE_LINKS)
)


def _column_type(values: list[Any]) -> str:
    present = [value for value in values if value is not None]
    if present and len(present) == len(values) and all(isinstance(v, bool) for v in present):
        return "bool"
    if present and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "float"
    return "str"


_DTYPES: dict[str, type[object] | str] = {"bool": bool, "int": "int64", "float": "float64"}


def typed_frame(
    rows: Sequence[Mapping[str, Any]], columns: Sequence[str], types: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """A frame whose columns are bool, int64, float64 or object (text, None for null).

    Types come from `types` or, failing that, from the values. Text stays object dtype so that
    null is None in every writer; numbers become float64 so that a missing number is a null.
    """
    data: dict[str, pd.Series] = {}
    for column in columns:
        values = [row.get(column) for row in rows]
        kind = (types or {}).get(column) or _column_type(values)
        if kind == "float":
            values = [float("nan") if value is None else value for value in values]
        dtype = _DTYPES.get(kind, object)
        data[column] = pd.Series(values, dtype=dtype)
    return pd.DataFrame(data, columns=list(columns))


def record_table(records: Iterable[BaseModel], model: type[BaseModel]) -> pd.DataFrame:
    """One row per record, its fields flattened exactly like the layer columns."""
    rows = [flatten_record(record.model_dump(mode="json")) for record in records]
    return typed_frame(rows, list(model.model_fields))


def alternative_text(alternative: Any) -> str:
    """One alternative value as a reader writes it: '513 km2 (ref-bse-kayrakkum-reservoir)'."""
    hedge = "" if alternative.qualifier.value == "exact" else f" {alternative.qualifier.value}"
    text = f"{alternative.value:g} {alternative.unit.value}{hedge} ({', '.join(alternative.sources)})"
    return f"{text}: {alternative.note}" if alternative.note else text


def figures_table(catalog: Any) -> pd.DataFrame:
    """The figures, flattened, with their alternatives as text, a conflict flag and the measured size."""
    from geo.measures import measured_size

    rows = []
    for figure in catalog.figures.values():
        row = flatten_record(figure.model_dump(mode="json", exclude={"alternatives"}))
        row["alternatives"] = "; ".join(alternative_text(a) for a in figure.alternatives) or None
        row["conflicts"] = figure.conflicts
        row["measured"] = measured_size(catalog, figure)
        rows.append(row)
    types = {"value": "float", "tolerance_pct": "float", "measured": "float", "conflicts": "bool"}
    return typed_frame(rows, [*Figure.model_fields, *FIGURE_EXTRA], types)


def projects_table(catalog: Any) -> pd.DataFrame:
    """The projects, flattened, with status_stale: the status is over a year old at the reference date."""
    from geo.status_age import is_stale, reference_date

    when = reference_date(catalog)
    rows = []
    for project in catalog.projects.values():
        row = flatten_record(project.model_dump(mode="json"))
        row["status_stale"] = is_stale(project.status, project.status_as_of, when)
        rows.append(row)
    return typed_frame(rows, [*Project.model_fields, "status_stale"], {"status_stale": "bool"})


def figure_values_table(catalog: Any) -> pd.DataFrame:
    """One row per value of each figure (position 1 is the primary), each with its own sources."""
    from geo.models import in_unit_of

    rows = []
    for figure in catalog.figures.values():
        values = [(figure, True), *((a, False) for a in figure.alternatives)]
        for position, (value, primary) in enumerate(values, start=1):
            converted = in_unit_of(value.value, value.unit, figure.unit)
            rows.append(
                {
                    "figure_id": figure.id,
                    "position": position,
                    "primary": primary,
                    "value": value.value,
                    "unit": value.unit.value,
                    "qualifier": value.qualifier.value,
                    "sources": "; ".join(value.sources),
                    "note": value.note,
                    "conflicts": not primary and (converted is None or converted != figure.value),
                }
            )
    return typed_frame(rows, VALUE_COLUMNS, VALUE_TYPES)


def feature_positions_table(ctx: ExportContext) -> pd.DataFrame:
    """Every recorded source position of the exported features, with its distance from the geometry."""
    from geo.validate import position_spread_m

    rows = []
    for layer_id in ctx.layer_ids:
        selected = set(ctx.joined[layer_id]["id"])  # the --layer/--bbox selection
        for feature in ctx.catalog.layers[layer_id].features:
            if feature.id not in selected:
                continue
            feature_id = feature.id
            for position, recorded in enumerate(feature.properties.positions, start=1):
                off_m, _ = position_spread_m(feature.geometry, [recorded])
                rows.append(
                    {
                        "layer": layer_id,
                        "feature_id": feature_id,
                        "position": position,
                        "lon": recorded.lon,
                        "lat": recorded.lat,
                        "source_id": recorded.source,
                        "ref": recorded.ref,
                        "off_m": round(off_m, 1),
                    }
                )
    return typed_frame(rows, POSITION_COLUMNS, POSITION_TYPES)


def _links(pairs: Iterable[tuple[dict[str, Any], Sequence[str]]], target: str) -> list[dict[str, Any]]:
    return [
        {**key, target: linked, "position": position}
        for key, ids in pairs
        for position, linked in enumerate(ids, start=1)
    ]


def gpkg_tables(ctx: ExportContext) -> dict[str, pd.DataFrame]:
    """Every non-spatial table, in a fixed order: records, record links, then feature links."""
    catalog = ctx.catalog
    records: dict[str, Mapping[str, Project | Event | Figure | Source]] = {
        "projects": catalog.projects,
        "events": catalog.events,
        "figures": catalog.figures,
        "sources": catalog.sources,
    }
    tables: dict[str, pd.DataFrame] = {}
    for name in RECORD_TABLES:
        if name == "figures":
            tables[name] = figures_table(catalog)
        elif name == "projects":
            tables[name] = projects_table(catalog)
        else:
            tables[name] = record_table(records[name].values(), MODELS[name])
    tables[VALUE_TABLE] = figure_values_table(catalog)
    tables[POSITION_TABLE] = feature_positions_table(ctx)
    for table, kind, field, target in RECORD_LINKS:
        key = f"{kind[:-1]}_id"
        rows = _links((({key: r.id}, getattr(r, field)) for r in records[kind].values()), target)
        tables[table] = typed_frame(rows, [key, target, "position"], LINK_TYPES)
    for table, column, target in FEATURE_LINKS:
        pairs = (
            ({"layer": layer_id, "feature_id": row["id"]}, row[column])
            for layer_id in ctx.layer_ids
            for row in ctx.joined[layer_id][["id", column]].to_dict("records")
        )
        rows = _links(pairs, target)
        columns = ["layer", "feature_id", target, "position"]
        if table == "feature_sources":
            own = {
                (layer_id, row["id"]): set(row["sources"])
                for layer_id in ctx.layer_ids
                for row in ctx.joined[layer_id][["id", "sources"]].to_dict("records")
            }
            for row in rows:
                row["direct"] = row[target] in own[(row["layer"], row["feature_id"])]
            columns.append("direct")
        tables[table] = typed_frame(rows, columns, LINK_TYPES)
    return tables
