"""Headless Chromium for the map tests: Debian's chromium driven by Playwright, offline.

Every request to a host other than the page's own file is answered here with a blank tile, so
nothing leaves the machine and missing tiles are not console errors.
"""

from __future__ import annotations

import base64
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
# Set per test run by tests/conftest.py (pytest's tmp dir, or $GEO_SCREENSHOTS).
SCREENSHOTS = Path(os.environ.get("GEO_SCREENSHOTS", "test-output/screenshots"))


def chromium_path() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
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
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


@contextmanager
def open_browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=require_chromium(),
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu", "--disable-component-update", "--no-first-run"],
        )
        try:
            yield browser
        finally:
            browser.close()


def open_map(browser, html_path: Path, *, hash_fragment: str = "", viewport=(1400, 900), tiles: str = "blank"):
    """Open a built map offline; return (page, log) once the atlas script says it is ready.

    tiles="blank" answers tile requests with a blank tile; tiles="fail" fails them, as offline.
    """
    page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
    log = PageLog()
    page.on("console", lambda msg: log.console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: log.page_errors.append(str(exc)))

    def on_dialog(dialog):
        log.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)

    def block(route):
        log.blocked.append(route.request.url)
        if tiles == "fail":
            route.abort("internetdisconnected")
        else:
            route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)

    page.route(lambda url: not url.startswith("file:"), block)
    page.goto(html_path.resolve().as_uri() + hash_fragment)
    page.wait_for_selector("html[data-atlas-ready]", state="attached", timeout=20_000)
    return page, log


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


AXE = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"


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
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map("
                           "v => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))")
    order = ["minor", "moderate", "serious", "critical"]
    return [v for v in result if order.index(v["impact"] or "minor") >= order.index(minimum)]
