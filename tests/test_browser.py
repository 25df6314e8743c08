"""The built maps in a real headless Chromium, offline: what a person sees and can do."""

from __future__ import annotations

import re

import pytest
import yaml

from tests.browser import address_hash, open_map, screenshot, wait_until_still
from tests.conftest import run_geo

pytestmark = pytest.mark.browser


def test_toggling_a_layer_hides_its_features_and_its_legend(browser, built):
    page, log = open_map(browser, built / "overview.html")
    try:
        markers = page.locator(".leaflet-marker-pane .atlas-marker")
        before = markers.count()
        legend = page.locator('#atlas-layers .atlas-legend-layer[data-layer="border_checkpoints"]')
        assert legend.is_visible()
        page.get_by_label(re.compile(r"^\s*Border checkpoints")).uncheck()
        assert markers.count() == before - 2
        assert page.evaluate("atlas.drawnCount('border_checkpoints')") == 0
        assert legend.is_hidden()
        url_hash = address_hash(page)
        assert "layers=" in url_hash and "border_checkpoints" not in url_hash
        page.get_by_label(re.compile(r"^\s*Border checkpoints")).check()
        assert markers.count() == before and legend.is_visible()
        assert log.page_errors == []
    finally:
        page.close()


def test_clicking_a_checkpoint_opens_a_popup_with_project_status_and_sources(animated_browser, built):
    # Zoomed in on the crossing (a shared link), where the checkpoint and the center's sections separate.
    page, _ = open_map(animated_browser, built / "kazakhstan-uzbekistan.html", hash_fragment="#map=14/40.8085/68.553")
    try:
        page.locator('.atlas-marker[title="Atameken border checkpoint"]').click()
        popup = page.locator(".leaflet-popup-content .atlas-popup")
        popup.wait_for()
        text = popup.inner_text()
        screenshot(page, "kazakhstan-uzbekistan-popup")
        assert "Atameken border checkpoint" in text
        assert '"Central Asia" International Center for Industrial Cooperation' in text
        assert "Under construction" in text  # the project's status
        assert "Approximate position" in text and "8 km" in text
        assert "9 November 2023 — Signed" in text and "5 February 2025 — Ratified" in text
        assert "Trend News Agency" in text and "003_183a8b294a59c464.txt" in text
        # Formatted at build time by Babel (en_GB): geo/formatting.py.
        assert "US$2.19bn" in text and "January\u2009–\u2009July 2023" in text
    finally:
        page.close()


def test_timeline_shows_what_existed_at_a_date(browser, built):
    page, _ = open_map(browser, built / "overview.html")
    try:
        total = page.evaluate("atlas.drawnCount()")
        slider = page.locator("#atlas-timeline-slider")
        slider.focus()
        page.keyboard.press("Home")  # the earliest dated event: 5 May 2023 (the 20th KZ–UZ commission)
        label = page.locator("#atlas-timeline-label").inner_text()
        assert label == "Showing what existed by 5 May 2023"
        # Places never vanish: a capital has no dated start, whatever its first cited event.
        assert page.evaluate("atlas.drawnCount()") == total
        dimmed = page.evaluate("atlas.dimmedIds()")
        assert "astana" not in dimmed and "dushanbe" not in dimmed and "tashkent" not in dimmed
        # The reservoir's operating regime is first dated in 2024: greyed in 2023, back at the end.
        assert "bahri-tojik-reservoir" in dimmed and "kayrakkum-dam" in dimmed
        assert "atameken-checkpoint" not in dimmed  # its project's roadmap is of 5 May 2023
        assert "date=2023-05-05" in address_hash(page)
        assert page.locator(".atlas-timeline-events li.atlas-future").count() > 0
        # The event list scrolls by keyboard: it takes focus.
        assert page.locator(".atlas-timeline-scroll").get_attribute("tabindex") == "0"
        page.keyboard.press("End")
        assert page.locator("#atlas-timeline-label").inner_text() == "All dates"
        assert page.evaluate("atlas.dimmedIds()") == []
        assert page.evaluate("atlas.drawnCount()") == total
    finally:
        page.close()


