"""The context under a map page (data/base/context/) as compact columns: rivers, railways, towns.

The same encodings as the atlas's layers (geo/webmap/encoding.py), at 3 decimals (about 100 m,
the derivation's own rounding). Names travel in English and Russian; rivers carry the points
where the page may write their name, towns their population and the zoom from which Natural
Earth shows them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import shapely

from geo.webmap.encoding import encode_geometries

if TYPE_CHECKING:
    from geo.context_layers import ContextLayers

CONTEXT_DECIMALS = 3
# A river's name is offered at points this far apart along it (degrees); the page writes it once,
# at the point nearest the middle of the view.
RIVER_LABEL_STEP_DEG = 0.6
# Rivers named on the page: Natural Earth's scalerank up to this (the main rivers of the region).
RIVER_LABEL_MAX_SCALERANK = 8


def _label_points(geometry: shapely.Geometry) -> list[list[float]]:
    points: list[list[float]] = []
    for part in shapely.get_parts(geometry):
        length = part.length
        count = max(1, int(length / RIVER_LABEL_STEP_DEG))
        for i in range(count):
            p = shapely.line_interpolate_point(part, (i + 0.5) * length / count)
            points.append([round(p.x, 2), round(p.y, 2)])
    return points


def context_sources(context: ContextLayers) -> set[str]:
    """The source ids of the context's features, whose attributions every page with it carries."""
    return {f.source for f in (*context.rivers, *context.railways, *context.towns) if f.source}


def context_payload(context: ContextLayers) -> dict[str, Any] | None:
    """The page's context, or None when the data directory has none."""
    if not context:
        return None
    rivers, railways, towns = context.rivers, context.railways, context.towns
    return {
        "rivers": {
            "name": [f.name for f in rivers],
            "name_ru": [f.name_ru for f in rivers],
            "kind": [f.kind for f in rivers],
            "labels": [
                _label_points(f.geometry) if f.name and (f.scalerank or 99) <= RIVER_LABEL_MAX_SCALERANK else []
                for f in rivers
            ],
            "geometry": encode_geometries(
                [shapely.multilinestrings(shapely.get_parts(f.geometry)) for f in rivers],
                "MultiLineString",
                CONTEXT_DECIMALS,
            ),
        },
        "railways": {
            "kind": [f.kind for f in railways],
            "geometry": encode_geometries(
                [shapely.multilinestrings(shapely.get_parts(f.geometry)) for f in railways],
                "MultiLineString",
                CONTEXT_DECIMALS,
            ),
        },
        "towns": {
            "name": [f.name for f in towns],
            "name_ru": [f.name_ru for f in towns],
            "population": [f.population or 0 for f in towns],
            "min_zoom": [f.min_zoom for f in towns],
            "geometry": encode_geometries([f.geometry for f in towns], "Point", CONTEXT_DECIMALS),
        },
    }
