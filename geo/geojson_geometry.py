"""GeoJSON geometries (RFC 7946) checked for structure, then built into shapely geometries.

Each rule is written once. A layer is checked in one pass first (the common case at scale:
every geometry is fine); only when that pass fails is each geometry checked on its own, with
the same rules, to name what is wrong and where.
"""

from __future__ import annotations

import json
import math
from itertools import chain, repeat
from operator import eq
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.errors import Problem

# How deep the positions sit in each geometry type's coordinates (RFC 7946, section 3.1).
POSITION_DEPTH = {"Point": 0, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}

_NUMBER_TYPES = {int, float}


def build_layer(geometries: list[Any], geometry_type: str) -> list[BaseGeometry] | None:
    """shapely geometries for a layer's raw geometries when every one is well-formed, else None.

    One pass over the whole layer (the common case at scale); the numbers it checked are the
    array points and lines are built from. None sends the caller to geometry_problem, one
    geometry at a time, to name what is wrong.
    """
    if set(map(type, geometries)) != {dict}:
        return None
    if not all(map(eq, map(dict.get, geometries, repeat("type")), repeat(geometry_type))):
        return None
    coordinates: list[Any] = list(map(dict.get, geometries, repeat("coordinates")))
    checked = _checked_numbers(coordinates, POSITION_DEPTH[geometry_type] + 1)
    if checked is None:
        return None
    if geometry_type != "Point" and not all(_parts_problem(c, geometry_type) is None for c in coordinates):
        return None
    numbers, sizes = checked
    if sizes == {2} and geometry_type == "Point":
        return list(shapely.points(numbers.reshape(-1, 2)))
    if sizes == {2} and geometry_type == "LineString":
        return lines_of_positions(numbers.reshape(-1, 2), list(map(len, coordinates)))
    try:
        return [shape(geometry) for geometry in geometries]
    except Exception:  # shapely raises several types; the caller's slow path names the geometry
        return None


def lines_of_positions(positions: np.ndarray, counts: list[int]) -> list[BaseGeometry]:
    """LineStrings in one vectorised call: the positions of every line in order, and each one's count."""
    return list(shapely.linestrings(positions, indices=np.repeat(np.arange(len(counts)), counts)))


def geometry_problem(raw: Any, geometry_type: str, layer_id: str) -> tuple[str, str] | None:
    """(field, message) saying what is wrong with one raw geometry, or None when it is well-formed."""
    if not isinstance(raw, dict):
        return "geometry", "missing geometry (null geometries are not allowed)"
    if raw.get("type") != geometry_type:
        return "geometry.type", f"layer '{layer_id}' holds {geometry_type} geometries, got {raw.get('type')!r}"
    coordinates = raw.get("coordinates")
    depth = POSITION_DEPTH[geometry_type]
    malformed = None if _checked_numbers(coordinates, depth) is not None else _walk_coordinates(coordinates, depth)
    if malformed is None and geometry_type != "Point":
        malformed = _parts_problem(coordinates, geometry_type)
    return None if malformed is None else ("geometry.coordinates", f"malformed coordinates: {malformed}")


_TYPE_IDS = {"Point": 0, "LineString": 1, "Polygon": 3, "MultiPoint": 4, "MultiLineString": 5, "MultiPolygon": 6}


def built_layer_is_sound(geometries: list[BaseGeometry | None], geometry_type: str) -> bool:
    """Whether every built geometry is present, of the layer's type, not empty and finite (one
    vectorised pass; built_geometry_problem names what is wrong with one that is not)."""
    array = np.array(geometries, dtype=object)
    if not len(array):
        return True
    if shapely.is_missing(array).any() or (shapely.get_type_id(array) != _TYPE_IDS[geometry_type]).any():
        return False
    return not shapely.is_empty(array).any() and bool(np.isfinite(shapely.get_coordinates(array)).all())


def built_geometry_problem(geometry: BaseGeometry | None, geometry_type: str, layer_id: str) -> tuple[str, str] | None:
    """geometry_problem for a geometry already built (read from a database as WKB): the same words."""
    if geometry is None:
        return "geometry", "missing geometry (null geometries are not allowed)"
    if geometry.geom_type != geometry_type:
        return "geometry.type", f"layer '{layer_id}' holds {geometry_type} geometries, got {geometry.geom_type!r}"
    if geometry.is_empty:
        return "geometry.coordinates", "malformed coordinates: an empty geometry"
    if not np.isfinite(shapely.get_coordinates(geometry)).all():
        return "geometry.coordinates", "malformed coordinates: a position must be finite numbers"
    return None


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


def _checked_numbers(coordinates: Any, depth: int) -> tuple[np.ndarray, set[int]] | None:
    """Every number of the positions, flat, and the positions' sizes; None unless every level is a
    non-empty list and every position 2 or 3 finite numbers.

    Each test runs over a whole level in C (map, chain): a million positions through Python
    bytecode would be the dearest step of reading a large layer.
    """
    level = [coordinates]
    for _ in range(depth):
        if set(map(type, level)) != {list} or not all(level):
            return None
        level = list(chain.from_iterable(level))
    if not level or set(map(type, level)) != {list}:
        return None
    sizes = set(map(len, level))
    if not sizes <= {2, 3} or not set(map(type, chain.from_iterable(level))) <= _NUMBER_TYPES:
        return None
    numbers = np.fromiter(chain.from_iterable(level), dtype=float)
    return (numbers, sizes) if np.isfinite(numbers).all() else None


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
    if geometry_type == "Point" and raws and set(map(len, (raw["coordinates"] for raw in raws))) == {2}:
        return list(shapely.points(np.array([raw["coordinates"] for raw in raws], dtype=float)))
    if geometry_type == "LineString" and raws:
        lines = [raw["coordinates"] for raw in raws]
        positions = list(chain.from_iterable(lines))
        if set(map(len, positions)) == {2}:
            return lines_of_positions(np.array(positions, dtype=float), list(map(len, lines)))
    built: list[BaseGeometry | None] = []
    for raw, label in zip(raws, labels):
        try:
            built.append(shape(raw))
        except Exception as exc:  # shapely raises several types for malformed coordinates
            problems.append(Problem(file, label, "geometry.coordinates", f"malformed coordinates: {exc}"))
            built.append(None)
    return built
