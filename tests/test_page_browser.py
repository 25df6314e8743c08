"""The map page as a reader uses it, offline: the phone sheet, links that hold the page's state,
search from the keyboard, full screen, resizing, offline notices (each map at each screen size,
on load and click by click: test_page_at_each_size.py)."""

from __future__ import annotations

import json
import re

import pytest

from tests.browser import (
    MAP_SHARE,
    POPUP_SHOWN,
    POPUP_VISIBLE,
    SIZES,
    address_hash,
    open_map,
    screenshot,
    set_hash,
    wait_until_still,
)
from tests.conftest import ROOT

pytestmark = pytest.mark.browser


def test_the_phone_sheet_opens_collapsed_and_search_results_show_above_the_map(browser, built):
    page, _ = open_map(browser, built / "kazakhstan-uzbekistan.html", viewport=SIZES["phone"])
    try:
        toggle = page.locator("#atlas-panel-toggle")
        assert toggle.get_attribute("aria-expanded") == "false" and page.locator("#atlas-layers").is_hidden()
        page.locator("#atlas-search-input").fill("Atamken")
        hit = page.locator('#atlas-search-results [data-feature-id="atameken-checkpoint"]')
        assert hit.is_visible()
        page.keyboard.press("Enter")
        popup = page.locator(".leaflet-popup-pane > .leaflet-popup").last.locator(".atlas-popup")
        popup.wait_for()
        wait_until_still(page)
        assert popup.get_attribute("data-feature-id") == "atameken-checkpoint"
        assert page.evaluate(POPUP_VISIBLE) == "ok"
        assert page.evaluate("document.activeElement.dataset.featureId") == "atameken-checkpoint"
    finally:
        page.close()


SEARCHES = [
    ("Almaty bypass", "almaty-railway-bypass"),
    ("Gulistan checkpoint", "gulistan-checkpoint"),
    ("Darbaza Maktaaral", "darbaza-maktaaral-railway"),
    ("Atamken", "atameken-checkpoint"),
    ("checkpoint gulistan", "gulistan-checkpoint"),
    ("Kayrakkum", "kayrakkum-dam"),
    ("Kairakkum", "kayrakkum-dam"),
    ("Qayroqqum", "bahri-tojik-reservoir"),
    ("Кайраккум", "kayrakkum-dam"),
    ("ALMATY", "almaty"),
]


def test_search_is_word_order_free_forgives_a_typo_and_transliterates(browser, built):
    page, _ = open_map(browser, built / "overview.html")
    try:
        box = page.locator("#atlas-search-input")
        hits = page.locator("#atlas-search-results .atlas-search-hit")
        missing = {}
        for query, expected in SEARCHES:
            box.fill(query)
            found = hits.evaluate_all("els => els.map(e => e.dataset.featureId)")
            if expected not in found[:3]:
                missing[query] = found
        assert missing == {}
        # Arrow keys move through the results; Enter on the box opens the best match, Escape closes it.
        box.fill("Gulistan")
        box.press("ArrowDown")
        assert page.evaluate("document.activeElement.dataset.featureId") == hits.nth(0).get_attribute("data-feature-id")
        page.keyboard.press("ArrowDown")
        assert page.evaluate("document.activeElement.dataset.featureId") == hits.nth(1).get_attribute("data-feature-id")
        page.keyboard.press("ArrowUp")
        page.keyboard.press("ArrowUp")
        assert page.evaluate("document.activeElement.id") == "atlas-search-input"
        box.fill("Almaty bypass")
        box.press("Enter")
        popup = page.locator(".leaflet-popup-pane > .leaflet-popup").last.locator(".atlas-popup")
        popup.wait_for()
        assert popup.get_attribute("data-feature-id") == "almaty-railway-bypass"
        assert page.evaluate("document.activeElement.dataset.featureId") == "almaty-railway-bypass"
        page.keyboard.press("Escape")
        page.locator(".leaflet-popup-pane .atlas-popup").wait_for(state="detached", timeout=2000)
        assert page.locator(".leaflet-popup-pane .atlas-popup").count() == 0
        assert page.evaluate("document.activeElement.id") == "atlas-search-input"
    finally:
        page.close()


