"""GeoJSON files of data/ read as untrusted text: a FeatureCollection's features, a batch at a time.

JSON may not repeat a key in an object (the fast parser, like most, keeps the last silently) or
nest deeper than Python can walk; every such file is a Problem, never a crash. A large layer is
split into its features without building them (msgspec.Raw: a view of each feature's text) and
parsed a batch at a time, so that a million features never exist twice in memory, once as
parsed JSON and once as the catalog's records (bench/render.py).
"""

from __future__ import annotations

import json
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import accumulate, repeat
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import pydantic_core

from geo.errors import Problem
from geo.readers import display_path, read_data_bytes

# Features parsed at once from a large file: at most this many, and at most this much text, so
# that a batch costs a parser call of a few milliseconds and its parsed JSON (five to ten times
# the text, more for long lines) stays a few tens of megabytes.
BATCH_FEATURES = 20_000
BATCH_BYTES = 4 * 1024 * 1024
# Below this a file is parsed whole: splitting it would save no memory worth the second pass.
SPLIT_FROM_BYTES = 8 * 1024 * 1024

_SPLIT_TOP = msgspec.json.Decoder(dict[str, msgspec.Raw])
_SPLIT_FEATURES = msgspec.json.Decoder(list[msgspec.Raw])


def read_geojson(path: Path, root: Path, problems: list[Problem]) -> list[dict[str, Any]]:
    """The features of an RFC 7946 FeatureCollection; [] (with Problems) when it is not one."""
    return [feature for batch in read_geojson_batches(path, root, problems) for feature in batch]


def read_geojson_batches(path: Path, root: Path, problems: list[Problem]) -> Iterator[list[Any]]:
    """The features of a FeatureCollection, in order, in batches of at most BATCH_FEATURES.

    Problems with the file (not JSON, not a collection, a repeated key) are appended to
    `problems`, a repeated key when its batch is yielded; a caller keeps what it built from the
    batches only when no problem was added.
    """
    return _parsed(read_geojson_text_batches(path, root, problems), problems)


def read_geojson_text_batches(path: Path, root: Path, problems: list[Problem]) -> Iterator[list[Any] | FeatureTexts]:
    """read_geojson_batches, with a large file's batches left as text for the caller to parse."""
    shown = display_path(path, root)
    raw = read_data_bytes(path, root, shown, problems)
    if raw is None:
        return
    yield from geojson_text_batches(raw, shown, problems)


def geojson_batches(raw: bytes, shown: str, problems: list[Problem]) -> Iterator[list[Any]]:
    """read_geojson_batches for bytes already read (a data file kept in a database), with the same checks."""
    return _parsed(geojson_text_batches(raw, shown, problems), problems)


def _parsed(batches: Iterator[list[Any] | FeatureTexts], problems: list[Problem]) -> Iterator[list[Any]]:
    """Each batch parsed, the batches left as text too, one at a time as they are asked for."""
    for batch in batches:
        yield batch if isinstance(batch, list) else batch.parse(problems)


@dataclass(frozen=True, slots=True)
class FeatureTexts:
    """A batch of a large collection's features as their JSON texts (views of the file), unparsed."""

    texts: list[msgspec.Raw]
    shown: str

    def __len__(self) -> int:
        return len(self.texts)

    def parse(self, problems: list[Problem]) -> list[Any]:
        """The features, with every check of a whole file; [] (with its Problem) when one fails."""
        batch = _parse_whole(b"[" + b",".join(self.texts) + b"]", self.shown, problems)
        return batch if isinstance(batch, list) else []

    def parse_rewritten(self, text: bytes) -> list[Any] | None:
        """A JSON array of these features as a caller rewrote them, parsed with the same checks;
        None when any fails (the caller then parses the texts as written, which names the problem)."""
        found: list[Problem] = []
        batch = _parse_whole(text, self.shown, found)
        return batch if isinstance(batch, list) and not found else None