def test_search_finds_names_in_every_language_and_keeps_namesakes_apart(browser, built):
    page, _ = open_map(browser, built / "overview.html")
    try:
        box = page.locator("#atlas-search-input")
        box.fill("Гулистан")
        hits = page.locator("#atlas-search-results .atlas-search-hit")
        assert sorted(hits.evaluate_all("els => els.map(e => e.dataset.featureId)")) == [
            "gulistan-checkpoint",
            "gulistan-uz",
            "guliston-tj",
        ]
        texts = hits.all_inner_texts()
        assert any("Border checkpoint, Uzbekistan" in t for t in texts)
        assert any("City, Tajikistan" in t for t in texts)
        box.fill("Toshkent")
        assert hits.evaluate_all("els => els.map(e => e.dataset.featureId)") == ["tashkent"]
        box.fill("Guliston")
        page.locator('#atlas-search-results [data-feature-id="guliston-tj"]').click()
        popup = page.locator(".leaflet-popup-content .atlas-popup")
        popup.wait_for()
        assert popup.get_attribute("data-feature-id") == "guliston-tj"
        assert "Tajikistan" in popup.inner_text()
    finally:
        page.close()


def test_filters_by_country_status_and_kind(browser, built):
    page, _ = open_map(browser, built / "overview.html")
    try:
        total = page.evaluate("atlas.drawnCount()")
        page.locator('#atlas-filters fieldset[data-filter="country"] input[data-value="TJ"]').uncheck()
        assert page.evaluate("atlas.drawnCount('dams')") == 0
        assert page.evaluate("atlas.drawnCount()") < total
        page.locator('#atlas-filters fieldset[data-filter="country"] input[data-value="TJ"]').check()
        page.locator('#atlas-filters fieldset[data-filter="kind"] input[data-value="capital"]').uncheck()
        assert page.evaluate("atlas.drawnCount('cities')") == 7
        page.locator('#atlas-filters fieldset[data-filter="status"] input[data-value="under_construction"]').uncheck()
        assert page.evaluate("atlas.drawnCount('railway_lines')") == 0
    finally:
        page.close()


def test_the_url_reopens_the_same_view(animated_browser, built):
    page, _ = open_map(animated_browser, built / "overview.html")
    try:
        page.get_by_label(re.compile(r"^\s*Capitals and cities")).uncheck()
        page.evaluate("window.scrollTo(0, 0)")
        zoom_before = page.evaluate("atlas.view().zoom")
        page.locator(".leaflet-control-zoom-in").click()
        page.wait_for_function(
            "z => atlas.view().zoom === z + 1 && location.hash === atlas.hash() && location.hash.startsWith('#map=' + (z + 1) + '/')",
            arg=zoom_before,
            timeout=3000,
        )
        wait_until_still(page)
        url_hash = address_hash(page)
        assert re.fullmatch(r"#map=\d+/-?[\d.]+/-?[\d.]+&layers=[a-z_,]+&lang=en", url_hash)
        zoom = page.evaluate("location.hash.match(/map=(\\d+)/)[1]")
    finally:
        page.close()
    again, _ = open_map(animated_browser, built / "overview.html", hash_fragment=url_hash)
    try:
        assert address_hash(again) == url_hash
        assert again.evaluate("atlas.drawnCount('cities')") == 0
        assert again.locator("#atlas-layers .atlas-overlays input:checked").count() == 7
        assert again.evaluate("location.hash.match(/map=(\\d+)/)[1]") == zoom
    finally:
        again.close()