def test_a_link_holds_every_input_on_the_page_and_reopens_exactly_that(browser, built):
    page, _ = open_map(browser, built / "overview.html")
    try:
        page.locator("#atlas-base-grey").check()
        page.locator("#atlas-layer-rail").check()
        page.locator("#atlas-layer-dams").uncheck()
        page.locator("#atlas-uncertainty").uncheck()
        page.locator('#atlas-filters fieldset[data-filter="kind"] input[data-value="capital"]').uncheck()
        page.locator(
            '#atlas-filters fieldset[data-filter="status"] input[data-value="proposed"]'
        ).uncheck() if page.locator(
            '#atlas-filters fieldset[data-filter="status"] input[data-value="proposed"]'
        ).count() else None
        page.locator("#atlas-timeline-slider").focus()
        page.keyboard.press("Home")
        page.keyboard.press("ArrowRight")
        page.evaluate("atlas.focus('dostyk-station')")
        wait_until_still(page)
        state = page.evaluate("atlas.state()")
        view = page.evaluate("atlas.view()")
        url_hash = address_hash(page)
        for part in ("base=grey", "rail", "hide=", "kind.capital", "date=", "uncertainty=0", "open=dostyk-station"):
            assert part in url_hash, (part, url_hash)
    finally:
        page.close()
    again, log = open_map(browser, built / "overview.html", hash_fragment=url_hash)
    try:
        assert again.evaluate("atlas.state()") == state
        assert again.locator("#atlas-base-grey").is_checked() and again.locator("#atlas-layer-rail").is_checked()
        assert (
            not again.locator("#atlas-layer-dams").is_checked() and not again.locator("#atlas-uncertainty").is_checked()
        )
        assert not again.locator('#atlas-filters input[data-value="capital"]').is_checked()
        assert again.locator("#atlas-timeline-label").inner_text() == page_label_for(state["date"])
        assert again.evaluate("atlas.view()")["zoom"] == view["zoom"]
        assert again.locator(".leaflet-popup .atlas-popup").get_attribute("data-feature-id") == "dostyk-station"
        # Its status (unknown, as of the 20th commission of 5 May 2023) is over a year old at the data date.
        as_of = again.locator(".leaflet-popup .atlas-popup .atlas-meta .atlas-as-of")
        assert as_of.inner_text() == "status as of 5 May 2023"
        assert again.locator(".atlas-notice").count() == 0
        assert log.page_errors == []
    finally:
        again.close()


def page_label_for(date: str) -> str:
    from geo.formatting import format_partial_date

    return "Showing what existed by " + format_partial_date(date, "en")


BROKEN = [
    "#map=abc&layers=nonexistent",
    "#layers=%E0%A4%A",
    "#map=1e308/1e308/1e308",
    "#map=8/41/69&base=nope&hide=<script>&date=9999-99-99&open=nobody",
    "#%%%&&&===",
]


@pytest.mark.parametrize("broken", BROKEN)
def test_a_broken_link_falls_back_to_the_defaults_with_a_notice(browser, built, broken):
    page, log = open_map(browser, built / "kazakhstan-uzbekistan.html", hash_fragment=broken)
    try:
        assert log.page_errors == []
        total = page.evaluate("atlas.featureCount()")
        assert page.evaluate("atlas.drawnCount()") == total  # never an empty map
        assert len(page.evaluate("atlas.visibleIds()")) > 5
        if broken != "#%%%&&&===":
            assert "could not be read" in page.locator(".atlas-notice").inner_text()
        # The same on a hash change after start-up.
        set_hash(page, "#map=8/41.1/68.9&layers=cities")
        assert page.evaluate("atlas.state().layers") == ["cities"]
        set_hash(page, broken)
        assert page.evaluate("atlas.drawnCount()") == total
        assert log.page_errors == []
    finally:
        page.close()


