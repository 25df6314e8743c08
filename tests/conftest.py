"""Shared fixtures: the shipped data, a disposable copy of it, the CLI run as a user runs it, built maps.

Commands run in-process through click's CliRunner (fast: no interpreter start, no re-import of
folium and geopandas per call); `run_geo_process` keeps a few real subprocess smoke tests. Every
test run gets its own cache directory, so nothing is read from or written to the user's ~/.cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from geo.catalog import Catalog

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


@pytest.fixture(scope="session", autouse=True)
def hermetic_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache directory of this test run's own (the no-op build check keeps file hashes there)."""
    cache = tmp_path_factory.mktemp("xdg-cache")
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache)
    yield cache
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous


@pytest.fixture(scope="session")
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def catalog(data_dir: Path) -> Catalog:
    """The shipped data, loaded once per test process. Read only: a test that changes the data
    changes `data_copy` and loads that."""
    from geo.catalog import load_catalog

    return load_catalog(data_dir)


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ that a test may break; the shipped data stays untouched."""
    target = tmp_path / "data"
    shutil.copytree(DATA, target)
    return target


def file_digest(path: Path) -> str:
    """A file's SHA-256: what tests compare for files of megabytes, so that a difference is reported
    as which file differs (pytest under CI=true diffs compared values in full, minutes for a map page)."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edit_feature(data: Path, layer: str, feature_id: str, change: Callable[[dict], None]) -> None:
    """Change one feature of a layer file in a copy of the data (`change` gets the whole GeoJSON feature)."""
    path = data / "layers" / f"{layer}.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    (feature,) = [f for f in document["features"] if f["properties"]["id"] == feature_id]
    change(feature)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


def set_properties(**values: object) -> Callable[[dict], None]:
    """A change for edit_feature: these properties set to these values."""
    return lambda feature: feature["properties"].update(values)


def drop_properties(*names: str) -> Callable[[dict], None]:
    """A change for edit_feature: these properties removed."""

    def drop(feature: dict) -> None:
        for name in names:
            del feature["properties"][name]

    return drop


def set_coordinates(coordinates: object) -> Callable[[dict], None]:
    """A change for edit_feature: the geometry's coordinates replaced."""
    return lambda feature: feature["geometry"].__setitem__("coordinates", coordinates)


def replace_once(path: Path, old: str, new: str) -> None:
    """Replace a text that occurs exactly once in a file of a data copy."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@dataclass(frozen=True)
class GeoResult:
    """What a user sees of one `geo` run: exit status, standard output, standard error."""

    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        """All a terminal shows of the run: its standard output, then its standard error."""
        return self.stdout + self.stderr


def run_geo(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> GeoResult:
    """Run `geo ...` in this process through click's CliRunner, as a user would from a shell.

    An exception that escapes the command shows as a traceback on stderr with exit status 1,
    as it would in a real process, so tests that forbid tracebacks still see them.
    """
    from click.testing import CliRunner

    from geo.cli import cli

    runner = CliRunner()
    # From the repository by default; cwd=Path(".") runs where the process stands (a child that
    # gave up the right to enter the directories above it could not come back to them).
    where = cwd or ROOT
    with contextlib.nullcontext() if where == Path(".") else contextlib.chdir(where):
        # Help as a process without a terminal wraps it: 80 columns less click's margin of 2
        # (CliRunner would force 80).
        result = runner.invoke(cli, list(args), prog_name="geo", env=env, terminal_width=78)
    stderr = result.stderr
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        stderr += "".join(traceback.format_exception(result.exception))
    return GeoResult(result.exit_code, result.stdout, stderr)


def run_geo_process(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run `python -m geo ...` in a fresh process: for what only a real process shows (imports, signals)."""
    full_env = {**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=cwd or ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )


GENERATED_LAYERS = ["bench_points", "bench_lines", "bench_polygons"]
# The page's data block, as the build writes it (tests that read the payload back).
DATA_BLOCK = re.compile(r'<script type="application/json" id="atlas-data">(.*?)</script>', re.S)


@dataclass(frozen=True)
class GeneratedMap:
    """A data set made by bench/synth.py, its map built: what was generated and the page."""

    root: Path
    summary: dict
    html: Path
    features: dict[str, list[dict]]


def build_generated_map(root: Path, points: int, *, lines: int, polygons: int) -> GeneratedMap:
    """Generate points, lines and polygons into root/data and build their map into root/maps."""
    import orjson

    from bench import synth
    from geo.cycles import cycle_collection_paused

    summary = synth.generate(root / "data", points, lines=lines, polygons=polygons)
    out = root / "maps"
    result = run_geo("--data", str(root / "data"), "build", "--out", str(out), "bench")
    assert result.returncode == 0, result.stderr
    # Read with the cycle collector paused, as the atlas reads a large layer: a million parsed
    # objects and no cycle, where each full pass of the collector would walk them all again.
    with cycle_collection_paused():
        features = {
            layer_id: orjson.loads((root / "data" / summary["files"][layer_id]).read_bytes())["features"]
            for layer_id in GENERATED_LAYERS
        }
    return GeneratedMap(root, summary, out / "bench.html", features)


@pytest.fixture(scope="session")
def built_maps(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The shipped maps built once per test run: (output directory, what the build printed)."""
    out = tmp_path_factory.mktemp("built-maps")
    result = run_geo("build", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out, result.stdout


@pytest.fixture(scope="session")
def built(built_maps: tuple[Path, str]) -> Path:
    """The directory of the maps built once per run."""
    return built_maps[0]


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium, and one browsing context in it, for the whole run (each test opens its own pages)."""
    from tests.browser import open_browser, require_chromium

    require_chromium()
    with open_browser() as instance:
        yield instance


@pytest.fixture(scope="session")
def animated_browser(browser):
    """A second context in the same Chromium with the reader's default motion: Leaflet's zoom,
    fade and pan animations on, for the tests of what happens while the map glides."""
    context = browser.browser.new_context()
    yield context
    context.close()


@pytest.fixture(scope="session", autouse=True)
def screenshots_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser tests' screenshots go: $GEO_SCREENSHOTS, which asks for one of every page
    the tests look at; without it only a failing test's, under this run's tmp dir."""
    from tests import browser as browser_helpers

    asked = os.environ.get("GEO_SCREENSHOTS")
    path = Path(asked or tmp_path_factory.mktemp("screenshots"))
    browser_helpers.SCREENSHOTS = path
    browser_helpers.EVERY_SCREENSHOT = bool(asked)
    return path
