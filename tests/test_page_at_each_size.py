"""Each map at each screen size, offline, as a reader meets it: on load (how much of the screen is
map, labels apart, every feature drawn and every layer listed, accessibility), every control big
enough for a finger on a phone, and every click opening what was clicked, in full view.

Each map is opened once per size and the tests here take turns on that page: 12 pages for 52
tests (opening a map costs the machine 0.5 to 1.5 CPU-seconds). The load test runs first, on the
page as it loaded, and opens a page of its own if another test had it first; every later test
starts from the map's own view with no popup open and puts back what else it changes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from geo.catalog import Catalog
from tests.browser import (
    MAP_SHARE,
    MAPS,
    POPUP_SHOWN,
    POPUP_VISIBLE,
    SIZES,
    STILL,
    PageLog,
    address_hash,
    axe_violations,
    open_map,
    screenshot,
    wait_until_still,
)
from tests.conftest import DATA

pytestmark = pytest.mark.browser

MAP_SPECS = {spec["id"]: spec for spec in yaml.safe_load((DATA / "maps.yaml").read_text(encoding="utf-8"))}
LAYER_TITLES = {
    spec["id"]: spec["title"] for spec in yaml.safe_load((DATA / "layers.yaml").read_text(encoding="utf-8"))
}
SIZED_MAPS = [(map_id, size) for map_id in MAPS for size in SIZES]


@dataclass
class MapAtSize:
    """A map opened at one screen size, shared by this module's tests."""

    map_id: str
    size: str
    page: object
    log: PageLog
    view: dict  # the map's own view, as it opened
    used: bool = False  # a test has had the page
    opened: list = field(default_factory=list)  # pages of their own, closed at the end

    def as_loaded(self, browser, built: Path):
        """The page as it loaded: this one if no test has had it yet, else a fresh one."""
        if not self.used:
            self.used = True
            return self.page, self.log
        page, log = open_map(browser, built / f"{self.map_id}.html", viewport=SIZES[self.size])
        self.opened.append(page)
        return page, log

    def at_its_view(self):
        """The shared page back at the map's own view, with no popup open."""
        self.used = True
        self.page.evaluate("view => { atlas.closePopup(); atlas.setView(view); }", self.view)
        # A closed popup fades out for 200 ms before Leaflet removes it.
        self.page.wait_for_function("() => !document.querySelector('.leaflet-popup')", timeout=2000)
        wait_until_still(self.page)
        return self.page


@pytest.fixture(scope="module")
def map_at_size(request, browser, built):
    map_id, size = request.param
    page, log = open_map(browser, built / f"{map_id}.html", viewport=SIZES[size])
    shared = MapAtSize(map_id, size, page, log, view=page.evaluate("atlas.view()"))
    yield shared
    for other in shared.opened:
        other.close()
    page.close()


def each_map_at(*sizes: str):
    """Parametrize a test over the shipped maps at these sizes, on the shared pages."""
    pairs = [(map_id, size) for map_id, size in SIZED_MAPS if size in sizes]
    return pytest.mark.parametrize("map_at_size", pairs, indirect=True, ids=[f"{m}-{s}" for m, s in pairs])


LABEL_BOXES = """() => [...document.querySelectorAll('.atlas-label')].filter(e => !e.hidden)
  .map(e => { const r = e.getBoundingClientRect(); return [e.textContent, r.left, r.top, r.right, r.bottom]; })"""


# -- on load ----------------------------------------------------------------------------------


@each_map_at(*SIZES)
def test_on_load_the_map_fills_the_screen_labels_never_overlap_and_axe_finds_nothing(browser, built, map_at_size):
    size = map_at_size.size
    page, log = map_at_size.as_loaded(browser, built)
    wait_until_still(page)
    screenshot(page, f"page-{map_at_size.map_id}-{size}")
    assert log.page_errors == [] and log.console_errors == []
    share = page.evaluate(MAP_SHARE)
    assert share >= 0.75, share  # measured 0.81 desktop, 0.78 laptop, 0.80 phone (offline, tile notice folded)
    boxes = page.evaluate(LABEL_BOXES)
    assert boxes, "no labels shown"
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            overlap = a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
            assert not overlap, (a, b)
    # Offline, the map still names the countries it shows.
    assert (
        any(text.isupper() or text in ("Kazakhstan", "Uzbekistan", "Tajikistan") for text, *_ in boxes)
        or page.locator(".atlas-label-country:not([hidden])").count() > 0
    )
    # axe-core finds no violation of moderate impact or above on load (with a popup open: the
    # Russian test below, whose popups hold the longer texts). At laptop size the page is laid out
    # as at desktop size (atlas.css has one breakpoint, 700 px): axe runs at desktop and phone size.
    if size != "laptop":
        assert axe_violations(page) == []


