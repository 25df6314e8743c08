"""The compact form of a large layer: binary columns, deflated and base64-coded, for maps of 10^5-10^6 features.

A map that carries more than COMPACT_MAP_FEATURES features draws each of its layers above
COMPACT_LAYER_MIN features through the page's compact path (parts/compact.js): one canvas per
layer that draws what is in view, a grid index for clicks, a search scan over the names. Its data
is packed for size instead of for a plain JSON reader:

- coordinates are integers in units of 10^-decimals degrees (the rounding payload.decimals_for
  allows), one flat stream of x, y pairs, each the step from the one before (zigzag varints);
- the geometry's nesting (rings per polygon, positions per line) is counts, also varints;
- a column with few distinct values keeps them as JSON with its codes as varints; any other
  column is its JSON text;
- each of these byte strings is deflated (zlib) and base64-coded; the page inflates them with the
  browser's own DecompressionStream, offline.

Smaller maps keep the plain form (geo/render/encoding.py), which their popups, labels, tooltips
and DOM symbols are built from.
"""

from __future__ import annotations

import base64
import json
import zlib
from typing import Any

import numpy as np
import shapely

from geo.render.encoding import encode_column

# A map with more features than this draws its large layers compactly; a map below it keeps
# every layer in the plain form. The compact form costs labels, tooltips and DOM symbols.
COMPACT_MAP_FEATURES = 40_000
# ... and within such a map, a layer of at most this many features stays plain (the page's limit
# for DOM symbols: such a layer keeps its labels and tooltips).
COMPACT_LAYER_MIN = 2_000
ZLIB_LEVEL = 6  # level 9 packs the bench's million features 2 % smaller in twice the time


def compact_layer_ids(layer_counts: dict[str, int]) -> set[str]:
    """The layers of a map (id -> feature count) that the page draws through its compact path."""
    if sum(layer_counts.values()) <= COMPACT_MAP_FEATURES:
        return set()
    return {layer_id for layer_id, count in layer_counts.items() if count > COMPACT_LAYER_MIN}


def pack(data: bytes) -> str:
    """Deflated (zlib) and base64-coded: ASCII that sits in the JSON block without escapes."""
    return base64.b64encode(zlib.compress(data, ZLIB_LEVEL)).decode("ascii")


def unpack(text: str) -> bytes:
    return zlib.decompress(base64.b64decode(text))


def varints(values: np.ndarray, *, signed: bool) -> bytes:
    """LEB128 varints of an integer array, vectorised (zigzag first when signed)."""
    ints = np.asarray(values, dtype=np.int64)
    unsigned = ((ints << 1) ^ (ints >> 63)).astype(np.uint64) if signed else ints.astype(np.uint64)
    if len(unsigned) == 0:
        return b""
    widths = np.ones(len(unsigned), dtype=np.int64)
    for bits in (7, 14, 21, 28, 35, 42, 49, 56, 63):
        widths += unsigned >= np.uint64(1 << bits)
    ends = np.cumsum(widths)
    starts = ends - widths
    out = np.empty(int(ends[-1]), dtype=np.uint8)
    owner = np.repeat(np.arange(len(unsigned)), widths)
    position = np.arange(len(out)) - starts[owner]
    chunks = (unsigned[owner] >> (np.uint64(7) * position.astype(np.uint64))) & np.uint64(0x7F)
    more = position < (widths[owner] - 1)
    out[:] = chunks.astype(np.uint8) | (more.astype(np.uint8) << 7)
    return out.tobytes()


def read_varints(data: bytes, *, signed: bool) -> np.ndarray:
    """The inverse of varints (tests and tools; the page has its own in parts/compact.js)."""
    raw = np.frombuffer(data, dtype=np.uint8)
    if len(raw) == 0:
        return np.zeros(0, dtype=np.int64)
    last = (raw & 0x80) == 0
    ends = np.flatnonzero(last)
    starts = np.concatenate([[0], ends[:-1] + 1])
    owner = np.repeat(np.arange(len(ends)), ends - starts + 1)
    position = np.arange(len(raw)) - starts[owner]
    parts = (raw.astype(np.uint64) & np.uint64(0x7F)) << (np.uint64(7) * position.astype(np.uint64))
    unsigned = np.zeros(len(ends), dtype=np.uint64)
    np.add.at(unsigned, owner, parts)
    if not signed:
        return unsigned.astype(np.int64)
    return (unsigned >> np.uint64(1)).astype(np.int64) ^ -(unsigned & np.uint64(1)).astype(np.int64)


