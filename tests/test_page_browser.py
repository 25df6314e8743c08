"""The map page as a reader meets it, at three screen sizes, offline: how much of the screen is
map, whether every click opens what was clicked, popups in full view, labels apart, the URL,
search, accessibility."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.browser import axe_violations, open_browser, open_map, require_chromium, screenshot
from tests.conftest import DATA

pytestmark = pytest.mark.browser

MAPS = [spec["id"] for spec in yaml.safe_load((DATA / "maps.yaml").read_text(encoding="utf-8"))]
SIZES = {"desktop": (1440, 900), "laptop": (1024, 768), "phone": (390, 844)}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from geo.cli import cli

    out = tmp_path_factory.mktemp("maps")
    result = CliRunner().invoke(cli, ["build", "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def browser():
    require_chromium()
    with open_browser() as instance:
        yield instance


MAP_SHARE = """() => {
  const map = document.querySelector('.folium-map');
  let hits = 0, total = 0;
  for (let x = 5; x < innerWidth; x += 20) for (let y = 5; y < innerHeight; y += 20) {
    total += 1;
    const el = document.elementFromPoint(x, y);
    if (el && map.contains(el) && !el.closest('.leaflet-control')) hits += 1;
  }
  return hits / total;
}"""

LABEL_BOXES = """() => [...document.querySelectorAll('.atlas-label')].filter(e => !e.hidden)
  .map(e => { const r = e.getBoundingClientRect(); return [e.textContent, r.left, r.top, r.right, r.bottom]; })"""

POPUP_VISIBLE = """() => {
  const all = document.querySelectorAll('.leaflet-popup-pane > .leaflet-popup');
  const wrap = all[all.length - 1];
  if (!wrap) return 'no popup';
  const box = wrap.querySelector('.leaflet-popup-content-wrapper').getBoundingClientRect();
  const map = document.querySelector('.folium-map').getBoundingClientRect();
  if (box.left < map.left - 1 || box.top < map.top - 1 || box.right > map.right + 1 || box.bottom > map.bottom + 1)
    return 'outside the map: ' + JSON.stringify([box.left, box.top, box.right, box.bottom]);
  for (const fx of [0.1, 0.5, 0.9]) for (const fy of [0.1, 0.5, 0.9]) {
    const el = document.elementFromPoint(box.left + fx * box.width, box.top + fy * box.height);
    if (!el || !wrap.contains(el)) return 'covered at ' + fx + ',' + fy + ' by ' + (el && (el.className || el.tagName));
  }
  return 'ok';
}"""


def _open_clicked(page, feature_id: str, view: dict) -> str | None:
    """At the map's own view, click where a feature is; through the chooser if one opens.
    Returns the id of the feature whose popup opened."""
    page.evaluate("atlas.closePopup()")
    page.evaluate("v => atlas.setView(v)", view)
    point = page.evaluate(f"atlas.screenPoint({feature_id!r})")
    page.mouse.click(point["x"], point["y"])
    current = page.locator(".leaflet-popup-pane > .leaflet-popup").last
    chooser = current.locator(".atlas-chooser")
    popup = page.locator(".leaflet-popup-pane > .leaflet-popup").last.locator(".atlas-popup")
    page.wait_for_timeout(50)
    if chooser.count():
        names = chooser.locator("[data-feature-id]").evaluate_all("els => els.map(e => e.dataset.featureId)")
        if feature_id not in names:
            return "chooser without it: " + ",".join(names)
        chooser.locator(f'[data-feature-id="{feature_id}"]').click()
    page.wait_for_timeout(350)  # the map pans the popup into view
    if not popup.count():
        return None
    return popup.get_attribute("data-feature-id")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("map_id", MAPS)
def test_on_load_the_map_fills_the_screen_and_labels_never_overlap(browser, built, map_id, size):
    page, log = open_map(browser, built / f"{map_id}.html", viewport=SIZES[size])
    try:
        page.wait_for_timeout(200)
        screenshot(page, f"page-{map_id}-{size}")
        assert log.page_errors == [] and log.console_errors == []
        share = page.evaluate(MAP_SHARE)
        assert share >= (0.75 if size == "phone" else 0.6), share
        boxes = page.evaluate(LABEL_BOXES)
        assert boxes, "no labels shown"
        for i, a in enumerate(boxes):
            for b in boxes[i + 1:]:
                overlap = a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
                assert not overlap, (a, b)
        # Offline, the map still names the countries it shows.
        assert any(text.isupper() or text in ("Kazakhstan", "Uzbekistan", "Tajikistan") for text, *_ in boxes) or page.locator(".atlas-label-country:not([hidden])").count() > 0
    finally:
        page.close()


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("map_id", MAPS)
def test_a_click_on_each_feature_opens_that_feature_in_full_view(browser, built, map_id, size):
    page, log = open_map(browser, built / f"{map_id}.html", viewport=SIZES[size])
    try:
        ids = page.evaluate("atlas.visibleIds()")
        view = page.evaluate("atlas.view()")
        assert ids
        wrong = {}
        for feature_id in ids:
            opened = _open_clicked(page, feature_id, view)
            if opened != feature_id:
                wrong[feature_id] = opened
                continue
            visible = page.evaluate(POPUP_VISIBLE)
            if visible != "ok":
                wrong[feature_id] = visible
        if wrong:
            screenshot(page, f"click-{map_id}-{size}")
        assert wrong == {}
        assert log.page_errors == []
    finally:
        page.close()