def _map_layers(map_id: str) -> list[str]:
    return MAP_SPECS[map_id]["layers"]


def _feature_total(map_id: str) -> int:
    return sum(
        len(json.loads((DATA / "layers" / f"{layer_id}.geojson").read_text(encoding="utf-8"))["features"])
        for layer_id in _map_layers(map_id)
    )


@each_map_at("desktop")
def test_map_loads_offline_draws_every_feature_and_lists_every_layer(map_at_size):
    map_id = map_at_size.map_id
    page, log = map_at_size.at_its_view(), map_at_size.log
    assert log.page_errors == []
    assert log.console_errors == []
    assert page.evaluate("atlas.featureCount()") == _feature_total(map_id)
    assert page.evaluate("atlas.drawnCount()") == _feature_total(map_id)
    labels = page.locator("#atlas-layers .atlas-overlays label").all_inner_texts()
    for layer_id in _map_layers(map_id):
        assert any(label.strip().startswith(LAYER_TITLES[layer_id]) for label in labels), (layer_id, labels)
    # Declared order is the order in the panel's layer list (the rail overlay after them).
    data_labels = [label.strip().rsplit(" (", 1)[0] for label in labels if "OpenRailwayMap" not in label]
    assert data_labels == [LAYER_TITLES[layer_id] for layer_id in _map_layers(map_id)]
    bases = page.locator("#atlas-layers .atlas-bases label").all_inner_texts()
    assert [b.strip() for b in bases] == [
        "OpenStreetMap",
        "Light grey (Esri World Light Gray Canvas)",
        "Satellite imagery (Esri World Imagery)",
        "Outline map (offline)",
        "No basemap (country outlines only)",
    ]
    assert page.title() and page.locator("html").get_attribute("lang") == "en"
    assert page.locator("#atlas-layers .atlas-legend-layer").count() == len(_map_layers(map_id))
    # Nothing was asked of the network but basemap tiles (answered here).
    assert log.blocked == []
    tiles = log.tile_requests()
    assert tiles and all(re.search(r"/\d+/\d+/\d+(\.png)?$|/tile/\d+/\d+/\d+$", url) for url in tiles), tiles


# -- controls on a phone ----------------------------------------------------------------------

TAP_TARGETS = """() => [...document.querySelectorAll('button, input, select, summary, a, [tabindex="0"]')]
  .filter(e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                 return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && !e.closest('[hidden]')
                   && !e.classList.contains('leaflet-container') && !e.classList.contains('atlas-popup')
                   && !e.classList.contains('atlas-timeline-scroll')
                   && r.bottom > 0 && r.top < innerHeight; })
  .map(e => { const r = e.getBoundingClientRect(); return [e.id || e.className || e.tagName, e.textContent.slice(0, 30), Math.round(r.width), Math.round(r.height)]; })
  .filter(t => t[2] < 24 || t[3] < 24)"""


@each_map_at("phone")
def test_every_control_on_a_phone_is_at_least_24_px(map_at_size):
    page = map_at_size.at_its_view()
    assert page.evaluate(TAP_TARGETS) == []
    toggle = page.locator("#atlas-panel-toggle")
    toggle.click()  # the sheet open: its controls too
    try:
        assert page.locator("#atlas-layers").is_visible()
        assert page.evaluate(TAP_TARGETS) == []
        screenshot(page, f"sheet-open-{map_at_size.map_id}")
        assert page.locator('meta[name="viewport"]').get_attribute("content") == "width=device-width, initial-scale=1"
    finally:
        toggle.click()  # closed again, as the next test expects it
        page.locator("#atlas-layers").wait_for(state="hidden", timeout=2000)


# -- clicks -----------------------------------------------------------------------------------


NO_PAN_ANIMATION = """() => { const panBy = window.__leafletPanBy = L.Map.prototype.panBy;
  L.Map.prototype.panBy = function (offset, options) { return panBy.call(this, offset, Object.assign({}, options, {animate: false})); }; }"""
PAN_ANIMATION_BACK = "() => { L.Map.prototype.panBy = window.__leafletPanBy; }"

