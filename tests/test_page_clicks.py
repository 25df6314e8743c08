"""Every click on the map opens what was clicked, in full view: each feature of each map, at three
screen sizes, offline (a file of its own so that the test workers share the browser tests evenly)."""

from __future__ import annotations

from pathlib import Path

import pytest

from geo.catalog import Catalog, load_catalog
from tests.browser import open_map, screenshot
from tests.test_page_browser import MAPS, POPUP_VISIBLE, SIZES

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def catalog(data_dir: Path) -> Catalog:
    return load_catalog(data_dir)


NO_PAN_ANIMATION = """() => { const panBy = L.Map.prototype.panBy;
  L.Map.prototype.panBy = function (offset, options) { return panBy.call(this, offset, Object.assign({}, options, {animate: false})); }; }"""


# One round trip each (a click test makes a few hundred): back to the map's view with no popup
# open, then where the feature is on screen; and, after the click, what the newest popup holds.
_PREPARE_CLICK = "([id, view]) => { atlas.closePopup(); atlas.setView(view); return atlas.screenPoint(id); }"
_NEWEST_POPUP = """() => {
  const all = document.querySelectorAll('.leaflet-popup-pane > .leaflet-popup');
  const wrap = all[all.length - 1];
  if (!wrap) return {};
  const chooser = wrap.querySelector('.atlas-chooser');
  if (chooser) return {chooser: Object.fromEntries([...chooser.querySelectorAll('[data-feature-id]')].map(e => {
    const r = e.getBoundingClientRect(); return [e.dataset.featureId, [r.left + r.width / 2, r.top + r.height / 2]]; }))};
  const popup = wrap.querySelector('.atlas-popup');
  return {opened: popup ? popup.getAttribute('data-feature-id') : null};
}"""


CROWDED_PX = 40  # symbols closer than this on screen may be hit together (a chooser opens)


def _click_sample(page, ids: list[str], layer_of: dict[str, str], crowded: bool) -> list[str]:
    """The first feature of each layer and, if `crowded`, each feature near another (whose click
    can go wrong when symbols crowd: hit-testing and the chooser)."""
    points = page.evaluate("ids => ids.map(id => atlas.screenPoint(id))", ids) if crowded else []
    near: set[str] = set()
    for i, (one, a) in enumerate(zip(ids, points)):
        for other, b in zip(ids[i + 1:], points[i + 1:]):
            if abs(a["x"] - b["x"]) < CROWDED_PX and abs(a["y"] - b["y"]) < CROWDED_PX:
                near |= {one, other}
    first = {layer_of[feature_id]: feature_id for feature_id in reversed(ids)}
    return [feature_id for feature_id in ids if feature_id in near or feature_id in first.values()]


def _open_clicked(page, feature_id: str, view: dict) -> str | None:
    """At the map's own view, click where a feature is; through the chooser if one opens.
    Returns the id of the feature whose popup opened."""
    point = page.evaluate(_PREPARE_CLICK, [feature_id, view])
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function("() => !atlas.moving()", timeout=3000)
    newest = page.evaluate(_NEWEST_POPUP)
    if "chooser" in newest:
        if feature_id not in newest["chooser"]:
            return "chooser without it: " + ",".join(newest["chooser"])
        page.mouse.click(*newest["chooser"][feature_id])  # where the reader clicks, while the chooser fades in
        page.wait_for_function("() => !atlas.moving()", timeout=3000)  # the map pans the popup into view
        newest = page.evaluate(_NEWEST_POPUP)
    opened: str | None = newest.get("opened")
    return opened


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("map_id", MAPS)
def test_a_click_on_each_feature_opens_that_feature_in_full_view(browser, built, catalog, map_id, size):
    """Every feature at desktop size; on a phone, where symbols crowd, every feature near another
    (hit-testing and the chooser are what the size changes) and one of each layer; at laptop
    size, between the two, one of each layer."""
    layer_of = {feature.id: feature.layer for feature in catalog.features()}
    page, log = open_map(browser, built / f"{map_id}.html", viewport=SIZES[size])
    # The popup still pans into view, in one step instead of a 250 ms animation per click.
    page.evaluate(NO_PAN_ANIMATION)
    try:
        ids = page.evaluate("atlas.visibleIds()")
        view = page.evaluate("atlas.view()")
        assert ids
        wrong = {}
        for feature_id in ids if size == "desktop" else _click_sample(page, ids, layer_of, crowded=size == "phone"):
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
