"""A large line layer's coordinates read from text straight into numbers: the same features and the
same problems as the ordinary parse, whatever way the numbers are written."""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np
import pytest

from geo import geojson_reader, layer_file
from geo.errors import Problem
from geo.geojson_lines import packed_lines
from geo.layer_file import read_layer_features
from geo.models import LayerSpec

LINES = LayerSpec.model_validate(
    {
        "id": "lines",
        "title": "Lines",
        "description": "Lines.",
        "file": "layers/lines.geojson",
        "geometry_type": "LineString",
    }
)


def _number_text(rng: random.Random) -> str:
    """A coordinate as writers spell it: repr, fixed decimals, an integer, an exponent, negative zero."""
    value = rng.uniform(-180, 180)
    return rng.choice(
        [repr(value), f"{value:.5f}", f"{value:.0f}", f"{value:.3e}", f"{value:.8E}", "-0", "0.0", "-0.0", "1e-7"]
    )


def _line_text(rng: random.Random, positions: int) -> str:
    comma, open_, close = rng.choice([(",", "[", "]"), (", ", "[ ", " ]"), (",\n  ", "[\n\t", "\r\n]")])
    pairs = [f"{open_}{_number_text(rng)}{comma}{_number_text(rng)}{close}" for _ in range(positions)]
    return f"{open_}{comma.join(pairs)}{close}"


def test_numbers_equal_a_json_parse_however_they_are_written() -> None:
    rng = random.Random(20240601)
    texts = [_line_text(rng, rng.randint(2, 40)) for _ in range(400)]
    packed = packed_lines([text.encode() for text in texts])
    assert packed is not None
    expected = [json.loads(text) for text in texts]
    assert packed.counts == [len(line) for line in expected]
    assert packed.positions.tolist() == [position for line in expected for position in line]
    # Bit for bit, as the ordinary parse gives them (an integer -0 is 0, as there).
    ordinary = np.array([position for line in expected for position in line], dtype=float)
    assert packed.positions.tobytes() == ordinary.tobytes()


@pytest.mark.parametrize(
    "text",
    [
        "[[68,41,300],[69,42,310]]",  # 3D: the ordinary path builds those
        "[[68,41]]",  # one position is not a line
        "[]",
        "[[68,41],[69]]",
        "[[68],[69,42,7]]",  # as many numbers as two 2D positions, not two of them
        "[[68,41],[69,42,7],[70]]",
        "[[[68,41],[69,42]]]",  # a polygon's nesting
        "[68,41]",  # a point
        '[[68,41],[69,"42"]]',
        "[[68,41],[69,null]]",
        "[[68,41],[69,true]]",
        "[[68,41],[69,42],{}]",
        "[[68,41],[1e400,42]]",  # beyond a float
        "[[68,41],[1" + "0" * 400 + ",42]]",
    ],
)
def test_anything_but_two_or_more_2d_positions_of_finite_numbers_is_refused(text: str) -> None:
    json.loads(text)  # valid JSON each: the reader has checked that before
    assert packed_lines([b"[[1,2],[3,4]]", text.encode()]) is None


def _layer_file(tmp_path: Path, features: list[dict], *, indent: int | None = None) -> Path:
    path = tmp_path / "data" / "layers" / "lines.geojson"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"type": "FeatureCollection", "features": features}, indent=indent, ensure_ascii=False),
        encoding="utf-8",
    )
    return path


def _line(number: int, coordinates: object, **properties: object) -> dict:
    return {
        "type": "Feature",
        "properties": {
            "id": f"line-{number}",
            "name": f"Line {number}",
            "kind": "railway_line",
            "country": ["KZ"],
            "accuracy_m": 100,
            "geometry_source": "Drawn for a test",
            "sources": ["ref-a"],
            **properties,
        },
        "geometry": {"type": "LineString", "coordinates": coordinates},
    }


