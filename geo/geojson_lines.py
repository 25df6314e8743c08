"""The coordinates of a batch of LineString features read from their text straight into one array.

A line layer's features are mostly numbers: 10^5 lines of 20 to 200 positions hold 22 million.
Parsed as JSON they become 11 million lists and 22 million floats, walked again to check them and
freed again after the array is built (bench/profile_build.py). Here each feature's coordinates are
cut out of its text and proven to be exactly `[[x,y],[x,y],...]` by comparing what is left when the
numbers are removed with that shape; the numbers are then decoded as one flat array. The rest of
each feature (its type, id, properties) is parsed as before, with `[]` where its coordinates were.

Anything else (3D positions, fewer than two positions, a duplicated member, numbers out of range)
returns None, and the caller reads the batch the ordinary way, which names what is wrong.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import eq
from typing import Any, cast

import msgspec
import numpy as np

# What JSON numbers are written with, and the whitespace JSON allows between tokens.
_NUMBER_BYTES = b"0123456789+-.eE"
_SPACE_BYTES = b" \t\n\r"
_PLACEHOLDER = b"[]"


class _GeometryShell(msgspec.Struct):
    coordinates: msgspec.Raw


class _FeatureShell(msgspec.Struct):
    geometry: _GeometryShell


# Decoding checks the whole text is JSON, skipping (and so validating) every member but these two.
_SHELLS = msgspec.json.Decoder(list[_FeatureShell])
_FLAT_NUMBERS = msgspec.json.Decoder(list[float])


@dataclass(frozen=True, slots=True)
class PackedLines:
    """The positions of a batch's lines in order, and how many belong to each line."""

    positions: np.ndarray  # shape (n, 2): lon, lat
    counts: list[int]


def lines_apart(
    texts: Sequence[Any], parse: Callable[[bytes], list[Any] | None]
) -> tuple[list[Any], PackedLines] | None:
    """The features parsed without their coordinates (`[]` in their place) and the coordinates as
    numbers; None unless every feature is a JSON object with a geometry whose coordinates are two or
    more positions of two finite numbers each.

    `texts` are the features' JSON texts; `parse` reads a JSON array of features with every check of
    the ordinary path (repeated keys) and gives None when it finds a problem.
    """
    try:
        shells = _SHELLS.decode(b"[" + b",".join(texts) + b"]")
    except (msgspec.DecodeError, RecursionError):  # msgspec.ValidationError is a DecodeError
        return None
    coordinates = [bytes(shell.geometry.coordinates) for shell in shells]
    packed = packed_lines(coordinates)
    if packed is None:
        return None
    stripped = list(map(_without, map(bytes, texts), coordinates))
    if None in stripped:
        return None
    features = parse(b"[" + b",".join(cast(list[bytes], stripped)) + b"]")
    if features is None or len(features) != len(texts) or set(map(type, features)) != {dict}:
        return None
    geometries: list[Any] = list(map(dict.get, features, repeat("geometry")))
    if set(map(type, geometries)) != {dict}:
        return None
    if not all(map(eq, map(dict.get, geometries, repeat("coordinates")), repeat([]))):
        return None
    return features, packed


def _without(text: bytes, coordinates: bytes) -> bytes | None:
    """The text with the first occurrence of the coordinates' text replaced by `[]`; None if absent.

    Found by a prefix: a search for a needle of kilobytes costs more than the comparison after it.
    If it was not the geometry's (the same text in a property), the geometry keeps its coordinates
    and lines_apart refuses the batch.
    """
    prefix = coordinates[:32]
    at = text.find(prefix)
    while at >= 0 and text[at : at + len(coordinates)] != coordinates:
        at = text.find(prefix, at + 1)
    return None if at < 0 else text[:at] + _PLACEHOLDER + text[at + len(coordinates) :]


def packed_lines(coordinates: list[bytes]) -> PackedLines | None:
    """The positions of LineString coordinates given as JSON text already known to be valid JSON;
    None unless each is `[[x,y],[x,y],...]` with two or more positions of finite numbers.

    Valid JSON whose text, numbers and whitespace removed, reads `[[,],[,],...]` holds exactly one
    number between each bracket and comma: two per position, nothing else. The number of positions
    of each line is its count of '[' less one.
    """
    if not coordinates:
        return PackedLines(np.empty((0, 2)), [])
    counts = [text.count(b"[") - 1 for text in coordinates]
    if min(counts) < 2:
        return None
    joined = b",".join(coordinates)
    shapes = {count: b"[" + b"[,]," * (count - 1) + b"[,]]" for count in set(counts)}
    if joined.translate(None, _NUMBER_BYTES + _SPACE_BYTES) != b",".join(map(shapes.__getitem__, counts)):
        return None
    try:  # msgspec refuses a number out of float range; its floats round as Python's float() does
        numbers = _FLAT_NUMBERS.decode(b"[" + joined.translate(None, b"[]" + _SPACE_BYTES) + b"]")
    except msgspec.DecodeError:
        return None
    if len(numbers) != 2 * sum(counts):
        return None
    positions = np.fromiter(numbers, dtype=float, count=len(numbers)).reshape(-1, 2)
    return PackedLines(positions, counts) if np.isfinite(positions).all() else None