def test_offline_the_page_says_the_tiles_failed_and_names_the_countries(browser, built):
    page, log = open_map(browser, built / "kazakhstan-uzbekistan.html", tiles="fail")
    try:
        notice = page.locator('.atlas-notice[data-notice="tiles"]')
        notice.wait_for(timeout=5000)
        assert "could not be loaded" in notice.inner_text()
        countries = page.locator(".atlas-label-country:not([hidden])").all_inner_texts()
        assert {"KAZAKHSTAN", "UZBEKISTAN"} <= {c.upper() for c in countries}, countries
        screenshot(page, "offline-kazakhstan-uzbekistan")
        # The outline map comes with the page: chosen when the tiles fail, rivers and towns named.
        assert page.evaluate("atlas.state().base") == "outline"
        assert "outline map (offline)" in notice.inner_text()
        assert (
            page.locator(".atlas-bases input:checked + label, .atlas-bases label")
            .filter(has_text="Outline map (offline)")
            .count()
            == 1
        )
        names = set(
            page.locator(
                ".atlas-label-context-river:not([hidden]), .atlas-label-context-town:not([hidden])"
            ).all_inner_texts()
        )
        assert "Syr Darya" in names and "Jizzakh" in names, names
        # The legend explains the outline map's symbols once each, while it is the basemap.
        context_legend = page.locator(".atlas-legend-context")
        assert context_legend.is_visible()
        assert context_legend.locator("li").all_inner_texts() == [
            "River (Natural Earth)",
            "Railway, existing network (OpenStreetMap)",
            "Railway under construction (OpenStreetMap)",
            "Town (Natural Earth; larger dot: more people)",
        ]
        # The data's credits are on the map, as a tile layer's are while its tiles show: the lines
        # the licences of the shown layers' sources oblige, and the outline map's while it is drawn.
        credits = page.locator(".leaflet-control-attribution")
        assert "Map data © OpenStreetMap contributors, ODbL 1.0" in credits.inner_text()
        assert "Rivers and towns: Natural Earth 1:10m" in credits.inner_text()
        # Folded to one line beside the scale bar; focused (a tap or the keyboard), all of it shows.
        folded = credits.bounding_box()
        credits.focus()
        unfolded = credits.bounding_box()
        assert folded["height"] < 30 < unfolded["height"], (folded, unfolded)
        scale = page.locator(".leaflet-control-scale").bounding_box()
        assert scale["x"] + scale["width"] <= folded["x"], (scale, folded)  # beside the scale bar, not over it
        page.locator("#atlas-search-input").focus()
        # A click on the Syr Darya, away from every atlas feature, opens nothing and breaks nothing.
        point = page.evaluate("() => atlas.screenPointOf(40.331, 69.116)")
        page.mouse.click(point["x"], point["y"])
        page.wait_for_timeout(300)
        assert page.locator(".leaflet-popup").count() == 0
        # In Russian, the context's names are the Russian ones of the source (or the atlas's translation).
        page.evaluate("atlas.setLanguage('ru')")
        wait_until_still(page)
        names = set(
            page.locator(
                ".atlas-label-context-river:not([hidden]), .atlas-label-context-town:not([hidden])"
            ).all_inner_texts()
        )
        assert "Сырдарья" in names and "Джизак" in names, names
        assert all(re.search("[А-Яа-я]", t) for t in context_legend.locator("li").all_inner_texts())
        # Every town shown is in Cyrillic, unless its source gives no Russian name (the data's
        # name_ru is null: it keeps its Latin name rather than one the atlas would invent).
        towns = json.loads((ROOT / "data" / "base" / "context" / "towns.geojson").read_text(encoding="utf-8"))
        latin_only = {f["properties"]["name"] for f in towns["features"] if not f["properties"]["name_ru"]}
        shown = page.locator(".atlas-label-context-town:not([hidden])").all_inner_texts()
        assert shown and all(re.search("[А-Яа-я]", t) or t in latin_only for t in shown), shown
        assert "контурную карту" in notice.inner_text()
        assert "Natural Earth" in credits.inner_text() and "Rivers and towns" not in credits.inner_text()
        assert "Map data © OpenStreetMap contributors" not in credits.inner_text()
        page.locator("#atlas-base-none").check()  # another basemap: the outline map's rows go
        assert not context_legend.is_visible()
        assert "ODbL" in credits.inner_text()  # the atlas's stations and lines come from OpenStreetMap
        layers = page.locator("#atlas-layers .atlas-overlays input[type=checkbox]")
        for index in range(layers.count()):
            layers.nth(index).uncheck()
        wait_until_still(page)
        # No layer and no outline map shown: no data credit is left in the corner, only Leaflet's.
        assert credits.inner_text().strip() == "Leaflet", credits.inner_text()
        page.locator("#atlas-base-outline").check()  # the outline map alone brings its own sources' credits
        assert "ODbL" in credits.inner_text() and "Natural Earth" in credits.inner_text()
        assert "GeoNames" not in credits.inner_text(), credits.inner_text()
        assert log.page_errors == []
    finally:
        page.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_offline_the_map_is_three_quarters_of_the_screen_in_each_language(browser, built, size):
    """Offline at each screen size, in English and in Russian: the panel, the controls and the
    tile notice (one folded line until asked for) leave at least 75 % of the screen to the map;
    the notice unfolds to its whole text on a click and folds again."""
    page, log = open_map(browser, built / "overview.html", viewport=SIZES[size], tiles="fail")
    try:
        notice = page.locator('.atlas-notice[data-notice="tiles"]')
        notice.wait_for(timeout=5000)
        for language in ("en", "ru"):
            page.evaluate(f"atlas.setLanguage('{language}')")
            wait_until_still(page)
            share = page.evaluate(MAP_SHARE)
            assert share >= 0.75, (size, language, share)
        words = notice.locator(".atlas-notice-text")
        folded = notice.bounding_box()
        assert words.get_attribute("aria-expanded") == "false"
        assert page.evaluate("e => e.scrollWidth > e.clientWidth", words.element_handle())  # cut to one line
        words.click()
        assert words.get_attribute("aria-expanded") == "true"
        assert page.evaluate("e => e.scrollWidth <= e.clientWidth", words.element_handle())  # all of it shown
        assert notice.bounding_box()["height"] > folded["height"] * 1.5
        screenshot(page, f"offline-notice-open-{size}")
        words.press("Enter")
        assert words.get_attribute("aria-expanded") == "false"
        assert log.page_errors == []
    finally:
        page.close()


