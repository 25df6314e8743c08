"""Shared fixtures: the shipped data, a disposable copy of it, and the CLI run as a user runs it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def pytest_report_header(config: pytest.Config) -> list[str]:
    import folium
    import geopandas
    import pydantic
    import pyogrio
    import shapely

    return [
        f"geopandas {geopandas.__version__}, shapely {shapely.__version__}, pyogrio {pyogrio.__version__} "
        f"(GDAL {pyogrio.__gdal_version_string__}), folium {folium.__version__}, pydantic {pydantic.VERSION}"
    ]


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ that a test may break; the shipped data stays untouched."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def run_geo(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run `python -m geo ...` in a fresh process, as a user would, and capture its output."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=cwd or ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def geo_cli():
    return run_geo
