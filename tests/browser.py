"""Headless Chromium for the map tests: Debian's chromium driven by Playwright, offline.

Nothing leaves the machine: a tile image gets a blank tile in the page itself, and any other
request to a host other than the page's own file is answered here (and logged), so missing
tiles are not console errors.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]

BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
# Set per test run by tests/conftest.py: $GEO_SCREENSHOTS, where every page the tests look at is
# kept for a person to look at; without it only a failing test's, under pytest's tmp dir.
SCREENSHOTS = Path("test-output/screenshots")
EVERY_SCREENSHOT = False


def chromium_path() -> str | None:
    for candidate in (
        os.environ.get("CHROMIUM"),
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def require_chromium() -> str:
    """The browser's path; skip locally without one, fail in CI where it must be installed."""
    path = chromium_path()
    if path is None:
        message = "no Chromium found (install Debian's chromium, or set CHROMIUM=/path/to/chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI must install it (.ci/run)")
        pytest.skip(message)
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("playwright is not installed")
        pytest.skip("the playwright package is not installed (pip install -e '.[test]')")
    return path


@dataclass
class PageLog:
    """What a page did that a test may check: errors, dialogs, and what it asked of the network."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)  # requests answered by the test (tiles="fail": tiles too)
    page: object = None

    def tile_requests(self) -> list[str]:
        """Every tile address the page asked for: given a blank tile in the page, or failed."""
        given = self.page.evaluate("window.__atlasTestTiles || []") if self.page is not None else []
        return given + self.blocked


@contextmanager
def open_browser():
    """Headless Chromium and one browsing context in it, where each test opens its own pages.

    A context of its own per page costs the machine 0.1 to 0.2 CPU-seconds more per map opened
    (measured: 1.36 to 1.48 against 1.26); the pages keep nothing in it (no cookies or web
    storage), so one context serves them all.

    The context asks for less motion (prefers-reduced-motion, a reader's setting the pages
    honour): no zoom, fade or pan is animated, which halves the time a click or a zoom takes in
    a test. The animated path has tests of its own, in a context of the reader's default
    (`animated_browser`).
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=require_chromium(),
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-gpu",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        try:
            yield browser.new_context(reduced_motion="reduce")
        finally:
            browser.close()


# Pages a test has closed, kept open for the next map of the same context and tiles: a new page
# costs Chromium a renderer process and twice the CPU of loading a map into a page that had one
# (measured: 1.9 against 0.95 CPU-seconds for the overview).
_SPARE_PAGES: dict[tuple[int, str], list] = {}

# Gives an image whose address is on the network a blank tile in the page itself, as a tile
# server would, and notes the address. Answering them through a route instead costs a round trip
# Python and Playwright's driver per tile: 5.5 ms of CPU each, 0.1 s per view change at desktop
# size (measured: ten popups opened in turn, 2.3 against 1.3 CPU-seconds).
_BLANK_TILES = """dataUrl => {
  const src = Object.getOwnPropertyDescriptor(HTMLImageElement.prototype, 'src');
  const asked = window.__atlasTestTiles = [];
  Object.defineProperty(HTMLImageElement.prototype, 'src', {
    configurable: true,
    enumerable: src.enumerable,
    get() { return src.get.call(this); },
    set(url) {
      if (/^https?:/i.test(String(url))) { asked.push(String(url)); url = dataUrl; }
      src.set.call(this, url);
    },
  });
}"""
BLANK_TILE_URL = "data:image/png;base64," + base64.b64encode(BLANK_PNG).decode("ascii")


def open_map(browser, html_path: Path, *, hash_fragment: str = "", viewport=(1400, 900), tiles: str = "blank"):
    """Open a built map offline; return (page, log) once the atlas script says it is ready.

    tiles="blank" answers tile requests with a blank tile; tiles="fail" fails them, as offline.
    Either way log.tile_requests() lists them while the page is open. The page's close() hands it
    back for the next map: its listeners and routes are removed and it is taken to about:blank
    first, so the next map starts from a fresh document as in a new tab.
    """
    spare = _SPARE_PAGES.setdefault((id(browser), tiles), [])
    if spare:
        page = spare.pop()
        page.bring_to_front()  # the active tab, as a new page is (full screen needs it)
    else:
        page = browser.new_page()
        if tiles == "blank":
            page.add_init_script(script=f"({_BLANK_TILES})({json.dumps(BLANK_TILE_URL)})")
    page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
    log = PageLog(page=page)

    def on_console(msg):
        if msg.type == "error":
            log.console_errors.append(msg.text)

    def on_page_error(exc):
        log.page_errors.append(str(exc))

    def on_dialog(dialog):
        log.dialogs.append(dialog.message)
        dialog.dismiss()

    def block(route):
        log.blocked.append(route.request.url)
        if tiles == "fail":
            route.abort("internetdisconnected")
        else:
            route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)

    listeners = {"console": on_console, "pageerror": on_page_error, "dialog": on_dialog}
    for event, listener in listeners.items():
        page.on(event, listener)
    page.route(lambda url: not url.startswith("file:"), block)
    page.close = _hand_back((id(browser), tiles), page, listeners)
    page.goto(html_path.resolve().as_uri() + hash_fragment)
    page.wait_for_selector("html[data-atlas-ready]", state="attached", timeout=20_000)
    return page, log


