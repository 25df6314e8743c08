"""The Content-Security-Policy of the built pages: exactly what they need, checked in the HTML and in
Chromium (no violation while the map works; an injected script or a fetch is refused)."""

from __future__ import annotations

import base64
import hashlib
import html
import re
from pathlib import Path

import pytest
import xstatic.pkg.leaflet as xs_leaflet

from geo.catalog import load_catalog
from geo.webmap.build import build_maps
from tests.conftest import DATA

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"/>')


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, Path]:
    catalog = load_catalog(DATA)
    inline, cdn = tmp_path_factory.mktemp("inline"), tmp_path_factory.mktemp("cdn")
    build_maps(catalog, inline)
    build_maps(catalog, cdn, names=["corridors"], cdn=True)
    return {"inline": inline, "cdn": cdn}


def policy(page: str) -> dict[str, list[str]]:
    (content,) = META.findall(page)
    return {d.split()[0]: d.split()[1:] for d in html.unescape(content).split("; ")}


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def test_every_page_allows_exactly_its_own_inline_blocks(pages):
    for path in sorted(pages["inline"].glob("*.html")):
        page = path.read_text(encoding="utf-8")
        csp = policy(page)
        first_block = min(i for i in (page.find("<style"), page.find("<script")) if i >= 0)
        assert page.index("Content-Security-Policy") < first_block  # a policy applies to what follows it
        scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", page, re.DOTALL)
        styles = re.findall(r"<style[^>]*>(.*?)</style>", page, re.DOTALL)
        assert sorted(csp["script-src"]) == (sorted({_sha256(s) for s in scripts}) if scripts else ["'none'"])
        assert sorted(csp["style-src"]) == sorted({_sha256(s) for s in styles})
        assert csp["default-src"] == csp["connect-src"] == csp["object-src"] == csp["base-uri"] == ["'none'"]
        assert "'unsafe-inline'" not in page and "'unsafe-eval'" not in page
        tiles = ["https://tile.openstreetmap.org", "https://server.arcgisonline.com"]
        if path.name == "index.html":
            assert csp["img-src"] == ["'self'", "data:"]
        else:
            assert csp["img-src"][:2] == ["'self'", "data:"] and all(t in csp["img-src"] for t in tiles), csp["img-src"]


def test_the_cdn_variant_pins_leaflet_with_integrity_and_allows_only_that_host(pages):
    page = (pages["cdn"] / "corridors.html").read_text(encoding="utf-8")
    base = Path(xs_leaflet.BASE_DIR)
    for name in ("leaflet.js", "leaflet.css"):
        digest = base64.b64encode(hashlib.sha384((base / name).read_bytes()).digest()).decode()
        tag = re.search(rf'<(?:script|link)[^>]*/dist/{re.escape(name)}"[^>]*>', page).group(0)
        assert f'integrity="sha384-{digest}"' in tag and 'crossorigin="anonymous"' in tag
    csp = policy(page)
    assert "https://cdn.jsdelivr.net" in csp["script-src"] and "https://cdn.jsdelivr.net" in csp["style-src"]


@pytest.mark.browser
def test_a_map_runs_under_its_policy_and_the_policy_refuses_what_it_does_not_list(pages, browser):
    page = browser.new_page()
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));"
    )
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.route(lambda url: not url.startswith("file:"), lambda route: route.fulfill(status=200, body=b""))
    page.goto((pages["inline"] / "overview.html").resolve().as_uri())
    page.wait_for_selector("html[data-atlas-ready]", state="attached", timeout=20_000)
    assert page.evaluate("atlas.drawnCount()") > 0
    assert page.evaluate("window.__violations") == [] and errors == []
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.appendChild(s); }"
    )
    page.evaluate("() => fetch('https://evil.example/x').catch(() => null)")
    # Both refusals are reported (securitypolicyviolation events) before this returns.
    page.wait_for_function(
        "() => ['script-src', 'connect-src'].every(d => window.__violations.some(v => v.startsWith(d)))", timeout=3000
    )
    assert page.evaluate("window.__ran") is None
    violations = page.evaluate("window.__violations")
    assert any(v.startswith("script-src") for v in violations) and any(v.startswith("connect-src") for v in violations)
    page.close()
