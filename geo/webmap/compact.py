"""The compact form of a large layer: binary columns, deflated and base64-coded, for maps of 10^5-10^6 features.

A map that carries more than COMPACT_MAP_FEATURES features draws each of its layers above
COMPACT_LAYER_MIN features through the page's compact path (parts/compact.js): one canvas per
layer that draws what is in view, a grid index for clicks, a search scan over the names. Its data
is packed for size instead of for a plain JSON reader:

- each feature's geometry is simplified and rounded within a fifth of its own accuracy (see
  encode_compact_geometries), one flat stream of x, y steps (zigzag varints);
- the geometry's nesting (rings per polygon, positions per line) is counts, also varints;
- a column with few distinct values keeps them as JSON with its codes as varints; any other
  column is its JSON text;
- each of these byte strings is deflated (zlib) and base64-coded; the page inflates them with the
  browser's own DecompressionStream, offline.

Smaller maps keep the plain form (geo/webmap/encoding.py), which their popups, labels, tooltips
and DOM symbols are built from.
"""

from __future__ import annotations

import base64
import json
import re
import zlib
from itertools import chain
from typing import Any

import numpy as np
import shapely

from geo.geojson_geometry import POSITION_DEPTH
from geo.webmap import encoding
from geo.webmap.encoding import (
    DICTIONARY_SHARE,
    METRES_PER_DEGREE,
    codes_in_order,
    decimals_for_each,
    dictionary_codes,
)

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


def pack_varints(data: bytes) -> str:
    """A stream of varints, packed as `pack` does but deflated run by run (zlib's Z_RLE strategy).

    Codes and steps repeat byte values far more than they repeat longer strings: searching for
    those strings is where the default strategy spends its time. Measured on the benchmark's columns:
    codes 1.7 ms instead of 20.7 ms for 200,000 bytes and 15 % smaller; a line layer's steps 40 ms
    instead of 150 ms, 0.6 % smaller. Text keeps the default, which finds its repeated words.
    """
    packer = zlib.compressobj(ZLIB_LEVEL, zlib.DEFLATED, zlib.MAX_WBITS, 8, zlib.Z_RLE)
    return base64.b64encode(packer.compress(data) + packer.flush()).decode("ascii")


def pack_indices(indices: list[int]) -> str:
    """Ascending feature indices (a compact layer's stale statuses) as packed steps."""
    return pack_varints(varints(np.diff(np.asarray(indices, dtype=np.int64), prepend=0), signed=False))


def unpack(text: str) -> bytes:
    return zlib.decompress(base64.b64decode(text))


VARINT_BATCH = 1 << 20  # values encoded at a time: the work arrays stay tens of megabytes at 10^7 values


def varints(values: np.ndarray, *, signed: bool) -> bytes:
    """LEB128 varints of an integer array, vectorised (zigzag first when signed).

    Encoded a batch at a time (the varints of a whole array are those of its parts, one after
    the other), each batch one pass per byte position: the largest line layer of a million-feature
    map has tens of millions of values, and arrays of one entry per output byte would take gigabytes.
    """
    ints = np.asarray(values, dtype=np.int64)
    return b"".join(_varints(ints[i : i + VARINT_BATCH], signed) for i in range(0, len(ints), VARINT_BATCH))


def _varints(ints: np.ndarray, signed: bool) -> bytes:
    unsigned = ((ints << 1) ^ (ints >> 63)).astype(np.uint64) if signed else ints.astype(np.uint64)
    if unsigned.max() < 0x80:  # one byte each (codes of a few values): the bytes are the values
        return unsigned.astype(np.uint8).tobytes()
    widths = np.ones(len(unsigned), dtype=np.int64)
    for bits in (7, 14, 21, 28, 35, 42, 49, 56, 63):
        widths += unsigned >= np.uint64(1 << bits)
    starts = np.cumsum(widths) - widths
    out = np.empty(int(starts[-1] + widths[-1]), dtype=np.uint8)
    for position in range(int(widths.max())):  # the values with a byte at this position
        at = np.flatnonzero(widths > position)
        part = (unsigned[at] >> np.uint64(7 * position)) & np.uint64(0x7F)
        more = widths[at] > position + 1
        out[starts[at] + position] = part.astype(np.uint8) | (more.astype(np.uint8) << 7)
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


