"""The data a map page needs, as one JSON-ready dict: column-oriented layers and joined records.

Columns instead of GeoJSON features: each property name appears once per layer instead of once
per feature, and coordinates are rounded to what the features' accuracy can justify; both are
then packed by geo/webmap/encoding.py.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from itertools import chain, compress
from operator import attrgetter
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from geo.credits import attributions, base_attribution
from geo.models import FeatureKind, MapSpec, Status
from geo.status_age import is_stale, reference_date
from geo.style import vocabulary
from geo.webmap.compact import compact_layer_ids, encode_compact_column, encode_compact_geometries, pack_indices
from geo.webmap.context_payload import context_payload, context_sources
from geo.webmap.encoding import decimals_for_each, encode_column, encode_geometries

if TYPE_CHECKING:
    from pydantic import BaseModel
    from shapely.geometry.base import BaseGeometry

    from geo.catalog import Catalog, Layer

PROPERTY_COLUMNS = (
    "id", "name", "name_ru", "name_local", "local_lang", "kind", "country", "status", "status_as_of",
    "status_sources", "schematic", "accuracy_m", "geometry_source", "note", "projects", "sources",
)  # fmt: skip

ENUM_COLUMNS = ("kind", "status")
ENUM_VALUES = {member: member.value for enum in (FeatureKind, Status) for member in enum}

# Country outlines are a backdrop; 3 decimals (about 100 m) is finer than their 1 km simplification.
BASE_DECIMALS = 3


def decimals_for(accuracy_m: float) -> int:
    """Decimal places whose rounding (half a unit) stays under a tenth of the accuracy, 3 to 6."""
    return int(decimals_for_each(np.array([accuracy_m]))[0])


REFERENCE_COLUMNS = ("projects", "events", "figures", "sources")


def layer_payload(
    catalog: Catalog, layer: Layer, *, compact: bool = False, refs: dict[str, set[str]] | None = None
) -> dict[str, Any]:
    """One layer's entry of the data block: plain columns, or packed for size when `compact`.

    `refs` (column -> ids) collects the projects, events, figures and sources the features name.
    Each column is made, encoded and dropped before the next: at a million features a column is
    8 MB of pointers alone, and the nineteen of them at once were the build's peak of memory.
    """
    features = layer.features
    all_props = [feature.properties for feature in features]
    encode = encode_compact_column if compact else encode_column
    properties: dict[str, Any] = {}
    for name, values in _columns(catalog, features, all_props):
        if not _filled(values):  # a column nobody filled in would only repeat null; leave it out
            continue
        if refs is not None and name in REFERENCE_COLUMNS:
            refs[name].update(chain.from_iterable(values))
        properties[name] = encode(values)
    stale = _stale_status(catalog, all_props)
    accuracy = np.fromiter(map(attrgetter("accuracy_m"), all_props), dtype=float, count=len(all_props))
    del all_props
    head = {"id": layer.id, "title": layer.spec.title, "description": layer.spec.description, "count": len(features)}
    geometry_type = layer.spec.geometry_type.value
    geometries = [f.geometry for f in features]
    if compact:
        return {
            **head,
            "compact": True,
            "properties": properties,
            "geometry": encode_compact_geometries(geometries, geometry_type, accuracy),
            "stale_status": pack_indices(stale),
        }
    finest = float(accuracy.min()) if len(accuracy) else 1000.0
    return {
        **head,
        "properties": properties,
        "stale_status": stale,
        "geometry": encode_geometries(geometries, geometry_type, decimals_for(finest)),
    }


def _columns(catalog: Catalog, features: list[Any], all_props: list[Any]) -> Iterator[tuple[str, list[Any]]]:
    """The layer's columns in the data block's order, one at a time: each property, then the ids of
    the events and figures joined to each feature."""
    for name in PROPERTY_COLUMNS:
        values = list(map(attrgetter(name), all_props))  # mapped in C: a million features per column
        if name in ENUM_COLUMNS:  # an enum's .value is slow at 100k features; a dict is not
            values = list(map(ENUM_VALUES.get, values))
        yield name, values
    # Most features of a large layer join no event or figure: they share one empty list.
    joined = catalog.have_joins(features)
    nothing: list[str] = []
    yield "events", [[e.id for e in catalog.events_of(f)] if j else nothing for f, j in zip(features, joined)]
    yield "figures", [[g.id for g in catalog.figures_of(f)] if j else nothing for f, j in zip(features, joined)]


def _stale_status(catalog: Catalog, all_props: list[Any]) -> list[int]:
    """The features whose status is over a year old at build time: "status as of <date>"."""
    dates = list(map(attrgetter("status_as_of"), all_props))
    if not any(dates):
        return []
    when = reference_date(catalog)
    # Judged once per (status, date) pair: a large layer repeats a few of them a million times.
    pairs = list(zip(map(attrgetter("status"), all_props), dates))
    verdicts = {pair: is_stale(*pair, when) for pair in set(pairs)}
    return list(compress(range(len(pairs)), map(verdicts.__getitem__, pairs)))


def _filled(values: list[Any]) -> bool:
    """Whether a column holds anything but null, [] and false (0 counts as false, as == says)."""
    if any(values):  # a true value is none of the three
        return True
    # Every value false: only a value of another type ("", {}) is filled; a list here is [].
    if set(map(type, values)) <= {type(None), list, bool, int, float}:
        return False
    return any(v not in (None, [], False) for v in values)


def _records(pool: Mapping[str, BaseModel], ids: set[str]) -> dict[str, Any]:
    return {i: pool[i].model_dump(mode="json", exclude_none=True) for i in sorted(ids)}


def _add_measured(catalog: Catalog, figures: dict[str, Any]) -> None:
    """A stated length or area gets what the drawn geometry measures beside it; conflicts are flagged."""
    from geo.measures import measured_size

    for figure_id, record in figures.items():
        figure = catalog.figures[figure_id]
        size = measured_size(catalog, figure)
        if size is not None:
            record["measured"] = {"value": size, "unit": figure.unit.value}
        if figure.conflicts:
            record["conflicts"] = True


def country_names(catalog: Catalog) -> dict[str, str]:
    """Each country's English name by ISO code, as the base layer gives it (popups, filters, labels)."""
    return {iso: country.name for iso, country in sorted(catalog.countries.items())}