# One round trip each (a click test makes a few hundred): back to the map's view with no popup
# open, then where the feature is on screen; and, after the click, once the map has stopped
# moving (the popup pans into view), what the newest popup holds and whether it is in full view.
_PREPARE_CLICK = "([id, view]) => { atlas.closePopup(); atlas.setView(view); return atlas.screenPoint(id); }"
_AFTER_CLICK = """async () => {
  await (STILL)(0);
  const all = document.querySelectorAll('.leaflet-popup-pane > .leaflet-popup');
  const wrap = all[all.length - 1];
  if (!wrap) return {};
  const chooser = wrap.querySelector('.atlas-chooser');
  if (chooser) return {chooser: Object.fromEntries([...chooser.querySelectorAll('[data-feature-id]')].map(e => {
    const r = e.getBoundingClientRect(); return [e.dataset.featureId, [r.left + r.width / 2, r.top + r.height / 2]]; }))};
  const popup = wrap.querySelector('.atlas-popup');
  return {opened: popup ? popup.getAttribute('data-feature-id') : null, visible: (POPUP_VISIBLE)()};
}""".replace("STILL", STILL).replace("POPUP_VISIBLE", POPUP_VISIBLE)


CROWDED_PX = 40  # symbols closer than this on screen may be hit together (a chooser opens)


def _crowded(page, ids: list[str]) -> list[str]:
    """Each feature near another on screen (whose click can go wrong when symbols crowd:
    hit-testing and the chooser)."""
    points = page.evaluate("ids => ids.map(id => atlas.screenPoint(id))", ids)
    near: set[str] = set()
    for i, (one, a) in enumerate(zip(ids, points)):
        for other, b in zip(ids[i + 1 :], points[i + 1 :]):
            if abs(a["x"] - b["x"]) < CROWDED_PX and abs(a["y"] - b["y"]) < CROWDED_PX:
                near |= {one, other}
    return [feature_id for feature_id in ids if feature_id in near]


def _first_of_each_layer(ids: list[str], layer_of: dict[str, str]) -> list[str]:
    first = {layer_of[feature_id]: feature_id for feature_id in reversed(ids)}
    return [feature_id for feature_id in ids if feature_id in first.values()]


def _open_clicked(page, feature_id: str, view: dict) -> tuple[str | None, str | None]:
    """At the map's own view, click where a feature is; through the chooser if one opens.
    Returns the id of the feature whose popup opened, and whether that popup is in full view
    (POPUP_VISIBLE)."""
    point = page.evaluate(_PREPARE_CLICK, [feature_id, view])
    page.mouse.click(point["x"], point["y"])
    newest = page.evaluate(_AFTER_CLICK)
    if "chooser" in newest:
        if feature_id not in newest["chooser"]:
            return "chooser without it: " + ",".join(newest["chooser"]), None
        page.mouse.click(*newest["chooser"][feature_id])  # where the reader clicks, while the chooser fades in
        newest = page.evaluate(_AFTER_CLICK)  # the map pans the popup into view
    return newest.get("opened"), newest.get("visible")


@each_map_at("desktop", "phone")
def test_a_click_on_each_feature_opens_that_feature_in_full_view(map_at_size):
    """Every feature at desktop size; on a phone, where symbols crowd, every feature near another
    (hit-testing and the chooser are what the size changes). One of each layer at every size:
    the Russian test below, whose popups hold the longer texts."""
    size = map_at_size.size
    page, view = map_at_size.at_its_view(), map_at_size.view
    # The popup still pans into view, in one step instead of a 250 ms animation per click.
    page.evaluate(NO_PAN_ANIMATION)
    try:
        ids = page.evaluate("atlas.visibleIds()")
        assert ids
        wrong = {}
        for feature_id in ids if size == "desktop" else _crowded(page, ids):
            opened, visible = _open_clicked(page, feature_id, view)
            if opened != feature_id:
                wrong[feature_id] = opened
                continue
            if visible != "ok":
                wrong[feature_id] = visible
        if wrong:
            screenshot(page, f"click-{map_at_size.map_id}-{size}", failing=True)
        assert wrong == {}
        assert map_at_size.log.page_errors == []
    finally:
        page.evaluate(PAN_ANIMATION_BACK)


# -- the outline map (offline): rivers, railways and towns under the atlas ---------------------

ATLAS_LABELS = """() => [...document.querySelectorAll('.atlas-label:not([hidden])')]
  .filter(e => !/atlas-label-(context|country)/.test(e.className)).map(e => e.textContent).sort()"""