def _feature_vertex_bounds(offsets: tuple[np.ndarray, ...], count: int) -> np.ndarray:
    """Where each feature's positions start in the coordinate stream (one past the end last)."""
    if not offsets:
        return np.arange(count + 1)
    bounds = offsets[-1]
    for level in reversed(offsets[:-1]):
        bounds = level[bounds]
    return np.asarray(bounds, dtype=np.int64)


GEOMETRY_CHUNK = 10_000  # features encoded at a time: a line layer's work arrays stay tens of megabytes


def encode_compact_geometries(geometries: list[Any], geometry_type: str, accuracy_m: np.ndarray) -> dict[str, Any]:
    """A layer's geometries as one coordinate stream plus the counts that nest it, each feature at its own precision.

    A feature is drawn as exactly as its accuracy needs, no more: its lines and rings are
    simplified (Douglas-Peucker) within a tenth of its accuracy, and its positions rounded to the
    decimals whose half unit stays within another tenth (encoding.decimals_for_each): at most a
    fifth of its stated accuracy from the layer file's geometry, everywhere.

    Positions are integers in the layer's finest unit (10^-decimals degrees); a feature of coarser
    precision stores them divided by its factor 10^coarse. Each is written as the step from the
    position before it, in the feature's own unit (the position before divided by that factor,
    rounded down): one varint stream, small numbers along a line.

    Encoded GEOMETRY_CHUNK features at a time, the last position carried from one to the next (the
    stream is the same): the largest line layer of a million-feature map has eleven million
    positions, and its simplified copy and five arrays of them at once were half a gigabyte.
    """
    accuracy = np.asarray(accuracy_m, dtype=float)
    feature_decimals = decimals_for_each(accuracy) if len(accuracy) else np.zeros(0, dtype=np.int64)
    decimals = int(feature_decimals.max()) if len(accuracy) else 3
    coarse = decimals - feature_decimals
    array = np.asarray(geometries, dtype=object)
    levels = POSITION_DEPTH["MultiPolygon" if geometry_type == "Polygon" else geometry_type]  # offset arrays
    steps: list[bytes] = []
    counts: list[list[bytes]] = [[] for _ in range(levels)]
    last = np.zeros((1, 2), dtype=np.int64)  # the position before the chunk, in the finest unit
    for start in range(0, len(array), GEOMETRY_CHUNK):
        part = slice(start, start + GEOMETRY_CHUNK)
        chunk_steps, last, offsets = _chunk_steps(array[part], geometry_type, accuracy[part], feature_decimals[part],
                                                  coarse[part], last)  # fmt: skip
        steps.append(varints(chunk_steps, signed=True))
        for level, level_offsets in zip(counts, offsets):
            level.append(varints(np.diff(level_offsets), signed=False))
    return {
        "type": geometry_type,
        "decimals": decimals,
        "coarse": pack_varints(varints(coarse, signed=False)),
        "coords": pack_varints(b"".join(steps)),
        # innermost first: positions per line or ring, rings per polygon, polygons per feature
        "counts": [pack_varints(b"".join(level)) for level in counts],
    }


def _chunk_steps(
    array: np.ndarray,
    geometry_type: str,
    accuracy: np.ndarray,
    feature_decimals: np.ndarray,
    coarse: np.ndarray,
    last: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, ...]]:
    """Some features' x, y steps (flat), the last position in the finest unit, and their nesting offsets."""
    if geometry_type != "Point":
        tolerance = accuracy / 10 / METRES_PER_DEGREE  # a degree of longitude is shorter: on the safe side
        array = shapely.simplify(array, tolerance, preserve_topology="Polygon" in geometry_type)
    if geometry_type == "Polygon":  # the nesting of a one-polygon multipolygon
        array = shapely.multipolygons(array[:, None])
    offsets: tuple[np.ndarray, ...] = ()
    if geometry_type == "Point":
        coords = shapely.get_coordinates(array)
    else:
        _, coords, offsets = shapely.to_ragged_array(array)
    counts = np.diff(_feature_vertex_bounds(offsets, len(array)))
    del array  # the simplified copy: the positions are all that is kept of it
    own = np.rint(
        np.asarray(coords, dtype=float).reshape(-1, 2) * np.repeat(10.0**feature_decimals, counts)[:, None]
    ).astype(np.int64)
    del coords
    if coarse.any():
        factor = np.repeat(10**coarse, counts)[:, None]  # per position
        finest = own * factor
        before = np.concatenate([last, finest[:-1]])
        steps = (own - np.floor_divide(before, factor)).reshape(-1)
        return steps, finest[-1:], offsets
    # every feature in the finest unit (the usual case): plain steps, no per-position arrays
    return np.diff(own, axis=0, prepend=last).reshape(-1), own[-1:], offsets


