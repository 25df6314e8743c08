"""Hostile text and links on a map page, in Chromium, offline: the page draws and says what it could not read.

One map is built from a data copy whose Atameken checkpoint has an unclosed right-to-left
override (U+202E) in its name and note, and opened once: first with a link naming an inherited
object property as the feature to open (`#open=__proto__`), then with others by hashchange, then
the checkpoint itself, whose popup, search hit and layer list must keep the page's own text (the
citation numbers, "— Border checkpoint") in reading order.
"""

from __future__ import annotations

import itertools
import json
from pathlib import Path

import pytest

from tests.browser import open_map, set_hash, wait_until_still
from tests.conftest import run_geo

pytestmark = pytest.mark.browser

MAP = "kazakhstan-uzbekistan"
OVERRIDE = "\u202e"

# For each element: the letters and digits of its own text (not of data in a <bdi> or [dir]
# isolate), in document order, with the left edge each is drawn at and its line's top.
READING_ORDER = """selector => [...document.querySelectorAll(selector)].map(root => {
  const out = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest('bdi, [dir]') && root.contains(node.parentElement.closest('bdi, [dir]'))) continue;
    for (let i = 0; i < node.data.length; i++) {
      if (!/[A-Za-z0-9]/.test(node.data[i])) continue;
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      if (box.width) out.push([node.data[i], Math.round(box.left), Math.round(box.top)]);
    }
  }
  return out;
})"""


def _out_of_order(runs: list[list]) -> list:
    """Pairs of successive characters on one line whose second is drawn left of the first."""
    bad = []
    for chars in runs:
        for (a, ax, ay), (b, bx, by) in itertools.pairwise(chars):
            if abs(ay - by) <= 3 and bx < ax:
                bad.append((a, b, ax, bx))
    return bad


@pytest.fixture(scope="module")
def hostile_map(tmp_path_factory, data_dir) -> Path:
    import shutil

    root = tmp_path_factory.mktemp("untrusted-text")
    data = root / "data"
    shutil.copytree(data_dir, data)
    path = data / "layers" / "border_checkpoints.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    for feature in document["features"]:
        if feature["properties"]["id"] == "atameken-checkpoint":
            feature["properties"]["name"] = f"Atameken {OVERRIDE}checkpoint"
            feature["properties"]["note"] = f"A road crossing {OVERRIDE}with an unclosed override"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    out = root / "maps"
    result = run_geo("--data", str(data), "build", "--out", str(out), MAP)
    assert result.returncode == 0, result.stderr
    return out / f"{MAP}.html"


def test_crafted_open_links_and_an_unclosed_override_leave_the_page_whole(browser, hostile_map):
    page, log = open_map(browser, hostile_map, hash_fragment="#open=__proto__", viewport=(1024, 768))
    try:
        # On load: every feature drawn, the ready flag set (open_map waited for it), the part named.
        drawn = page.evaluate("atlas.visibleIds().length")
        assert drawn > 0
        notices = page.locator(".atlas-notice").all_inner_texts()
        assert any("open feature" in text for text in notices), notices
        assert page.evaluate("atlas.state().open") is None
        for name in ("constructor", "toString", "hasOwnProperty", "__defineGetter__", "valueOf"):
            set_hash(page, f"#open={name}")
            assert page.evaluate("atlas.visibleIds().length") == drawn, name
            assert page.locator(".leaflet-popup").count() == 0, name
        assert log.page_errors == [] and log.console_errors == []

        # The checkpoint's popup: its own citation numbers and words stay in reading order.
        set_hash(page, "#open=atameken-checkpoint")
        page.locator(".atlas-popup").first.wait_for()
        wait_until_still(page)
        note = page.evaluate(READING_ORDER, ".atlas-popup p")
        assert any(ch.isdigit() for chars in note for ch, *_ in chars), note  # citations were measured
        assert _out_of_order(note) == []
        assert _out_of_order(page.evaluate(READING_ORDER, ".atlas-popup h3, .atlas-popup li")) == []
        # ... and so do the search hit's kind and the layer list's counts.
        page.locator("#atlas-search-input").fill("Atameken")
        hits = page.evaluate(READING_ORDER, "#atlas-search-results li")
        assert hits and _out_of_order(hits) == []
        assert _out_of_order(page.evaluate(READING_ORDER, "#atlas-layers label")) == []
        assert log.page_errors == [] and log.console_errors == []
    finally:
        page.close()