def test_measure_tool_and_keyboard_reachable_controls(browser, built):
    page, _ = open_map(browser, built / "kazakhstan-uzbekistan.html")
    try:
        page.locator("button.atlas-tool-measure").click()
        box = page.locator(".folium-map").bounding_box()
        page.mouse.click(box["x"] + 700, box["y"] + 400)
        page.mouse.click(box["x"] + 900, box["y"] + 400)
        readout = page.locator(".atlas-measure-readout").inner_text()
        assert re.fullmatch(r"Distance: [\d,.]+ km \(2 points\)", readout), readout
        page.keyboard.press("Escape")
        # Keyboard order from the top of the page: search, then the panel, then the map and its tools.
        page.locator("#atlas-title").click()  # the start of the page: focus navigation starts here
        # Where each Tab lands, recorded in the page (one read at the end, not a round trip per key).
        page.evaluate(
            "() => { window.__reached = []; document.addEventListener('focusin', () => { const a = document.activeElement;"
            " window.__reached.push((a.closest('#atlas-panel') ? 'panel:' : a.closest('.folium-map') ? 'map:' : 'page:')"
            " + (a.id || a.className || a.tagName)); }); }"
        )
        for _ in range(90):
            page.keyboard.press("Tab")
        reached = page.evaluate("window.__reached")
        assert reached[0] == "panel:atlas-search-input"
        assert "panel:atlas-timeline-slider" in reached
        first_map = next(i for i, item in enumerate(reached) if item.startswith("map:"))
        last_panel = max(i for i, item in enumerate(reached[: first_map + 1]) if item.startswith("panel:"))
        assert last_panel < first_map
        assert any("atlas-tool-fullscreen" in item for item in reached[first_map:])
    finally:
        page.close()


HOSTILE = [
    '<img src=x onerror="window.__xss=1">',
    "</script><script>window.__xss=2</script>",
    "${window.__xss=3}`+(window.__xss=4)+`",
    "{{ 7*7 }} {% if true %}jinja-ran{% endif %} {%",
    '" onmouseover="window.__xss=5" x="',
]