def base_payload(catalog: Catalog) -> list[dict[str, Any]]:
    """Country outlines under everything, so the map reads without tiles."""
    return [
        {
            "iso": iso,
            "coordinates": encode_geometries([country.geometry], "MultiPolygon", BASE_DECIMALS)["coordinates"][0],
        }
        for iso, country in sorted(catalog.countries.items())
        if country.geometry.geom_type == "MultiPolygon"
    ]


# Country names are offered at points on a grid of this many degrees; the page names each
# country once, at its point nearest the middle of the view, so a name shows at any zoom.
LABEL_GRID_DEG = 1.25
LABEL_MIN_AREA_DEG2 = 0.12


def base_layer_payload(catalog: Catalog) -> dict[str, Any]:
    """The base layer as every map shows it: outlines, their precision and the country label points.

    With the outline map's context (data/base/context/). The same for every map of a build, and cutting the outlines into grid cells is the dearest
    step of building the shipped maps: a build computes it once and hands it to each map_payload
    (no memo outlives the call).
    """
    return {
        "base": base_payload(catalog), "base_decimals": BASE_DECIMALS, "base_labels": _country_labels(catalog),
        "context": context_payload(catalog.context()),  # the outline map's rivers, railways and towns
    }  # fmt: skip


def _country_labels(catalog: Catalog) -> list[dict[str, Any]]:
    """The points where the page may write each country's name (vocabulary "countries"), so the map reads offline.

    Each point is the pole of inaccessibility of the country's part within one grid cell: inside
    the country, and as far from the cell's and the country's edges as possible.
    """
    from shapely.ops import polylabel

    labels = []
    for iso, country in sorted(catalog.countries.items()):
        geometry = country.geometry
        points = []
        for piece in _pieces_in_cells(geometry, _label_cells(geometry)):
            parts = [p for p in getattr(piece, "geoms", [piece]) if p.geom_type == "Polygon"]
            if parts:
                largest = max(parts, key=lambda part: part.area)
                if largest.area >= LABEL_MIN_AREA_DEG2:
                    point = polylabel(largest, tolerance=0.05)
                    points.append([round(point.x, 2), round(point.y, 2)])
        if not points:
            parts = list(getattr(geometry, "geoms", [geometry]))
            point = polylabel(max(parts, key=lambda part: part.area), tolerance=0.05)
            points = [[round(point.x, 2), round(point.y, 2)]]
        labels.append({"iso": iso, "points": points})
    return labels


