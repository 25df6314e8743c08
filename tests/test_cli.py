"""`geo --help`, `geo validate` and `geo list` as a user runs them: exit codes and what they print."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from geo.catalog import Catalog
from tests.conftest import run_geo

LAYER_IDS = [
    "border_checkpoints",
    "industrial_sites",
    "railway_lines",
    "railway_stations",
    "corridors",
    "water_bodies",
    "dams",
    "cities",
]


# --- help ----------------------------------------------------------------------------------------


def test_top_level_help_explains_the_commands_and_exit_codes() -> None:
    result = run_geo("--help")
    assert result.returncode == 0
    assert result.stderr == ""
    out = result.stdout
    assert out.startswith("Usage: geo [OPTIONS] COMMAND [ARGS]...")
    assert "Atlas of Central Asia's new trade corridors and border sites." in out
    for command in ("validate", "list", "build", "export"):
        assert f"  {command} " in out
    assert "--data DIRECTORY" in out
    assert "$GEO_DATA" in out
    assert "Exit status: 0 success, 1 invalid data or a failed build/export, 2 wrong" in out


def test_short_help_option() -> None:
    assert run_geo("-h").stdout == run_geo("--help").stdout


def test_validate_help() -> None:
    result = run_geo("validate", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: geo validate [OPTIONS]")
    assert "Check the data: schema, references, geometries, countries, stated sizes and translations." in " ".join(
        result.stdout.split()
    )
    assert "one line per problem (file, record id, field, what is wrong)" in result.stdout
    assert "exits 1" in result.stdout


def test_list_help() -> None:
    result = run_geo("list", "--help")
    assert result.returncode == 0
    assert result.stdout.startswith("Usage: geo list [OPTIONS]")
    assert "List the layers with their feature counts, and the features of each." in result.stdout
    assert "--layer LAYER  Only this layer (repeatable)." in result.stdout


def test_version() -> None:
    result = run_geo("--version")
    assert (result.returncode, result.stdout) == (0, "geo, version 0.1.0\n")


def test_help_does_not_import_the_heavy_libraries() -> None:
    # `geo --help` stays fast because the commands import geopandas, shapely and pydantic themselves.
    code = "import sys, geo.cli; print(sorted({'geopandas', 'shapely', 'pydantic', 'folium'} & set(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_build_does_not_import_pandas(tmp_path: Path) -> None:
    # A build needs folium but not pandas (folium imports it only to recognise DataFrames): the
    # fifth of a second it costs is what keeps `geo build` import-bound (bench/import_time.py).
    code = (
        "import sys; from geo.cli import main; sys.argv = ['geo', 'build', '--out', sys.argv[1], '--force']\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert exit.code == 0, exit.code\n"
        "print(sorted({'pandas', 'geopandas', 'folium'} & set(sys.modules)), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "maps")], capture_output=True, text=True, check=True
    )
    assert result.stderr.strip().splitlines()[-1] == "['folium']"
    assert (tmp_path / "maps" / "index.html").is_file()


def test_unknown_command_is_a_usage_error() -> None:
    result = run_geo("check")
    assert result.returncode == 2
    assert "No such command 'check'" in result.stderr


# --- validate ------------------------------------------------------------------------------------


def test_validate_shipped_data_prints_the_summary(catalog: Catalog) -> None:
    result = run_geo("validate")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    features = sum(len(layer.features) for layer in catalog.layers.values())
    assert result.stdout == (
        f"data is valid: {len(catalog.layers)} layers, {features} features, {len(catalog.projects)} projects, "
        f"{len(catalog.events)} events, {len(catalog.figures)} figures, {len(catalog.sources)} sources, "
        f"{len(catalog.maps)} maps\n"
    )
    assert result.stdout.startswith("data is valid: 8 layers, 29 features, ")


def test_validate_missing_data_directory(tmp_path: Path) -> None:
    result = run_geo("--data", "/nonexistent", "validate", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        "1 problem found in the atlas data:\n  - /nonexistent: (directory): data directory not found (given by --data); "
        "name the atlas's data directory with --data DIR or $GEO_DATA\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_data_directory_from_the_environment(tmp_path: Path) -> None:
    result = run_geo("validate", cwd=tmp_path, env={"GEO_DATA": "/nonexistent"})
    assert result.returncode == 1
    assert "/nonexistent: (directory): data directory not found (from $GEO_DATA); " in result.stderr


@pytest.mark.skipif("GEO_DATA" in os.environ, reason="GEO_DATA is set, so the default is not used")
def test_default_data_directory_is_relative_to_where_geo_runs(tmp_path: Path) -> None:
    """Run from outside the repository, every command says where it looked and how to name the data."""
    for command in (["validate"], ["list"], ["build"], ["export", "--out", "dist"], ["render"]):
        result = run_geo(*command, cwd=tmp_path)
        assert result.returncode == 1, command
        assert result.stderr == (
            "1 problem found in the atlas data:\n  - data: (directory): data directory not found (the default: ./data, "
            "relative to where geo runs); name the atlas's data directory with --data DIR or $GEO_DATA\n"
        ), command
        assert list(tmp_path.iterdir()) == [], command


def test_data_option_pointing_at_a_file_is_a_usage_error(data_dir: Path) -> None:
    result = run_geo("--data", str(data_dir / "layers.yaml"), "validate")
    assert result.returncode == 2
    assert "is a file" in result.stderr


# --- list ----------------------------------------------------------------------------------------


def test_list_prints_every_layer_with_its_count_and_features(catalog: Catalog) -> None:
    result = run_geo("list")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    headers = [line for line in lines if not line.startswith("  ")]
    assert [line.split("  ")[0] for line in headers] == LAYER_IDS
    assert "border_checkpoints  Border checkpoints  (2 features, Point)" in headers
    assert "water_bodies  Reservoirs and seas  (2 features, MultiPolygon)" in headers
    for layer in catalog.layers.values():
        count = len(layer.features)
        header = f"{layer.id}  {layer.spec.title}  ({count} feature{'' if count == 1 else 's'}, {layer.spec.geometry_type.value})"
        start = lines.index(header)
        listed = [line.split("  ")[1] for line in lines[start + 1 : start + 1 + len(layer.features)]]
        assert listed == [feature.id for feature in layer.features]
    assert "  atameken-checkpoint  Atameken border checkpoint  [border_checkpoint, KZ, operational]" in lines
    assert "  aral-sea  Aral Sea  [sea, KZ/UZ]" in lines


def test_list_only_the_layers_asked_for() -> None:
    result = run_geo("list", "--layer", "dams", "--layer", "border_checkpoints")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (
        "border_checkpoints  Border checkpoints  (2 features, Point)\n"
        "  atameken-checkpoint  Atameken border checkpoint  [border_checkpoint, KZ, operational]\n"
        "  gulistan-checkpoint  Gulistan border checkpoint  [border_checkpoint, UZ, unknown]\n"
        "dams  Dams  (1 feature, Point)\n"
        "  kayrakkum-dam  Kayrakkum dam and hydropower station  [dam, TJ, operational]\n"
    )


def test_list_unknown_layer_is_a_usage_error_naming_the_layers() -> None:
    result = run_geo("list", "--layer", "nope")
    assert result.returncode == 2
    assert result.stdout == ""
    assert f"Error: Invalid value for --layer: unknown layer nope (layers: {', '.join(LAYER_IDS)})" in result.stderr


def test_list_on_invalid_data_reports_the_problems(data_copy: Path) -> None:
    path = data_copy / "layers" / "dams.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["features"][0]["properties"]["kind"] = "weir"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    result = run_geo("--data", str(data_copy), "list", cwd=data_copy.parent)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith(
        "1 problem found in the atlas data:\n  - data/layers/dams.geojson: kayrakkum-dam: field 'kind': "
    )
    assert "(got 'weir')" in result.stderr


# --- a real process --------------------------------------------------------------------------------


def test_a_real_process_runs_help_and_validate_with_exit_codes() -> None:
    """Smoke test of `python -m geo` as a shell runs it (the other CLI tests run in-process)."""
    from tests.conftest import run_geo_process

    help_run = run_geo_process("--help")
    assert help_run.returncode == 0 and help_run.stdout.startswith("Usage: geo [OPTIONS] COMMAND")
    valid = run_geo_process("validate")
    assert valid.returncode == 0 and valid.stdout.startswith("data is valid:"), valid.stderr
    unknown = run_geo_process("nonsense")
    assert unknown.returncode == 2 and "No such command 'nonsense'" in unknown.stderr
