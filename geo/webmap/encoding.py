"""Compact encodings for the page's data block, and their inverses (used by tests and tools).

A layer of 100k features is mostly repeated values and coordinates. Two encodings, both
lossless at the chosen precision and undone by atlas.js on load:
- a column with few distinct values is dictionary-coded: {"values": [...], "codes": [i, ...]};
- coordinates are integers in units of 10^-decimals degrees; each line or ring is one flat list
  [x0, y0, dx1, dy1, ...] of its first position and the steps to the next (small numbers).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import numpy as np
import shapely

# Dictionary-code a column when it has at most this share of distinct values.
DICTIONARY_SHARE = 0.25
METRES_PER_DEGREE = 111_320.0


def decimals_for_each(accuracy_m: np.ndarray) -> np.ndarray:
    """Per accuracy: the decimal places whose rounding (half a unit) stays under a tenth of it, 3 to 6."""
    needed = np.ceil(-np.log10(np.maximum(np.asarray(accuracy_m, dtype=float), 0.01) / 10 / METRES_PER_DEGREE))
    decimals: np.ndarray = np.clip(needed, 3, 6).astype(np.int64)
    return decimals


def encode_column(values: list[Any]) -> list[Any] | dict[str, list[Any]]:
    """The column itself, or {"values", "codes"} when that is much smaller."""
    coded = dictionary_codes(values)
    if coded is None:
        return values
    distinct, codes = coded
    return {"values": distinct, "codes": codes.tolist()}


def dictionary_codes(values: list[Any]) -> tuple[list[Any], np.ndarray] | None:
    """A column's distinct values in order of first appearance and each value's index among them;
    None when it has too many distinct values for that to pay. Lists count by their items.

    Mapped over C functions (dict.fromkeys, map): a million-feature column holds a handful of
    values (countries, sources, accuracies), and a Python loop per value would cost seconds.
    """
    if len(values) < 8:
        return None
    kinds = set(map(type, values))
    if list not in kinds:
        keys: list[Any] = values
    elif kinds == {list}:
        keys = list(map(tuple, values))
    else:
        keys = [tuple(v) if isinstance(v, list) else v for v in values]
    first, codes = codes_in_order(keys)
    if len(first) > DICTIONARY_SHARE * len(values):
        return None
    return [list(key) if isinstance(key, tuple) else key for key in first], np.fromiter(
        codes, dtype=np.int64, count=len(keys)
    )


def codes_in_order(keys: list[Any]) -> tuple[list[Any], Iterator[int]]:
    """The distinct keys in order of first appearance (equal keys as one, as a dict counts them:
    1 and 1.0 alike), and each key's index among them, lazily, mapped in C."""
    first = list(dict.fromkeys(keys))
    code_of = dict(zip(first, range(len(first))))
    return first, map(code_of.__getitem__, keys)


def decode_column(column: list[Any] | dict[str, list[Any]]) -> list[Any]:
    if isinstance(column, dict):
        return [column["values"][code] for code in column["codes"]]
    return column


def _split(items: list[Any], offsets: np.ndarray) -> list[list[Any]]:
    """Cut a list at the offsets of a ragged array: offsets [0, 2, 5] -> items[0:2], items[2:5]."""
    bounds = offsets.tolist()
    return [items[start:stop] for start, stop in itertools.pairwise(bounds)]


def encode_geometries(geometries: list[Any], geometry_type: str, decimals: int) -> dict[str, Any]:
    """Every geometry of a layer as scaled integers, lines and rings delta-coded; one vectorised pass."""
    scale = 10**decimals
    array = np.asarray(geometries, dtype=object)
    if geometry_type == "Point":
        xy = np.rint(shapely.get_coordinates(array) * scale).astype(np.int64)
        return {"type": "Point", "decimals": decimals, "x": xy[:, 0].tolist(), "y": xy[:, 1].tolist()}
    if not len(array):  # a new layer before its first feature: shapely cannot tell its type
        return {"type": geometry_type, "decimals": decimals, "coordinates": []}
    if geometry_type == "Polygon":  # the same nesting as a one-polygon multipolygon
        array = shapely.multipolygons(array[:, None])
    _, coords, offsets = shapely.to_ragged_array(array)
    units = np.rint(coords * scale).astype(np.int64)
    steps = units.copy()
    steps[1:] -= units[:-1]
    starts = offsets[0][:-1]  # where each line or ring begins: there the position itself is kept
    steps[starts] = units[starts]
    nested: list[Any] = _split(steps.reshape(-1).tolist(), offsets[0] * 2)
    for level in offsets[1:]:  # rings -> polygons -> features
        nested = _split(nested, level)
    if geometry_type == "Polygon":
        nested = [polygons[0] for polygons in nested]
    return {"type": geometry_type, "decimals": decimals, "coordinates": nested}


def decode_flat(flat: list[int], decimals: int) -> list[list[float]]:
    """[x0, y0, dx1, dy1, ...] back to [[lon, lat], ...]."""
    scale = 10**decimals
    positions, x, y = [], 0, 0
    for index in range(0, len(flat), 2):
        x, y = (flat[index], flat[index + 1]) if index == 0 else (x + flat[index], y + flat[index + 1])
        positions.append([round(x / scale, decimals), round(y / scale, decimals)])
    return positions


def decode_geometries(encoded: dict[str, Any]) -> dict[str, Any]:
    """The plain form: x/y in degrees for points, nested [lon, lat] lists for the rest."""
    decimals, kind = encoded["decimals"], encoded["type"]
    scale = 10**decimals
    if kind == "Point":
        return {"type": kind, "decimals": decimals,
                "x": [round(v / scale, decimals) for v in encoded["x"]],
                "y": [round(v / scale, decimals) for v in encoded["y"]]}  # fmt: skip
    depth = {"LineString": 0, "MultiLineString": 1, "Polygon": 1, "MultiPolygon": 2}[kind]

    def walk(node: list[Any], level: int) -> list[Any]:
        return decode_flat(node, decimals) if level == 0 else [walk(child, level - 1) for child in node]

    return {"type": kind, "decimals": decimals, "coordinates": [walk(c, depth) for c in encoded["coordinates"]]}


def decode_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """A data block with every layer's columns and geometries in plain form."""
    layers = []
    for layer in payload["layers"]:
        if layer.get("compact"):
            raise ValueError(f"layer {layer['id']} is compact: read it with geo.webmap.compact.decode_payload")
        plain = dict(layer)
        plain["properties"] = {name: decode_column(column) for name, column in layer["properties"].items()}
        plain["geometry"] = decode_geometries(layer["geometry"])
        layers.append(plain)
    return {**payload, "layers": layers}
