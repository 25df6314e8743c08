"""The same data gives the same bytes on any day: two exports under different clocks (Debian's
faketime) are byte-identical, the Shapefile's DBF header included."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def _faketime() -> str:
    path = shutil.which("faketime")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("faketime is not installed; CI must install it (.ci/run)")
        pytest.skip("Debian's faketime is not installed (apt-get install faketime)")
    return path


def _export_on(day: str, out: Path) -> None:
    command = [_faketime(), f"{day} 12:00:00", sys.executable, "-m", "geo", "export", "--out", str(out),
               "--format", "shp", "--format", "gpkg", "--layer", "dams"]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr


def _checksums(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in root.rglob("*")
        if p.is_file()
    }


def test_exports_on_different_days_are_byte_identical(tmp_path):
    _export_on("2021-03-04", tmp_path / "a")
    _export_on("2029-11-30", tmp_path / "b")
    first, second = _checksums(tmp_path / "a"), _checksums(tmp_path / "b")
    assert "shp/dams.shp.zip" in first and first == second