@pytest.mark.parametrize("size", ["laptop", "phone"])
def test_offline_a_popup_opens_below_the_tile_notice(animated_browser, built, size):
    # The notice sits at the top right; a popup panned into view must keep its title clear of it.
    page, _ = open_map(animated_browser, built / "kazakhstan-tajikistan.html", viewport=SIZES[size], tiles="fail")
    try:
        page.locator('.atlas-notice[data-notice="tiles"]').wait_for(timeout=5000)
        page.evaluate("atlas.focus('bahri-tojik-reservoir')")
        page.wait_for_function(POPUP_SHOWN, timeout=3000)
        assert page.evaluate(POPUP_VISIBLE) == "ok"
        screenshot(page, f"offline-popup-{size}")
    finally:
        page.close()


def test_the_corridors_map_names_its_key_features_at_its_own_view(browser, built):
    page, _ = open_map(browser, built / "corridors.html", viewport=SIZES["laptop"])
    try:
        shown = set(page.locator(".atlas-label:not([hidden])").all_inner_texts())
        for name in ("Dostyk station", "Almaty", "Almaty railway bypass", "Tashkent"):
            assert name in shown, (name, shown)
    finally:
        page.close()


FULLSCREEN_PRESSED = (
    "pressed => document.querySelector('button.atlas-tool-fullscreen').getAttribute('aria-pressed') === pressed"
)


def test_the_fullscreen_button_follows_the_browser_when_it_leaves_full_screen(browser, built):
    page, _ = open_map(browser, built / "corridors.html")
    try:
        button = page.locator("button.atlas-tool-fullscreen")
        from playwright.sync_api import TimeoutError as PlaywrightTimeout

        button.click()
        try:
            page.wait_for_function("() => !!document.fullscreenElement", timeout=2000)
        except PlaywrightTimeout:
            pytest.skip("this Chromium does not enter full screen headless")
        page.wait_for_function(FULLSCREEN_PRESSED, arg="true", timeout=2000)
        assert button.get_attribute("aria-pressed") == "true"
        # Esc is handled by the browser, not the page: it only exits full screen, as this does.
        page.evaluate("document.exitFullscreen()")
        page.wait_for_function(FULLSCREEN_PRESSED, arg="false", timeout=2000)
        assert button.get_attribute("aria-pressed") == "false"
    finally:
        page.close()


def test_resizing_to_a_phone_collapses_the_panel_into_a_sheet_and_back(browser, built):
    page, _ = open_map(browser, built / "kazakhstan-uzbekistan.html", viewport=SIZES["laptop"])
    try:
        assert page.locator("#atlas-layers").is_visible()
        page.set_viewport_size({"width": 390, "height": 844})
        page.locator("#atlas-layers").wait_for(state="hidden", timeout=2000)
        assert page.locator("#atlas-panel-toggle").get_attribute("aria-expanded") == "false"
        assert page.evaluate(MAP_SHARE) >= 0.75
        page.set_viewport_size({"width": 1024, "height": 768})
        page.locator("#atlas-layers").wait_for(state="visible", timeout=2000)
        assert page.locator("#atlas-layers").is_visible()
    finally:
        page.close()