def decode_compact_geometries(encoded: dict[str, Any]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Positions in degrees (n x 2) and the offsets of each nesting level, as shapely's ragged arrays.

    A position is (the position before, in this feature's unit, plus its step) times the feature's
    factor: within a run of features of one factor that is a running sum, so the positions are
    summed a run at a time (one run in the usual case of one precision), not one by one.
    """
    steps = read_varints(unpack(encoded["coords"]), signed=True).reshape(-1, 2)
    coarse = read_varints(unpack(encoded["coarse"]), signed=False)
    offsets = [np.concatenate([[0], np.cumsum(read_varints(unpack(c), signed=False))]) for c in encoded["counts"]]
    bounds = _feature_vertex_bounds(tuple(offsets), len(coarse))
    factors = np.repeat(10**coarse, np.diff(bounds))
    units = np.empty_like(steps)
    runs = np.flatnonzero(np.diff(factors)) + 1
    before = np.zeros(2, dtype=np.int64)
    for start, end in zip([0, *runs.tolist()], [*runs.tolist(), len(steps)]):
        if start == end:
            continue
        factor = int(factors[start])
        run = steps[start:end].copy()
        run[0] += before // factor
        units[start:end] = np.cumsum(run, axis=0) * factor
        before = units[end - 1]
    return units / 10 ** encoded["decimals"], offsets


TEXT_SEPARATOR = "\x00"
NUMBER = "\x01"  # in a template: a run of digits written as its number
PADDED = "\x02"  # ... with leading zeros: followed by chr(48 + its width)
MAX_DIGITS = 15  # the longest run of digits read as one number: it fits an int64 (and a JavaScript number) exactly
_POWERS = 10 ** np.arange(MAX_DIGITS, dtype=np.int64)


def _templates(values: list[str]) -> tuple[list[str], np.ndarray] | None:
    """Each string as a template (its digit runs replaced by placeholders) and the numbers, each as
    the step from the number in the same place (1st, 2nd ... run) of the string before that has one.

    Names and ids of a large layer are mostly "a name + a number" ("Station 1024", "way/5521");
    the numbers stored apart pack far smaller than as text, and the templates repeat. None where
    a value holds a placeholder. A chunk of strings at a time, in numpy over their bytes: no Python
    call per value.
    """
    templates: list[str] = []
    parts: list[np.ndarray] = []
    last: dict[int, int] = {}  # each slot's number in the last string that had one
    for start in range(0, max(len(values), 1), TEMPLATE_CHUNK):  # an empty column is one empty chunk
        chunk = _chunk_templates(values[start : start + TEMPLATE_CHUNK], last)
        if chunk is None:
            return None
        templates += chunk[0]
        parts.append(chunk[1])
    return templates, np.concatenate(parts)


# Strings taken at a time: their work arrays stay tens of megabytes at a million names.
TEMPLATE_CHUNK = 100_000


def _chunk_templates(values: list[str], last: dict[int, int]) -> tuple[list[str], np.ndarray] | None:
    """_templates of some of a column's strings; `last` carries each slot's number from the strings
    before them to those after.

    Worked on the joined strings' UTF-8 bytes with numpy, not a regex split: a million names had
    a Python object per digit run and per text between runs, and took a second and a half a column.
    ASCII digits are the bytes 0x30-0x39, which no other character's UTF-8 contains. A run longer
    than MAX_DIGITS is read as numbers of MAX_DIGITS digits each, the last one shorter.
    """
    joined = TEXT_SEPARATOR.join(values)
    if NUMBER in joined or PADDED in joined:
        return None
    text = np.frombuffer(joined.encode("utf-8", "surrogatepass"), dtype=np.uint8)
    digit = (text >= 0x30) & (text <= 0x39)
    starts = _number_starts(digit)
    in_digits = np.flatnonzero(digit)  # the digits, one after another: each number is a slice
    first = np.searchsorted(in_digits, starts)
    widths = np.diff(np.append(first, len(in_digits)))
    if len(starts):  # a number's digits times the powers of ten of their places from its end
        power = np.repeat(first + widths, widths) - np.arange(len(in_digits)) - 1
        numbers = np.add.reduceat((text[in_digits] - 0x30).astype(np.int64) * _POWERS[power], first)
    else:
        numbers = np.zeros(0, dtype=np.int64)
    padded = (text[starts] == 0x30) & (widths > 1)  # leading zeros: PADDED and the width
    # the template: the text without its digits, a placeholder where each number started
    emitted = (~digit).astype(np.uint8)
    emitted[starts] = 1 + padded
    template = np.repeat(text, emitted)
    # a placeholder's place: its number's start, less the digits before it, plus the placeholders
    # (and widths) written before it
    at = starts - first + np.arange(len(starts)) + np.cumsum(padded) - padded
    template[at] = np.where(padded, ord(PADDED), ord(NUMBER))
    template[at[padded] + 1] = 0x30 + widths[padded]
    # the value each number belongs to: the separators before it
    value_of = np.searchsorted(np.flatnonzero(text == 0), starts)
    run = np.arange(len(starts))
    first_of_value = (
        np.maximum.accumulate(np.where(np.concatenate([[True], value_of[1:] != value_of[:-1]]), run, 0))
        if len(run)
        else run
    )
    slots = run - first_of_value
    steps = numbers.copy()
    for slot in range(int(slots.max()) + 1 if len(slots) else 0):  # every slot up to the most numbers in a string
        where = np.flatnonzero(slots == slot)
        steps[where[1:]] = numbers[where[1:]] - numbers[where[:-1]]
        steps[where[0]] -= last.get(slot, 0)
        last[slot] = int(numbers[where[-1]])
    return template.tobytes().decode("utf-8", "surrogatepass").split(TEXT_SEPARATOR), steps


def _number_starts(digit: np.ndarray) -> np.ndarray:
    """Where each number starts, given which bytes are digits: at each run of digits, and every
    MAX_DIGITS digits further along a longer run."""
    edges = np.flatnonzero(digit[1:] != digit[:-1]) + 1  # where runs of digits start and end
    if len(digit) and digit[0]:
        edges = np.concatenate([[0], edges])
    if len(digit) and digit[-1]:
        edges = np.append(edges, len(digit))
    run_starts, run_ends = edges[0::2], edges[1::2]
    more = (run_ends - run_starts - 1) // MAX_DIGITS  # numbers after a run's first: rare
    if not more.any():
        return run_starts
    later = np.repeat(run_starts, more) + MAX_DIGITS * (
        np.arange(more.sum()) - np.repeat(np.cumsum(more) - more, more) + 1
    )
    return np.sort(np.concatenate([run_starts, later]))


def _few_distinct(values: list[Any], sample: int = 2000) -> bool:
    """Whether dictionary coding may pay: judged on an even sample (names and ids never do)."""
    picked = values[:: max(1, len(values) // sample)]
    distinct = {tuple(v) if isinstance(v, list) else v for v in picked}
    return len(distinct) <= DICTIONARY_SHARE * len(picked)


def encode_compact_column(values: list[Any]) -> dict[str, Any]:
    """One column of a compact layer, in the first of these forms that fits it.

    - {"values": [...], "codes": packed varints}: few distinct values;
    - {"templates": column, "numbers": packed}: every value a string, most with numbers in them
      (_templates); the templates are a column of their own. Taken outright when they are few
      (dictionary-coded: "Station 1", "Station 2" ...), where the packed text was 3 to 920 times
      larger on the benchmark's names and ids; else only when smaller than the text, packed;
    - {"text": packed}: every value a string without NUL, joined by NUL (the page keeps the one
      string and cuts a name out of it when it needs one: no object per feature);
    - {"items": [...], "item_codes": packed, "lengths": packed}: every value a list of strings
      (sources), their items dictionary-coded one after another: the page keeps two typed arrays
      instead of a list object per feature (50 MB of its heap at a million features);
    - {"json": packed}: anything else, as JSON text.
    """
    coded = dictionary_codes(values) if _few_distinct(values) else None
    if coded is not None:
        distinct, codes = coded
        return {"values": distinct, "codes": pack_varints(varints(codes, signed=False))}
    kinds = set(map(type, values))
    if kinds == {list} and set(map(type, items := list(chain.from_iterable(values)))) <= {str}:
        items_in_order, item_code_of = codes_in_order(items)
        item_codes = np.fromiter(item_code_of, dtype=np.int64, count=len(items))
        lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
        return {
            "items": items_in_order,
            "item_codes": pack_varints(varints(item_codes, signed=False)),
            "lengths": pack_varints(varints(lengths, signed=False)),
        }
    joined = TEXT_SEPARATOR.join(values) if kinds == {str} else None
    if joined is not None and joined.count(TEXT_SEPARATOR) == len(values) - 1:  # no value holds the separator
        split = _templates(values)
        coded_templates = None
        if split is not None and len(split[1]) >= len(values) // 2:
            templates, steps = split
            coded_templates = {
                "templates": encode_compact_column(templates),
                "numbers": pack_varints(varints(steps, signed=True)),
            }
            if "codes" in coded_templates["templates"]:  # a few templates: no text to pack and compare
                return coded_templates
        text = {"text": pack(joined.encode("utf-8"))}
        if coded_templates is not None and len(json.dumps(coded_templates)) < len(text["text"]):
            return coded_templates
        return text
    return {"json": pack(json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))}


def decode_compact_column(column: dict[str, Any]) -> list[Any]:
    if "json" in column:
        values: list[Any] = json.loads(unpack(column["json"]))
        return values
    if "text" in column:
        return unpack(column["text"]).decode("utf-8").split(TEXT_SEPARATOR)
    if "items" in column:
        items = column["items"]
        codes = read_varints(unpack(column["item_codes"]), signed=False).tolist()
        ends = np.cumsum(read_varints(unpack(column["lengths"]), signed=False)).tolist()
        return [[items[code] for code in codes[start:end]] for start, end in zip([0, *ends[:-1]], ends)]
    if "templates" in column:
        return _fill_templates(
            decode_compact_column(column["templates"]), read_varints(unpack(column["numbers"]), signed=True).tolist()
        )
    distinct = column["values"]
    return [distinct[code] for code in read_varints(unpack(column["codes"]), signed=False).tolist()]


_SLOTS = re.compile("(\x01|\x02.)")


def _fill_templates(templates: list[str], steps: list[int]) -> list[str]:
    last: list[int] = []
    at = 0
    out = []
    for template in templates:
        pieces = _SLOTS.split(template)
        for slot, index in enumerate(range(1, len(pieces), 2)):
            while len(last) <= slot:
                last.append(0)
            last[slot] += steps[at]
            at += 1
            number = str(last[slot])
            pieces[index] = number if pieces[index] == NUMBER else number.zfill(ord(pieces[index][1]) - 48)
        out.append("".join(pieces))
    return out


def decode_compact_layer(layer: dict[str, Any]) -> dict[str, Any]:
    """The plain form of a compact layer (as geo/webmap/encoding.decode_geometries gives it)."""
    geometry = layer["geometry"]
    positions, offsets = decode_compact_geometries(geometry)
    decimals, kind = geometry["decimals"], geometry["type"]
    rounded = np.round(positions, decimals)
    plain: dict[str, Any] = {"type": kind, "decimals": decimals}
    if kind == "Point":
        plain["x"], plain["y"] = rounded[:, 0].tolist(), rounded[:, 1].tolist()
    else:
        flat = rounded.tolist()  # one conversion, then slices of it: not one numpy call per line
        nested: list[Any] = [flat[a:b] for a, b in zip(offsets[0][:-1].tolist(), offsets[0][1:].tolist())]
        for level in offsets[1:]:
            nested = [nested[a:b] for a, b in zip(level[:-1].tolist(), level[1:].tolist())]
        if kind == "Polygon":
            nested = [polygons[0] for polygons in nested]
        plain["coordinates"] = nested
    properties = {name: decode_compact_column(column) for name, column in layer["properties"].items()}
    stale = (
        np.cumsum(read_varints(unpack(layer["stale_status"]), signed=False)).tolist() if "stale_status" in layer else []
    )
    return {**layer, "properties": properties, "geometry": plain, "stale_status": stale}


def decode_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """A data block with every layer's columns and geometries in plain form, compact layers too."""
    compact = {layer["id"]: decode_compact_layer(layer) for layer in payload["layers"] if layer.get("compact")}
    plain = encoding.decode_payload(
        {**payload, "layers": [layer for layer in payload["layers"] if not layer.get("compact")]}
    )
    decoded = iter(plain["layers"])
    return {**plain, "layers": [compact.get(layer["id"]) or next(decoded) for layer in payload["layers"]]}