def _read_three_ways(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[tuple[list, list[Problem]]]:
    """(features, problems) read whole; split into batches of three and parsed the ordinary way; split
    with the coordinates read apart (the path of a large line layer)."""
    results = []
    for split_from, apart in ((10**12, True), (0, False), (0, True)):
        with monkeypatch.context() as patch:
            patch.setattr(geojson_reader, "SPLIT_FROM_BYTES", split_from)
            patch.setattr(geojson_reader, "BATCH_FEATURES", 3)
            if not apart:
                patch.setattr(layer_file, "_lines_read_apart", lambda layer, batch: None)
            problems: list[Problem] = []
            features = read_layer_features(LINES, path, tmp_path / "data", problems)
        results.append(([(f.properties, f.geometry.wkb) for f in features], problems))
    return results


def _batches_read_apart(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts, as batches are read, those whose coordinates were read apart."""
    read_apart = []
    ordinary = layer_file._lines_read_apart

    def counted(layer: LayerSpec, batch: object) -> object:
        features = ordinary(layer, batch)  # type: ignore[arg-type]
        read_apart.append(features is not None)
        return features

    monkeypatch.setattr(layer_file, "_lines_read_apart", counted)
    return read_apart


@pytest.mark.parametrize("indent", [None, 2])
def test_a_split_line_layer_reads_as_the_whole_file_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, indent: int | None
) -> None:
    rng = random.Random(7)
    features = [_line(n, json.loads(_line_text(rng, rng.randint(2, 30)))) for n in range(10)]
    # Notes holding the very text of their line's coordinates as the file writes it, before the
    # geometry (properties first) and after it (geometry first).
    for number in (4, 7):
        features[number]["properties"]["note"] = json.dumps(features[number]["geometry"]["coordinates"])
    features[7] = {"geometry": features[7]["geometry"], "type": "Feature", "properties": features[7]["properties"]}
    read_apart = _batches_read_apart(monkeypatch)
    whole, ordinary, split = _read_three_ways(_layer_file(tmp_path, features, indent=indent), tmp_path, monkeypatch)
    assert whole[1] == [] and len(whole[0]) == 10
    assert split == ordinary == whole
    # Batches of three: the second (features 3 to 5) holds a note met before its geometry and
    # written as the geometry is (not so when the file spreads coordinates over lines), read the
    # ordinary way; the others apart, feature 7's too (its geometry comes first).
    assert read_apart == [True, indent is not None, True, True]
    assert [split[0][n][0].note for n in (4, 7)] == [features[n]["properties"]["note"] for n in (4, 7)]


def test_a_split_line_layer_names_the_same_problems_as_the_whole_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good = [[68.0, 41.0], [69.5, 42.25]]
    features = [_line(n, good) for n in range(12)]
    features[1]["geometry"]["coordinates"] = [[68, 41, 300], [69, 42, 310]]  # 3D: read, by the other path
    features[2]["geometry"]["coordinates"] = [[68, 41]]
    features[4]["geometry"] = {"type": "Point", "coordinates": [68, 41]}
    features[6]["properties"]["accuracy_m"] = -1
    features[8]["geometry"]["coordinates"] = [[68, 41], [69, 1e400]]  # written as 1e400... by json: Infinity
    features[10]["geometry"]["coordinates"] = [[68, 41], [69, "42"]]
    path = _layer_file(tmp_path, features)
    # A repeated member, which a parser would silently collapse to its last value.
    text = path.read_text(encoding="utf-8").replace(
        '"coordinates": [[68.0, 41.0], [69.5, 42.25]]}}]',
        '"coordinates": [[68.0, 41.0], [69.5, 42.25]], "coordinates": [[60, 40], [61, 41]]}}]',
    )
    path.write_text(text.replace("Infinity", "1e400"), encoding="utf-8")
    _, ordinary, split = _read_three_ways(path, tmp_path, monkeypatch)
    assert split == ordinary
    named = {(p.record, p.field) for p in split[1]}
    assert {("line-2", "geometry.coordinates"), ("line-4", "geometry.type"), ("line-6", "accuracy_m")} <= named
    assert any("duplicate key" in p.message for p in split[1])


def test_any_small_corruption_of_a_split_line_layer_reads_as_the_ordinary_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Seeded random edits (a byte put in, taken out or changed, from JSON's own characters and a few
    # others) to a layer of six lines: the features and problems read are those of the ordinary
    # parse every time, and nothing crashes. 19,000 such edits were checked once this way.
    base = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [_line(n, [[68 + n / 10, 41.5], [69.25, 42], [70, 43]]) for n in range(6)],
        }
    )
    alphabet = '[]{},:"0123456789.eE+- \n\\tfnulxy'
    rng = random.Random(11)
    path = _layer_file(tmp_path, [])
    read_apart = _batches_read_apart(monkeypatch)
    for _ in range(200):
        text = base
        for _ in range(rng.randint(1, 3)):
            at, kind, byte = rng.randrange(len(text)), rng.random(), rng.choice(alphabet)
            text = text[:at] + (byte + text[at] if kind < 0.4 else "" if kind < 0.7 else byte) + text[at + 1 :]
        path.write_text(text, encoding="utf-8")
        _, ordinary, split = _read_three_ways(path, tmp_path, monkeypatch)
        assert split == ordinary, text
    assert sum(read_apart) > len(read_apart) / 2  # most batches, untouched by an edit, were read apart