def geojson_text_batches(raw: bytes, shown: str, problems: list[Problem]) -> Iterator[list[Any] | FeatureTexts]:
    """The batches of a collection's features: parsed when the file is small (or not plainly a
    collection), else as texts, parsed by the caller."""
    split = _split(raw) if len(raw) >= SPLIT_FROM_BYTES else None
    if split is None:  # small, or not plainly a collection: one parse, with the exact words for any fault
        features = _features_of(_parse_whole(raw, shown, problems), shown, problems)
        for start in range(0, len(features), BATCH_FEATURES):
            yield features[start : start + BATCH_FEATURES]
        return
    outline, features_text = split
    # The collection's own members (a few bytes: `features` left out), checked for repeated keys as a whole file is.
    members = _parse_whole(outline, shown, problems)
    if members is None or not _is_collection(members, shown, problems):
        return
    for start, end in _batch_bounds(features_text):
        yield FeatureTexts(features_text[start:end], shown)


def _keys_written(text: bytes) -> int | None:
    """How many keys the text may hold: its count of '":' (None when a colon follows whitespace).

    The fast parser keeps the last of two equal keys silently. Every key ends with '":' unless written
    with space before its colon, which valid JSON allows only as whitespace (bytes up to 32). So
    without such a colon the count is at least the keys written, and when it equals the keys
    parsed, none was dropped. Counted with numpy, a pass over the bytes in C.
    """
    codes = np.frombuffer(text, dtype=np.uint8)
    colon = codes[1:] == ord(":")
    before = codes[:-1]
    if (colon & (before <= ord(" "))).any():
        return None
    return int(np.count_nonzero(colon & (before == ord('"'))))


def _batch_bounds(features_text: list[msgspec.Raw]) -> list[tuple[int, int]]:
    """(start, end) of each batch: BATCH_FEATURES features, fewer where they are long."""
    ends = list(accumulate(map(len, features_text)))
    bounds = []
    start = 0
    while start < len(features_text):
        budget = (ends[start - 1] if start else 0) + BATCH_BYTES
        end = max(start + 1, min(bisect_right(ends, budget, lo=start), start + BATCH_FEATURES))
        bounds.append((start, end))
        start = end
    return bounds


def _split(raw: bytes) -> tuple[bytes, list[msgspec.Raw]] | None:
    """The collection without its features (`"features":[]`) and each feature's text, unparsed; None
    unless the file is valid JSON whose `features` is an array.

    msgspec.Raw values are views of `raw` (no copy), so where the features array sits in the
    file is where its view points.
    """
    try:
        top = _SPLIT_TOP.decode(raw)
        if "features" not in top:
            return None
        array = top["features"]
        features = _SPLIT_FEATURES.decode(array)
    except (msgspec.DecodeError, RecursionError):  # the whole-file parse names what is wrong
        return None
    start = np.frombuffer(array, dtype=np.uint8).ctypes.data - np.frombuffer(raw, dtype=np.uint8).ctypes.data
    end = start + len(array)
    # An address inside `raw` is a view of it (a copy would lie elsewhere); its ends are the array's.
    if not (0 <= start < end <= len(raw)) or raw[start : start + 1] != b"[" or raw[end - 1 : end] != b"]":
        return None
    return raw[:start] + b"[]" + raw[end:], features


def _is_collection(members: dict[str, Any], shown: str, problems: list[Problem]) -> bool:
    if members.get("type") != "FeatureCollection":
        problems.append(Problem(shown, "(file)", "type", "expected a GeoJSON FeatureCollection"))
        return False
    if "crs" in members:
        problems.append(
            Problem(shown, "(file)", "crs", "RFC 7946 GeoJSON has no 'crs' member; coordinates are WGS84 lon/lat")
        )
    return True


