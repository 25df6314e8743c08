"""The page script's parts that need no map (decoding, formatting, search, labels, URL hash, URL
state and its writing into the address, state and its subscriptions, timeline, hit-testing, popup
building) under Node's built-in test runner: tests/js/*.test.js (popups are built against
tests/js/stand_in_document.js)."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_node_unit_tests_of_the_page_script_pass():
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI") == "true":
            pytest.fail("node is not installed; CI must install Node 20 (.ci/run)")
        pytest.skip("node is not installed (Node 20 runs tests/js/)")
    files = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "tests" / "js").glob("*.test.js"))
    assert files, "no JS unit tests found"
    result = subprocess.run([node, "--test", *files], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