@each_map_at(*SIZES)
def test_the_outline_map_adds_its_names_below_the_atlas_labels_all_apart(catalog, map_at_size):
    page, view = map_at_size.at_its_view(), map_at_size.view
    atlas_labels = page.evaluate(ATLAS_LABELS)
    page.evaluate("atlas.setBase('outline')")
    try:
        wait_until_still(page)
        assert page.locator(".leaflet-atlasContext-pane canvas").count() == 1
        towns = page.locator(".atlas-label-context-town:not([hidden])").all_inner_texts()
        assert towns, "no town named on the outline map"
        # The context's names come after the atlas's own: every atlas label shown before still is.
        assert page.evaluate(ATLAS_LABELS) == atlas_labels
        boxes = page.evaluate(LABEL_BOXES)
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not (a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]), (a, b)
        if map_at_size.map_id == "kazakhstan-uzbekistan" and map_at_size.size == "desktop":
            screenshot(page, "outline-kazakhstan-uzbekistan-desktop")
            # Over rivers, railways and town dots, a click on each atlas feature opens that feature.
            page.evaluate(NO_PAN_ANIMATION)
            try:
                wrong = {}
                for feature_id in page.evaluate("atlas.visibleIds()")[:8]:  # the others: the click test
                    opened, visible = _open_clicked(page, feature_id, view)
                    if opened != feature_id or visible != "ok":
                        wrong[feature_id] = (opened, visible)
                assert wrong == {}
            finally:
                page.evaluate(PAN_ANIMATION_BACK)
        assert map_at_size.log.page_errors == []
    finally:
        page.evaluate("atlas.setBase('osm')")
        wait_until_still(page)


# -- in Russian ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def russian_reference(catalog: Catalog) -> tuple[set[str], set[str], set[str]]:
    return (
        *_russian_reference(catalog),
        {w.lower() for f in catalog.features() for w in re.findall(r"[A-Za-z]{3,}", f.properties.name_local or "")},
    )


def _russian_reference(catalog: Catalog) -> tuple[set[str], set[str]]:
    """(English texts the interface must not show in Russian: every msgid and data text;
    Latin-script words a Russian page may show: those its own Russian texts keep, such as
    OpenStreetMap, Esri, Natural Earth, and the English language's own name)."""
    from babel.messages.mofile import read_mo

    from geo.messages import LOCALE_DIR
    from geo.texts import localized_texts, reader_texts

    with (LOCALE_DIR / "ru" / "LC_MESSAGES" / "atlas.mo").open("rb") as handle:
        messages = list(read_mo(handle))
    # A msgid whose translation is itself (a name: OpenStreetMap) is no English left over.
    english = {m.id if isinstance(m.id, str) else m.id[0] for m in messages if m.id and m.string != m.id}
    english |= {text for _, _, _, text in reader_texts(catalog)}
    russian = [s for m in messages for s in ([m.string] if isinstance(m.string, str) else list(m.string))]
    russian += list(localized_texts(catalog, "ru").values())
    latin = {w.lower() for text in russian for w in re.findall(r"[A-Za-z]{3,}", text)} | {"english"}
    return {e for e in english if re.search(r"[A-Za-z]{3,}", e) and "{" not in e}, latin


VISIBLE_TEXTS = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.textContent.trim();
    const el = node.parentElement;
    if (!text || !el || el.closest('script, style, noscript, [hidden], .atlas-sources, .atlas-altnames, .atlas-hit-alt')) continue;
    const r = el.getBoundingClientRect();
    if (r.width && r.height && getComputedStyle(el).visibility !== 'hidden') out.push(text);
  }
  document.querySelectorAll('[title], [aria-label], [placeholder]').forEach(e => {
    if (e.closest('.atlas-sources, [hidden]')) return;
    ['title', 'aria-label', 'placeholder'].forEach(a => { if (e.getAttribute(a)) out.push(e.getAttribute(a).trim()); });
  });
  out.push(document.title);
  return out;
}"""


def _open_clicked_scrolling(page, feature_id: str, view: dict) -> tuple[str | None, str | None]:
    """As _open_clicked, but a chooser's entry is scrolled into view before it is clicked, as a reader
    scrolls a list whose longer Russian names run past the chooser's height."""
    point = page.evaluate(_PREPARE_CLICK, [feature_id, view])
    page.mouse.click(point["x"], point["y"])
    newest = page.evaluate(_AFTER_CLICK)
    if "chooser" in newest:
        if feature_id not in newest["chooser"]:
            return "chooser without it: " + ",".join(newest["chooser"]), None
        page.locator(f'.leaflet-popup .atlas-chooser [data-feature-id="{feature_id}"]').last.click()
        newest = page.evaluate(_AFTER_CLICK)
    return newest.get("opened"), newest.get("visible")


def _english_left(texts: list[str], english: set[str], latin: set[str], names: set[str]) -> list[str]:
    """Texts that are an English text of the interface or data, or carry a Latin word no Russian text keeps."""
    found = []
    for text in texts:
        if text in english:
            found.append(text)
            continue
        words = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", text)} - latin - names
        if words:
            found.append(f"{text!r}: {sorted(words)}")
    return found