def _features_of(document: Any, shown: str, problems: list[Problem]) -> list[Any]:
    if document is None:
        return []
    if not _is_collection(document if isinstance(document, dict) else {}, shown, problems):
        return []
    features = document.get("features")
    if not isinstance(features, list):
        problems.append(Problem(shown, "(file)", "features", "expected a list of features"))
        return []
    return features


def _parse_whole(raw: bytes, shown: str, problems: list[Problem]) -> Any:
    """The parsed document, or None with its Problem (malformed, not UTF-8, a repeated key)."""
    duplicates: list[tuple[str, str]] = []
    try:
        document, proven = _fast_parse(raw)
        if not proven:  # the standard parser: its words for a malformed file, its hook for repeated keys
            checked = json.loads(raw, object_pairs_hook=_object_checker(duplicates))
            if document is None:  # else the same values, and the fast parse's share their repeated strings
                document = checked
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, "(file)", "-", f"not UTF-8 text: {exc}"))
        return None
    except json.JSONDecodeError as exc:
        problems.append(
            Problem(shown, "(file)", "-", f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
        )
        return None
    except RecursionError:
        problems.append(Problem(shown, "(file)", "-", "malformed JSON: nested too deeply"))
        return None
    if duplicates:
        problems.extend(_duplicate_problems(shown, duplicates))
        return None
    return document


def _duplicate_problems(shown: str, duplicates: list[tuple[str, str]]) -> list[Problem]:
    return [
        Problem(shown, record, key[:60], "duplicate key (a later value would silently replace the earlier)")
        for record, key in duplicates
    ]


def _object_checker(duplicates: list[tuple[str, str]]) -> Callable[[list[tuple[str, Any]]], dict[str, Any]]:
    """A json object_pairs_hook that builds the dict and records (record id, key) of repeated keys."""

    def hook(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        built = dict(pairs)
        if len(built) != len(pairs):
            seen: set[str] = set()
            record = built["id"] if isinstance(built.get("id"), str) else "(file)"
            for key, _ in pairs:
                if key in seen:
                    duplicates.append((record, key))
                seen.add(key)
        return built

    return hook


def _counted_keys(features: Any) -> int:
    """Keys of the features, their properties and geometries (in C, by map, when all are objects)."""
    if set(map(type, features)) == {dict}:
        properties: list[Any] = list(map(dict.get, features, repeat("properties")))
        geometries: list[Any] = list(map(dict.get, features, repeat("geometry")))
        if set(map(type, properties)) <= {dict} and set(map(type, geometries)) <= {dict}:
            return sum(map(len, features)) + sum(map(len, properties)) + sum(map(len, geometries))
    total = 0
    for feature in features:
        if type(feature) is dict:
            total += len(feature)
            members = feature.get("properties"), feature.get("geometry")
            total += sum(len(member) for member in members if type(member) is dict)
    return total


def _fast_parse(raw: bytes) -> tuple[Any, bool]:
    """The fast parse (None where it declines) and whether it provably kept every key; when it did
    not, the standard parser decides.

    pydantic-core's parser (jiter), as fast as orjson here, also makes one object of each repeated
    short string (up to 64 characters) as it reads: a large layer repeats a few country codes,
    source ids and notes a million times. It declines what the standard parser takes (NaN, a lone
    surrogate, deep nesting), which then goes the exact way.

    The text is a collection or a batch (an array) of features; the keys counted are theirs, and
    those of their properties and geometries. Anything else (a repeated key, other nested
    objects, '":' inside a string, space before a colon) takes the exact, slower path.
    """
    try:
        document = pydantic_core.from_json(raw, allow_inf_nan=False, cache_strings=True)
    except ValueError:  # malformed, or valid JSON the fast parser declines: the standard parser's words
        return None, False
    if type(document) is list:
        keys = _counted_keys(document)
    elif type(document) is dict and type(document.get("features")) is list:
        keys = len(document) + _counted_keys(document["features"])
    else:
        return document, False
    return document, _keys_written(raw) == keys
