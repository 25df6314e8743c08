"""GeoJSON geometries (RFC 7946) checked for structure, then built into shapely geometries.

Each rule is written once. A layer is checked in one pass first (the common case at scale:
every geometry is fine); only when that pass fails is each geometry checked on its own, with
the same rules, to name what is wrong and where.
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.errors import Problem

# How deep the positions sit in each geometry type's coordinates (RFC 7946, section 3.1).
POSITION_DEPTH = {"Point": 0, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}

_NUMBER_TYPES = {int, float}


def layer_is_well_formed(geometries: list[Any], geometry_type: str) -> bool:
    """True when every raw geometry is a well-formed geometry of the layer's type (one pass)."""
    if not all(type(g) is dict and g.get("type") == geometry_type for g in geometries):
        return False
    coordinates = [g.get("coordinates") for g in geometries]
    if not _well_formed(coordinates, POSITION_DEPTH[geometry_type] + 1):
        return False
    if geometry_type == "Point":
        return True
    return all(_parts_problem(c, geometry_type) is None for c in coordinates)


def geometry_problem(raw: Any, geometry_type: str, layer_id: str) -> tuple[str, str] | None:
    """(field, message) saying what is wrong with one raw geometry, or None when it is well-formed."""
    if not isinstance(raw, dict):
        return "geometry", "missing geometry (null geometries are not allowed)"
    if raw.get("type") != geometry_type:
        return "geometry.type", f"layer '{layer_id}' holds {geometry_type} geometries, got {raw.get('type')!r}"
    coordinates = raw.get("coordinates")
    depth = POSITION_DEPTH[geometry_type]
    malformed = None if _well_formed(coordinates, depth) else _walk_coordinates(coordinates, depth)
    if malformed is None and geometry_type != "Point":
        malformed = _parts_problem(coordinates, geometry_type)
    return None if malformed is None else ("geometry.coordinates", f"malformed coordinates: {malformed}")


def _parts_problem(coordinates: Any, geometry_type: str) -> str | None:
    """Lines need 2 positions; rings 4 and closed (shapely would quietly close an open ring)."""
    parts = [coordinates] if geometry_type == "LineString" else coordinates
    if geometry_type == "MultiPolygon":
        parts = [ring for polygon in coordinates for ring in polygon]
    for part in parts:
        if geometry_type.endswith("LineString") and len(part) < 2:
            return "a line must have at least 2 positions"
        if geometry_type.endswith("Polygon") and (len(part) < 4 or part[0] != part[-1]):
            return "a polygon ring must be closed (its first position repeated last) with at least 4 positions"
    return None


def _well_formed(coordinates: Any, depth: int) -> bool:
    """True when every level is a non-empty list and every position 2 or 3 finite numbers."""
    level = [coordinates]
    for _ in range(depth):
        flat: list[Any] = []
        for item in level:
            if type(item) is not list or not item:
                return False
            flat.extend(item)
        level = flat
    if not all(type(position) is list and 2 <= len(position) <= 3 for position in level):
        return False
    if not {type(value) for position in level for value in position} <= _NUMBER_TYPES:
        return False
    return bool(np.isfinite(np.array([value for position in level for value in position], dtype=float)).all())


def _walk_coordinates(coordinates: Any, depth: int) -> str | None:
    """The words for what is wrong with nested coordinates (the slow path, for reports)."""
    if depth == 0:
        # JSON gives int, float, bool, str, None, list or dict; only int and float are numbers here.
        if type(coordinates) is list and 2 <= len(coordinates) <= 3:
            if all(type(value) in _NUMBER_TYPES for value in coordinates) and math.isfinite(sum(coordinates)):
                return None
        return f"a position must be [lon, lat] in decimal degrees, got {json.dumps(coordinates)[:60]}"
    if not isinstance(coordinates, list) or not coordinates:
        what = "positions" if depth == 1 else "lists"
        return f"expected a non-empty list of {what}, got {json.dumps(coordinates)[:60]}"
    for item in coordinates:
        if (problem := _walk_coordinates(item, depth - 1)) is not None:
            return problem
    return None


def build_geometries(
    raws: list[dict[str, Any]], geometry_type: str, file: str, labels: list[str], problems: list[Problem]
) -> list[BaseGeometry | None]:
    """shapely geometries for checked GeoJSON geometries; points and lines in one vectorised call."""
    if geometry_type == "Point" and raws and all(len(raw["coordinates"]) == 2 for raw in raws):
        return list(shapely.points(np.array([raw["coordinates"] for raw in raws], dtype=float)))
    if geometry_type == "LineString" and raws and all(len(p) == 2 for raw in raws for p in raw["coordinates"]):
        positions: list[Any] = []
        for raw in raws:
            positions.extend(raw["coordinates"])
        lengths = [len(raw["coordinates"]) for raw in raws]
        indices = np.repeat(np.arange(len(raws)), lengths)
        return list(shapely.linestrings(np.array(positions, dtype=float), indices=indices))
    built: list[BaseGeometry | None] = []
    for raw, label in zip(raws, labels):
        try:
            built.append(shape(raw))
        except Exception as exc:  # shapely raises several types for malformed coordinates
            problems.append(Problem(file, label, "geometry.coordinates", f"malformed coordinates: {exc}"))
            built.append(None)
    return built