@each_map_at(*SIZES)
def test_in_russian_nothing_is_english_labels_stay_apart_clicks_open_and_the_link_keeps_it(
    catalog, russian_reference, map_at_size
):
    """The same page switched to Russian in place: no interface text left in English (every
    visible text and every title, aria-label and placeholder, against the English catalog and
    data texts; proper names excepted), labels apart, a click on a feature of each layer opens it
    in full view, axe-core clean with the last of those popups open (desktop and phone: the
    popup's longer Russian texts), and the language kept by the link and a reload (the overview
    at desktop size); switched back and forth (at desktop size), no language is left mixed in.
    Proper names a Russian page shows in Latin script (a feature's local name, source titles and
    file names, the popup's other names) are left out."""
    english, latin, names = russian_reference
    size, map_id = map_at_size.size, map_at_size.map_id
    page, view = map_at_size.at_its_view(), map_at_size.view
    try:
        assert page.evaluate("atlas.setLanguage('ru')") == "ru"
        wait_until_still(page)
        assert page.locator("html").get_attribute("lang") == "ru"
        assert "lang=ru" in address_hash(page)
        title = catalog.translations["ru"].entries[("maps", map_id, "title")].text
        assert page.title() == title and page.locator("#atlas-title").inner_text() == title
        assert (
            page.locator('meta[name="description"]').get_attribute("content")
            == catalog.translations["ru"].entries[("maps", map_id, "description")].text
        )
        if size != "phone":
            assert _english_left(page.evaluate(VISIBLE_TEXTS), english, latin, names) == []
        else:  # the sheet's contents too, opened
            page.locator("#atlas-panel-toggle").click()
            assert _english_left(page.evaluate(VISIBLE_TEXTS), english, latin, names) == []
            page.locator("#atlas-panel-toggle").click()
            page.locator("#atlas-layers").wait_for(state="hidden", timeout=2000)
        screenshot(page, f"ru-{map_id}-{size}")
        boxes = page.evaluate(LABEL_BOXES)
        assert boxes and not any(re.search(r"[A-Za-z]{3,}", text) for text, *_ in boxes if not text.isupper()), boxes
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not (a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]), (a, b)
        # A click on a feature of each layer opens that feature, in full view, in Russian.
        layer_of = {feature.id: feature.layer for feature in catalog.features()}
        page.evaluate(NO_PAN_ANIMATION)
        try:
            wrong = {}
            for feature_id in _first_of_each_layer(page.evaluate("atlas.visibleIds()"), layer_of):
                opened, visible = _open_clicked_scrolling(page, feature_id, view)
                if opened != feature_id or visible != "ok":
                    wrong[feature_id] = (opened, visible)
            assert wrong == {}
        finally:
            page.evaluate(PAN_ANIMATION_BACK)
        headings = page.locator(".atlas-popup h3").all_inner_texts()
        assert headings and all(not re.search(r"[A-Za-z]", h) for h in headings), headings
        if size != "laptop":  # axe-core: nothing of moderate impact or above, in Russian, the last popup open
            page.wait_for_function(POPUP_SHOWN, timeout=3000)  # axe measures contrast as shown
            assert axe_violations(page) == []
        screenshot(page, f"ru-popup-{map_id}-{size}")
        if size == "desktop" and map_id == "overview":  # the language kept by the link, and by a reload of it
            page.evaluate("atlas.closePopup()")
            address_hash(page)
            link = page.evaluate("location.href")
            page.reload()
            page.wait_for_selector("html[data-atlas-ready]", state="attached")
            wait_until_still(page)
            assert page.evaluate("location.href") == link or "lang=ru" in page.evaluate("location.hash")
            assert page.locator("html").get_attribute("lang") == "ru" and page.title() == title
        if size == "desktop":  # the switch's own logic, the same at every size: once per map
            # Back to English: no Russian left but the language switch's own name; then Russian again.
            page.evaluate("atlas.setLanguage('en')")
            wait_until_still(page)
            panel = page.locator("#atlas-panel").inner_text()
            assert re.findall(r"[А-Яа-яЁё]+", panel.replace("Русский", "")) == [], panel
            assert page.locator("html").get_attribute("lang") == "en" and "lang=en" in address_hash(page)
            page.evaluate("atlas.setLanguage('ru')")
            wait_until_still(page)
            assert _english_left(page.evaluate(VISIBLE_TEXTS), english, latin, names) == []
        assert map_at_size.log.page_errors == [] and map_at_size.log.console_errors == []
    finally:
        page.evaluate("atlas.setLanguage('en')")
        page.evaluate("atlas.closePopup()")