def _label_cells(geometry: BaseGeometry) -> np.ndarray:
    """The label grid's cells over the geometry's bounds (LABEL_GRID_DEG squares on whole multiples)."""
    step = LABEL_GRID_DEG
    west, south, east, north = geometry.bounds
    xs = np.arange(math.floor(west / step) * step, east, step)
    ys = np.arange(math.floor(south / step) * step, north, step)
    cells: np.ndarray = shapely.box(
        *np.broadcast_arrays(xs[:, None], ys[None, :], xs[:, None] + step, ys[None, :] + step)
    )
    return cells.ravel()


def _pieces_in_cells(geometry: BaseGeometry, cells: np.ndarray) -> list[BaseGeometry]:
    """The country's part in each cell it touches: the cell itself when wholly inside, else the clip.

    Only the cells on the border need cutting; the outline, prepared by the base layer, answers
    the rest. A cell is a rectangle, so GEOS's rectangle clip cuts it, a fifth of the time of the
    general overlay (33 -> 6 ms for the shipped outlines); the pieces are the same polygons.
    """
    touching = shapely.intersects(geometry, cells)
    inside = shapely.contains_properly(geometry, cells)
    pieces = cells.copy()
    border = np.flatnonzero(touching & ~inside)
    for index, (west, south, east, north) in zip(border.tolist(), shapely.bounds(cells[border]).tolist()):
        pieces[index] = shapely.clip_by_rect(geometry, west, south, east, north)
    return list(pieces[touching])


def map_payload(catalog: Catalog, spec: MapSpec, base: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Everything one map shows: its layers, the records joined to them, names and styles.

    `base`: base_layer_payload(catalog), when the caller builds several maps of one catalog.
    """
    compact = compact_layer_ids({layer_id: len(catalog.layers[layer_id].features) for layer_id in spec.layers})
    refs: dict[str, set[str]] = {key: set() for key in REFERENCE_COLUMNS}
    layers = []
    for layer_id in spec.layers:
        own: dict[str, set[str]] = {key: set() for key in REFERENCE_COLUMNS}
        layer = layer_payload(catalog, catalog.layers[layer_id], compact=layer_id in compact, refs=own)
        # What the licences of the layer's sources oblige: in the map's corner while the layer is on.
        layer["credits"] = attributions(catalog, own["sources"])
        layers.append(layer)
        for key in REFERENCE_COLUMNS:
            refs[key] |= own[key]
    context_ids = context_sources(catalog.context())
    project_ids, event_ids, figure_ids, source_ids = (refs[key] for key in REFERENCE_COLUMNS)
    for record_ids, pool in (
        (project_ids, catalog.projects),
        (event_ids, catalog.events),
        (figure_ids, catalog.figures),
    ):
        for record_id in record_ids:
            source_ids.update(pool[record_id].sources)
    for figure_id in figure_ids:  # another source's value needs its source listed too
        for alternative in catalog.figures[figure_id].alternatives:
            source_ids.update(alternative.sources)
    figures = _records(catalog.figures, figure_ids)
    _add_measured(catalog, figures)
    projects = _records(catalog.projects, project_ids)
    when = reference_date(catalog)
    for project_id, record in projects.items():
        project = catalog.projects[project_id]
        if is_stale(project.status, project.status_as_of, when):
            record["status_stale"] = True
    return {
        "map": spec.model_dump(mode="json", exclude_none=True),
        "layers": layers,
        "projects": projects,
        "events": _records(catalog.events, event_ids),
        "figures": figures,
        "sources": _records(catalog.sources, source_ids),
        # The base layer's credit, then what the licences of the map's sources oblige (geo.credits).
        "credits": [
            line
            for line in (
                base_attribution(catalog),
                *attributions(catalog, source_ids | context_ids),
            )
            if line
        ],
        # The outline map's own credits, shown on the map while it is the basemap.
        "context_credits": attributions(catalog, context_ids),
        "vocabulary": {**vocabulary(), "countries": country_names(catalog)},
        **(base if base is not None else base_layer_payload(catalog)),
    }