def _hand_back(pool: tuple[int, str], page, listeners: dict):
    """A close() for a page of open_map: once only, it clears the page and keeps it for the next map
    (or closes it for good if it cannot be cleared)."""
    really_close = type(page).close.__get__(page)
    handed_back = False

    def close(**options) -> None:
        nonlocal handed_back
        if handed_back:
            return
        handed_back = True
        try:
            for event, listener in listeners.items():
                page.remove_listener(event, listener)
            page.unroute_all(behavior="ignoreErrors")
            page.goto("about:blank")
        except Exception:
            del page.close
            really_close(**options)
            return
        del page.close
        _SPARE_PAGES.setdefault(pool, []).append(page)

    return close


# Resolves once no pan or zoom is under way (atlas.moving(): between Leaflet's movestart and
# moveend) and `frames` more frames have been drawn: what a fixed sleep would hope for, without
# the wait. A map still moving after 3 s rejects (an evaluate has no timeout of its own).
STILL = """frames => new Promise((resolve, reject) => {
  const deadline = performance.now() + 3000;
  const drawn = () => frames-- > 0 ? requestAnimationFrame(drawn) : resolve();
  const check = () => {
    if (!atlas.moving()) return drawn();
    if (performance.now() > deadline) return reject(new Error('the map was still moving after 3 s'));
    requestAnimationFrame(check);
  };
  check();
})"""

# Sets the address's fragment and resolves once the page's own hashchange listener has run (it was
# added at start-up, so it runs before this one).
_SET_HASH = """fragment => new Promise((resolve, reject) => {
  window.addEventListener('hashchange', () => resolve(location.hash), {once: true});
  setTimeout(() => reject(new Error('no hashchange within 3 s (the same fragment as before?)')), 3000);
  location.hash = fragment;
})"""


def wait_until_still(page) -> None:
    """Until the map has stopped moving (a popup's pan into view, a zoom) and has been drawn."""
    page.evaluate(STILL, 2)


def address_hash(page) -> str:
    """The address's fragment once it holds the page's state as it is now: the page writes it at
    most every 350 ms (parts/address.js), so a change may reach the address a moment later."""
    page.wait_for_function("() => location.hash === atlas.hash()", timeout=2000)
    return page.evaluate("location.hash")


def set_hash(page, fragment: str) -> None:
    """Change the page's address fragment as a reader editing the URL does; return once it is applied."""
    page.evaluate(_SET_HASH, fragment)


def screenshot(page, name: str, *, failing: bool = False) -> Path | None:
    """The page as shown, into SCREENSHOTS: always for a failure, else only when $GEO_SCREENSHOTS
    asks for them (one costs Chromium 0.05 to 0.2 CPU-seconds; the suite looks at some fifty)."""
    if not (failing or EVERY_SCREENSHOT):
        return None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


# The shipped maps, and the screen sizes every map is tried at.
MAPS = [spec["id"] for spec in yaml.safe_load((ROOT / "data" / "maps.yaml").read_text(encoding="utf-8"))]
SIZES = {"desktop": (1440, 900), "laptop": (1024, 768), "phone": (390, 844)}

# The share of the screen where a point hits the map (not the panel, nor a map control).
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

# A popup is open, has panned into view and has finished fading in (axe measures contrast as shown).
POPUP_SHOWN = """() => { const p = document.querySelector('.leaflet-popup');
  return !atlas.moving() && p && getComputedStyle(p).opacity === '1'; }"""

# "ok" if the newest popup lies inside the map and nothing covers it, else what is wrong.
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


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


def require_axe() -> Path:
    """axe-core from npm (package.json); skip locally without it, fail in CI (.ci/run installs it)."""
    if not AXE.exists():
        message = "axe-core is not installed (npm ci --no-audit --no-fund at the repository root)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI must install it (.ci/run)")
        pytest.skip(message)
    return AXE


def axe_violations(page, *, minimum: str = "moderate") -> list[dict]:
    """axe-core's violations of at least `minimum` impact on the page as it is now."""
    # Evaluated through the DevTools protocol: the page's Content-Security-Policy rightly refuses an
    # injected <script>, and the audit must not need the page to be weakened for it.
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(require_axe().read_text(encoding="utf-8") + "\n;undefined")
    result = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map("
        "v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))"
    )
    order = ["minor", "moderate", "serious", "critical"]
    return [v for v in result if order.index(v["impact"] or "minor") >= order.index(minimum)]