def test_hostile_strings_show_as_text_and_never_run(browser, data_copy, tmp_path):
    """Markup, script and template payloads in every kind of string land on the page as text."""
    import json

    payload = " | ".join(HOSTILE)
    layers_file = data_copy / "layers" / "border_checkpoints.geojson"
    document = json.loads(layers_file.read_text(encoding="utf-8"))
    props = document["features"][0]["properties"]
    props["name"] = "Atameken " + payload
    props["note"] = payload
    props["name_ru"] = payload
    layers_file.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    projects_file = data_copy / "metadata" / "projects.yaml"
    projects = yaml.safe_load(projects_file.read_text(encoding="utf-8"))
    projects[0]["name"] = "Center " + payload
    projects[0]["summary"] = payload
    projects_file.write_text(yaml.safe_dump(projects, allow_unicode=True), encoding="utf-8")
    sources_file = data_copy / "metadata" / "sources.yaml"
    sources = yaml.safe_load(sources_file.read_text(encoding="utf-8"))
    for source in sources:
        if source["id"] == "art-mazhilis-icic-2025":
            source["title"] = "Mazhilis " + payload
            source["url"] = "javascript:window.__xss=6"
    sources_file.write_text(yaml.safe_dump(sources, allow_unicode=True), encoding="utf-8")
    layer_specs_file = data_copy / "layers.yaml"
    specs = yaml.safe_load(layer_specs_file.read_text(encoding="utf-8"))
    specs[0]["title"] = "Checkpoints " + HOSTILE[0]
    layer_specs_file.write_text(yaml.safe_dump(specs, allow_unicode=True), encoding="utf-8")
    # Country names come from the base layer (popups, filters, the map's country labels).
    countries_file = data_copy / "base" / "countries.geojson"
    countries = json.loads(countries_file.read_text(encoding="utf-8"))
    for country in countries["features"]:
        if country["properties"]["iso_a2"] == "KZ":
            country["properties"]["name"] = "Kazakhstan " + HOSTILE[0]
    countries_file.write_text(json.dumps(countries, ensure_ascii=False), encoding="utf-8")
    maps_file = data_copy / "maps.yaml"
    maps = yaml.safe_load(maps_file.read_text(encoding="utf-8"))
    maps[0]["title"] = "Overview " + payload
    maps_file.write_text(yaml.safe_dump(maps, allow_unicode=True), encoding="utf-8")

    out = tmp_path / "maps"
    result = run_geo("--data", str(data_copy), "build", "--out", str(out), "overview")
    assert result.returncode == 0, result.stderr
    html = (out / "overview.html").read_text(encoding="utf-8")
    assert "jinja-ran" not in html.replace("{% if true %}jinja-ran{% endif %}", "")
    # Jinja would have turned "{{ 7*7 }}" into 49: the literal survives in the page title (the
    # <title> element, where a template pass would act first) and in every place the data lands.
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "{{ 7*7 }}" in title and "49" not in title
    assert html.count("{{ 7*7 }}") >= 6, html.count("{{ 7*7 }}")

    page, log = open_map(browser, out / "overview.html")
    try:
        assert page.title() == "Overview " + payload
        assert page.locator("#atlas-title").inner_text() == "Overview " + payload
        label = page.locator("#atlas-layers .atlas-overlays label").nth(0).inner_text()
        assert "Checkpoints " + HOSTILE[0] in label
        page.locator("#atlas-search-input").fill("Atameken")
        hit = page.locator('#atlas-search-results [data-feature-id="atameken-checkpoint"]')
        assert ("Atameken " + payload) in hit.inner_text()
        hit.hover()
        hit.click()
        popup = page.locator(".leaflet-popup-content .atlas-popup")
        popup.wait_for()
        text = popup.inner_text()
        assert "Atameken " + payload in text and "Center " + payload in text and "Mazhilis " + payload in text
        assert "Kazakhstan " + HOSTILE[0] in text
        assert popup.locator("a[href^='javascript']").count() == 0
        popup.locator("h2").hover()
        labels = page.locator(".atlas-label").evaluate_all("els => els.map(e => e.textContent)")
        assert "Atameken " + payload in labels
        assert "Kazakhstan " + HOSTILE[0] in labels
        assert page.evaluate("window.__xss === undefined")
        assert log.dialogs == [] and log.page_errors == []
        assert page.locator("img[src=x]").count() == 0
    finally:
        page.close()


PATH_STYLES = """() => { const map = Object.values(window).find(v => v instanceof L.Map); const out = [];
  map.eachLayer(l => { if (l instanceof L.Path) out.push([l.options.color, l.options.dashArray || null, l.options.weight,
    l.options.opacity, l instanceof L.Circle]); });
  return out; }"""


def test_lines_and_circles_are_drawn_as_the_style_vocabulary_says(browser, built):
    # The page takes its drawing rules from the payload (geo/style.py), as KML and the static maps do.
    from geo import style

    page, _ = open_map(browser, built / "corridors.html")
    try:
        drawn = page.evaluate(PATH_STYLES)
        corridor = style.KIND_STYLES["corridor"]
        assert [corridor.colour, style.CORRIDOR_DASH, corridor.weight, corridor.opacity, False] in drawn
        railway = style.KIND_STYLES["railway_line"]
        lines = {(dash, weight, opacity) for colour, dash, weight, opacity, _ in drawn if colour == railway.colour}
        assert lines and {dash for dash, _, _ in lines} <= set(style.STATUS_DASH.values()), lines
        assert {(weight, opacity) for _, weight, opacity in lines} == {(railway.weight, style.DEFAULT_LINE_OPACITY)}
        circle = style.UNCERTAINTY_CIRCLE
        assert [circle["colour"], circle["dash"], circle["weight"], 1, True] in drawn, [d for d in drawn if d[4]][:3]
    finally:
        page.close()
