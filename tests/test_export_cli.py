"""`geo export` from the outside: exit codes, messages, and what is on disk afterwards."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_geo


def _files(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def _leftovers(root: Path) -> list[str]:
    return [p.relative_to(root).as_posix() for p in root.rglob("*") if ".geo-export-" in p.name]


def test_export_writes_files_and_manifest_and_exits_0(data_dir, tmp_path):
    out = tmp_path / "dist"
    result = run_geo("--data", str(data_dir), "export", "--out", str(out), "--layer", "dams")
    assert result.returncode == 0, result.stderr
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = sorted(entry["path"] for entry in manifest["files"])
    assert _files(out) == sorted([*listed, "manifest.json"])
    for path in listed:
        assert f"  wrote {path} (" in result.stdout
    assert f"exported {len(listed) + 1} files into {out}" in result.stdout
    expected = {"atlas.gpkg", "atlas.kml", "atlas.kmz", "geojson/dams.geojson", "shp/dams.shp.zip", "csv/dams.csv"}
    assert expected <= set(listed)
    assert result.stderr == ""


def test_unknown_format_is_a_usage_error(data_dir, tmp_path):
    result = run_geo("--data", str(data_dir), "export", "--out", str(tmp_path / "out"), "--format", "dwg")
    assert result.returncode == 2
    assert "'dwg' is not one of 'gpkg', 'geojson', 'fgb', 'parquet', 'shp', 'kml', 'kmz', 'csv'" in result.stderr
    assert not (tmp_path / "out").exists()


def test_unknown_layer_is_a_usage_error(data_dir, tmp_path):
    result = run_geo("--data", str(data_dir), "export", "--out", str(tmp_path / "out"), "--layer", "roads")
    assert result.returncode == 2
    assert "unknown layer roads" in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("inside", ["", "exports", "layers"])
def test_out_inside_the_data_directory_is_refused(data_copy, inside):
    before = _files(data_copy)
    out = data_copy / inside if inside else data_copy
    result = run_geo("--data", str(data_copy), "export", "--out", str(out))
    assert result.returncode == 2
    assert "inside the data directory" in result.stderr
    assert _files(data_copy) == before
    assert not (data_copy / "exports").exists()


def test_a_foreign_file_in_the_way_is_refused(data_dir, tmp_path):
    (tmp_path / "atlas.kml").write_text("my own KML", encoding="utf-8")
    result = run_geo("--data", str(data_dir), "export", "--out", str(tmp_path), "--format", "kml")
    assert result.returncode == 2
    assert "refusing to overwrite atlas.kml" in result.stderr
    assert (tmp_path / "atlas.kml").read_text(encoding="utf-8") == "my own KML"
    assert _files(tmp_path) == ["atlas.kml"]


def test_a_failing_format_exits_1_and_the_others_are_still_written(data_dir, tmp_path):
    (tmp_path / "csv" / "cities.csv").mkdir(parents=True)  # a directory where a CSV must go
    formats = ["--format", "csv", "--format", "geojson", "--format", "kml"]
    result = run_geo("--data", str(data_dir), "export", "--out", str(tmp_path), *formats)
    assert result.returncode == 1, result.stdout
    assert "error: csv (layer cities): could not write csv/cities.csv" in result.stderr
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["failures"]) == 1 and "csv (layer cities)" in manifest["failures"][0]
    listed = {entry["path"] for entry in manifest["files"]}
    assert "csv/cities.csv" not in listed
    assert {"atlas.kml", "geojson/cities.geojson", "csv/dams.csv"} <= listed
    assert all((tmp_path / path).is_file() for path in listed)
    assert (tmp_path / "csv" / "cities.csv").is_dir() and not any((tmp_path / "csv" / "cities.csv").iterdir())
    assert _leftovers(tmp_path) == []


def test_layer_and_bbox_select_features(data_dir, tmp_path):
    result = run_geo(
        "--data",
        str(data_dir),
        "export",
        "--out",
        str(tmp_path),
        "--format",
        "geojson",
        "--layer",
        "cities",
        "--bbox",
        "68",
        "40",
        "70",
        "42",
    )
    assert result.returncode == 0, result.stderr
    assert _files(tmp_path) == ["geojson/cities.geojson", "manifest.json"]
    document = json.loads((tmp_path / "geojson" / "cities.geojson").read_text(encoding="utf-8"))
    ids = [feature["id"] for feature in document["features"]]
    assert ids and "tashkent" in ids and "astana" not in ids
    for feature in document["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        assert 68 <= lon <= 70 and 40 <= lat <= 42


def test_impossible_bbox_is_a_usage_error(data_dir, tmp_path):
    result = run_geo("--data", str(data_dir), "export", "--out", str(tmp_path / "o"), "--bbox", "70", "40", "68", "42")
    assert result.returncode == 2
    assert "WEST must be less than EAST" in result.stderr
    assert not (tmp_path / "o").exists()