def encode_compact_geometries(geometries: list[Any], geometry_type: str, decimals: int) -> dict[str, Any]:
    """A layer's geometries as one delta-coded coordinate stream plus the counts that nest it."""
    scale = 10**decimals
    array = np.asarray(geometries, dtype=object)
    if geometry_type == "Polygon" and len(array):  # the nesting of a one-polygon multipolygon
        array = shapely.multipolygons(array[:, None])
    if geometry_type == "Point":
        coords, offsets = shapely.get_coordinates(array), ()
    else:
        _, coords, offsets = shapely.to_ragged_array(array)
    units = np.rint(np.asarray(coords, dtype=float).reshape(-1, 2) * scale).astype(np.int64)
    steps = np.diff(units, axis=0, prepend=np.zeros((1, 2), dtype=np.int64)).reshape(-1)
    return {
        "type": geometry_type,
        "decimals": decimals,
        "coords": pack(varints(steps, signed=True)),
        # innermost first: positions per line or ring, rings per polygon, polygons per feature
        "counts": [pack(varints(np.diff(level), signed=False)) for level in offsets],
    }


def decode_compact_geometries(encoded: dict[str, Any]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Positions in degrees (n x 2) and the offsets of each nesting level, as shapely's ragged arrays."""
    units = np.cumsum(read_varints(unpack(encoded["coords"]), signed=True).reshape(-1, 2), axis=0)
    offsets = [np.concatenate([[0], np.cumsum(read_varints(unpack(c), signed=False))]) for c in encoded["counts"]]
    return units / 10 ** encoded["decimals"], offsets


TEXT_SEPARATOR = "\x00"


def encode_compact_column(values: list[Any]) -> dict[str, Any]:
    """One column of a compact layer, in the smallest of three forms.

    - {"values": [...], "codes": packed varints}: few distinct values;
    - {"text": packed}: every value a string without NUL, joined by NUL (the page keeps the one
      string and cuts a name out of it when it needs one: no object per feature);
    - {"json": packed}: anything else, as JSON text.
    """
    column = encode_column(values)
    if isinstance(column, dict):
        return {"values": column["values"], "codes": pack(varints(np.asarray(column["codes"]), signed=False))}
    if all(isinstance(v, str) and TEXT_SEPARATOR not in v for v in values):
        return {"text": pack(TEXT_SEPARATOR.join(values).encode("utf-8"))}
    return {"json": pack(json.dumps(column, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))}


def decode_compact_column(column: dict[str, Any]) -> list[Any]:
    if "json" in column:
        values: list[Any] = json.loads(unpack(column["json"]))
        return values
    if "text" in column:
        return unpack(column["text"]).decode("utf-8").split(TEXT_SEPARATOR)
    distinct = column["values"]
    return [distinct[code] for code in read_varints(unpack(column["codes"]), signed=False).tolist()]


def compact_layer(head: dict[str, Any], columns: dict[str, list[Any]], geometries: list[Any], geometry_type: str, decimals: int) -> dict[str, Any]:
    """A layer's entry of the data block in compact form; `head` holds its id, title, description, count."""
    return {
        **head,
        "compact": True,
        "properties": {name: encode_compact_column(values) for name, values in columns.items()},
        "geometry": encode_compact_geometries(geometries, geometry_type, decimals),
    }


def decode_compact_layer(layer: dict[str, Any]) -> dict[str, Any]:
    """The plain form of a compact layer (as geo/render/encoding.decode_geometries gives it)."""
    geometry = layer["geometry"]
    positions, offsets = decode_compact_geometries(geometry)
    decimals, kind = geometry["decimals"], geometry["type"]
    rounded = np.round(positions, decimals)
    plain: dict[str, Any] = {"type": kind, "decimals": decimals}
    if kind == "Point":
        plain["x"], plain["y"] = rounded[:, 0].tolist(), rounded[:, 1].tolist()
    else:
        nested: list[Any] = [rounded[a:b].tolist() for a, b in zip(offsets[0][:-1], offsets[0][1:])]
        for level in offsets[1:]:
            nested = [nested[a:b] for a, b in zip(level[:-1].tolist(), level[1:].tolist())]
        if kind == "Polygon":
            nested = [polygons[0] for polygons in nested]
        plain["coordinates"] = nested
    properties = {name: decode_compact_column(column) for name, column in layer["properties"].items()}
    return {**layer, "properties": properties, "geometry": plain}