def test_a_symbol_opens_from_the_keyboard_and_escape_returns_to_it(animated_browser, built):
    page, _ = open_map(animated_browser, built / "kazakhstan-uzbekistan.html", hash_fragment="#map=14/40.8085/68.553")
    try:
        marker = page.locator('.atlas-marker[title="Atameken border checkpoint"]')
        marker.focus()
        page.keyboard.press("Enter")
        page.locator(".leaflet-popup-pane .atlas-popup").wait_for(timeout=2000)
        wait_until_still(page)
        active = page.evaluate("document.activeElement.dataset.featureId || document.activeElement.className")
        assert "atameken-checkpoint" in active
        page.keyboard.press("Escape")
        page.locator(".leaflet-popup-pane .atlas-popup").wait_for(state="detached", timeout=2000)
        assert page.locator(".leaflet-popup-pane .atlas-popup").count() == 0
        assert page.evaluate("document.activeElement.title") == "Atameken border checkpoint"
    finally:
        page.close()


def test_a_popup_shows_every_source_s_value_side_by_side_and_the_drawn_length(browser, built, tmp_path):
    """Figure records may carry other sources' values (`alternatives`) and the size measured on
    the geometry (`measured`): the popup shows each value with its own source numbers."""
    import json

    from geo.webmap.embed import json_for_script

    html = (built / "kazakhstan-uzbekistan.html").read_text(encoding="utf-8")
    match = re.search(r'(<script type="application/json" id="atlas-data">)(.*?)(</script>)', html, re.S)
    data = json.loads(match.group(2))
    other = next(s for s in sorted(data["sources"]) if s != "ref-kazpravda-darbaza-maktaaral")
    figure = data["figures"]["darbaza-maktaaral-length"]
    figure["alternatives"] = [
        {"value": 145, "unit": "km", "qualifier": "about", "sources": [other], "note": "an earlier plan"}
    ]
    figure["measured"] = {"value": 148.3, "unit": "km"}
    from geo.webmap.languages import figure_texts

    for lang, texts in data["i18n"]["figures"].items():  # the values as the build formats them
        texts["darbaza-maktaaral-length"] = figure_texts(figure, lang)
    page_file = tmp_path / "kazakhstan-uzbekistan.html"
    page_file.write_text(html[: match.start(2)] + json_for_script(data) + html[match.end(2) :], encoding="utf-8")
    page, log = open_map(browser, page_file)
    try:
        page.evaluate("atlas.focus('darbaza-maktaaral-railway')")
        item = page.locator('.atlas-popup [data-figure="darbaza-maktaaral-length"]')
        item.wait_for()
        text = item.inner_text()
        assert "152 km" in text and "about 145 km" in text and "sources disagree" in text, text
        assert "stated 152 km · drawn 148.3 km" in text
        numbers = item.locator(".atlas-cite").all_inner_texts()
        assert len(numbers) == 2 and numbers[0] != numbers[1], numbers
        cited = page.locator(".atlas-popup .atlas-sources li").evaluate_all("els => els.map(e => e.dataset.source)")
        assert cited[int(numbers[1].strip("[]")) - 1] == other
        assert log.page_errors == []
    finally:
        page.close()


def test_a_first_visit_opens_in_the_browsers_language_and_a_link_says_otherwise(browser, built):
    """A reader whose browser prefers Russian gets the map in Russian on first open (no hash);
    a link that names a language wins over the browser's."""
    context = browser.browser.new_context(locale="ru-RU")
    try:
        page, log = open_map(context, built / "kazakhstan-tajikistan.html")
        assert page.locator("html").get_attribute("lang") == "ru"
        assert "lang=ru" in address_hash(page)
        assert page.locator("#atlas-layers h2").inner_text() == "Слои карты"
        assert page.locator('.atlas-language-button[aria-pressed="true"]').inner_text() == "Русский"
        set_hash(page, "#lang=en")
        assert page.locator("html").get_attribute("lang") == "en"
        assert page.locator("#atlas-layers h2").inner_text() == "Map layers"
        assert log.page_errors == [] and log.console_errors == []
    finally:
        context.close()


def test_a_reader_who_asks_for_less_motion_gets_a_map_that_jumps(browser, animated_browser, built):
    """prefers-reduced-motion: no zoom, fade or pan animation; without it, Leaflet's animations."""
    page, _ = open_map(browser, built / "corridors.html")  # the suite's context asks for less motion
    try:
        assert page.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches") is True
        assert page.evaluate("atlas.animations()") == [False, False, False]
        # A pan (as a popup's into view) lands at once: no animation left running.
        assert page.evaluate("(atlas.panBy(200, 0), atlas.moving())") is False
    finally:
        page.close()
    page, _ = open_map(animated_browser, built / "corridors.html")
    try:
        assert page.evaluate("atlas.animations()") == [True, True, True]
        assert page.evaluate("(atlas.panBy(200, 0), atlas.moving())") is True  # it glides
    finally:
        page.close()
