"""`geo site`: the publishable site as a reader, a newsroom and a feed reader meet it.

The site is built once for this file (the real command, about 6 s: maps, four preview sheets,
the GIS downloads) and then read from disk, through a loopback HTTP server and in Chromium.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from geo.catalog import load_catalog
from tests.browser import BLANK_PNG, address_hash, axe_violations
from tests.conftest import ROOT, run_geo

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = run_geo("site", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "files written" in result.stdout
    return out


class _Page(HTMLParser):
    """The links, images, meta tags and element classes of one page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.meta: dict[str, str] = {}
        self.ids: set[str] = set()
        self.source_items = 0
        self._in_sources = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag in ("img", "link") and ("src" in a or "href" in a):
            self.links.append(a.get("src") or a["href"])
        if tag == "meta" and ("property" in a or "name" in a):
            self.meta[a.get("property") or a["name"]] = a.get("content", "")
        if "id" in a:
            self.ids.add(a["id"])
        if tag == "ol" and "sources" in a.get("class", ""):
            self._in_sources = True
        if tag == "li" and self._in_sources and a.get("id", "").startswith("source-"):
            self.source_items += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "ol":
            self._in_sources = False


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def local_target(page_path: Path, href: str) -> Path | None:
    """The file a relative link points at (None for external and in-page links)."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path:
        return None
    return (page_path.parent / unquote(parts.path)).resolve()


def ogr_feature_counts(path: str) -> dict[str, int]:
    result = subprocess.run(
        ["ogrinfo", "-ro", "-so", "-al", path], capture_output=True, text=True, check=True, timeout=60
    )
    counts, layer = {}, None
    for line in result.stdout.splitlines():
        if line.startswith("Layer name: "):
            layer = line.split(": ", 1)[1]
        elif line.startswith("Feature Count: ") and layer:
            counts[layer] = int(line.split(": ", 1)[1])
    return counts


def test_landing_page_links_and_downloads_resolve_and_read_back_with_gdal(site: Path, catalog) -> None:
    landing = site / "index.html"
    page = parse(landing)
    text = landing.read_text(encoding="utf-8")
    # Version, data date, data hash and the release notes are on the page, as in the citation.
    assert "Version 1.0.0" in text and "released 2026-12-03" in text
    assert re.search(r"Data hash <code>sha256:[0-9a-f]{64}</code>", text)
    for word in ("ODbL", "CC BY 4.0", "Natural Earth", "@misc{atlas-1-0-0", '"type": "dataset"'):
        assert word in text or word in text.replace("&quot;", '"'), word
    # Every map with its preview, and every relative link of the page leads to a file of the site.
    for spec in catalog.maps.values():
        assert f'href="{spec.id}.html"' in text and f'src="previews/{spec.id}.png"' in text
    targets = [local_target(landing, href) for href in page.links]
    missing = [href for href, target in zip(page.links, targets) if target is not None and not target.is_file()]
    assert missing == []
    assert all(target.is_relative_to(site.resolve()) for target in targets if target)
    # The downloads: checksums as the manifest and SHA256SUMS say; GDAL reads every layer back whole.
    downloads = site / "downloads"
    manifest = json.loads((downloads / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    assert {p.relative_to(downloads).as_posix() for p in downloads.rglob("*") if p.is_file()} == {
        *listed,
        "manifest.json",
        "SHA256SUMS",
    }
    for path, sha in listed.items():
        assert hashlib.sha256((downloads / path).read_bytes()).hexdigest() == sha, path
        assert f"downloads/{path}" in text
    sums = dict(reversed(line.split("  ", 1)) for line in (downloads / "SHA256SUMS").read_text().splitlines())
    assert sums["manifest.json"] == hashlib.sha256((downloads / "manifest.json").read_bytes()).hexdigest()
    if shutil.which("ogrinfo") is None:
        pytest.skip("ogrinfo (gdal-bin) is not installed")
    expected = {layer.id: len(layer.features) for layer in catalog.layers.values()}
    gpkg = ogr_feature_counts(str(downloads / "atlas.gpkg"))
    assert {name: count for name, count in gpkg.items() if name in expected} == expected
    assert gpkg["sources"] == len(catalog.sources)
    titles = {layer.spec.title: layer.id for layer in catalog.layers.values()}  # KML folders are named by title
    assert {titles[name]: count for name, count in ogr_feature_counts(str(downloads / "atlas.kml")).items()} == expected
    assert ogr_feature_counts(str(downloads / "geojson" / "cities.geojson")) == {"cities": expected["cities"]}
    assert ogr_feature_counts(str(downloads / "csv" / "railway_lines.csv")) == {
        "railway_lines": expected["railway_lines"]
    }


def test_every_feature_has_a_valid_page_with_its_sources_and_links_to_the_maps(site: Path, catalog) -> None:
    pages = [site / "index.html", site / "changelog.html", site / "features" / "index.html"]
    listed = parse(site / "features" / "index.html").links
    for layer in catalog.layers.values():
        maps = [spec.id for spec in catalog.maps.values() if layer.id in spec.layers]
        for feature in layer.features:
            path = site / "features" / f"{feature.id}.html"
            assert path.is_file(), feature.id
            pages.append(path)
            page = parse(path)
            assert page.source_items == len(catalog.sources_of(feature)) > 0, feature.id
            opens = {href for href in page.links if "#open=" in href}
            assert opens == {f"../{map_id}.html#open={feature.id}" for map_id in maps}, feature.id
            assert all(local_target(path, href).is_file() for href in page.links if local_target(path, href)), (
                feature.id
            )
            # The shared-link preview is an image of the site.
            assert (
                local_target(path, page.meta["og:image"]).is_file()
                and page.meta["twitter:card"] == "summary_large_image"
            )
            assert f"{feature.id}.html" in listed
            assert "<script" not in path.read_text(encoding="utf-8")
    for spec in catalog.maps.values():  # the map pages carry the same preview meta
        meta = parse(site / f"{spec.id}.html").meta
        assert meta["og:image"] == f"previews/{spec.id}.png" and (site / meta["og:image"]).is_file()
        assert meta["og:title"] == spec.title
    # Valid HTML, every page of the site (the W3C's Nu checker, run once over all of them).
    if not VNU.is_file() or shutil.which("java") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("the Nu HTML checker needs java and node_modules/vnu-jar (npm ci; .ci/run installs java)")
        pytest.skip("java or vnu-jar is not installed")
    result = subprocess.run(
        # One short run: the quick compiler and the serial collector halve the JVM's CPU time.
        ["java", "-Xss2m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", str(VNU),
         "--errors-only", "--format", "json", *map(str, pages)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    messages = json.loads(result.stderr or result.stdout)["messages"]
    assert [(m["url"].rsplit("/", 1)[-1], m.get("lastLine"), m["message"]) for m in messages] == []
    assert result.returncode == 0


def test_feed_is_atom_and_its_entries_link_pages_that_exist(site: Path, catalog) -> None:
    root = ET.parse(site / "feed.atom").getroot()
    assert root.tag == f"{ATOM}feed"
    rfc3339 = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
    # RFC 4287 4.1.1: a feed has one id, title and updated, and an author (or every entry has one).
    for tag in ("id", "title", "updated", "author"):
        assert len(root.findall(f"{ATOM}{tag}")) == 1, tag
    assert rfc3339.match(root.findtext(f"{ATOM}updated"))
    assert root.find(f"{ATOM}author/{ATOM}name").text
    assert root.find(f"{ATOM}link[@rel='self']").get("href") == "feed.atom"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == [f"Version {r.version}" for r in catalog.atlas.releases]
    ids = set()
    for entry in entries:
        for tag in ("id", "title", "updated"):  # RFC 4287 4.1.2
            assert len(entry.findall(f"{ATOM}{tag}")) == 1
        assert rfc3339.match(entry.findtext(f"{ATOM}updated"))
        ids.add(entry.findtext(f"{ATOM}id"))
        alternate = entry.find(f"{ATOM}link[@rel='alternate']").get("href")
        assert alternate.split("#")[1] in parse(site / "changelog.html").ids
        related = [link.get("href") for link in entry.findall(f"{ATOM}link[@rel='related']")]
        # The first release brings every feature: its entry links every feature's page.
        assert sorted(related) == sorted(f"features/{f.id}.html" for f in catalog.features())
        assert all((site / href).is_file() for href in related)
        assert entry.find(f"{ATOM}content").get("type") == "html"
    assert len(ids) == len(entries) and all(i.startswith("urn:uuid:") for i in ids)


def test_a_rebuild_with_nothing_changed_writes_nothing_and_only_changes_are_written(site: Path, data_dir) -> None:
    from geo.site.build import read_inputs, write_site

    before = {p: p.stat().st_mtime_ns for p in site.rglob("*")}
    result = run_geo("site", "--out", str(site))
    assert result.returncode == 0 and "up to date" in result.stdout
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*")} == before
    # The same files again (what a forced rebuild makes: the build is deterministic) write nothing;
    # one changed file is the only one written; a file the site did not write is refused.
    files = {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in site.rglob("*")
        if p.is_file() and p.name != ".site.json"
    }
    inputs = read_inputs(site)
    report = write_site(site, data_dir, files, inputs)
    assert report.written == [] and report.unchanged == len(files)
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*")} == before
    changed = {**files, "changelog.html": files["changelog.html"] + b"\n"}
    assert write_site(site, data_dir, changed, inputs).written == ["changelog.html"]
    assert write_site(site, data_dir, files, inputs).written == ["changelog.html"]  # and back
    (site / "notes.txt").write_text("mine")
    from geo.outdir import OutputUsageError

    with pytest.raises(OutputUsageError, match=r"notes\.txt \(not written by `geo site`\)"):
        write_site(site, data_dir, {**files, "notes.txt": b"x"}, inputs)
    assert (site / "notes.txt").read_text() == "mine"
    (site / "notes.txt").unlink()


def test_site_pages_are_script_free_valid_for_axe_and_work_over_http(browser, site: Path, catalog) -> None:
    with serve(site) as base:
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        responses, failed = {}, []
        page.on("response", lambda r: responses.__setitem__(urlsplit(r.url).path, r.headers.get("content-type", "")))
        page.on(
            "response",
            lambda r: failed.append(r.url) if r.status >= 400 and not r.url.endswith("/favicon.ico") else None,
        )
        # Offline: basemap tiles are answered with a blank image, as in every browser test.
        page.route(
            lambda url: not url.startswith((base, "file:")),
            lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_PNG),
        )
        samples = ["index.html", "changelog.html", "features/index.html", "features/atameken-checkpoint.html",
                   "features/darbaza-maktaaral-railway.html", "features/bahri-tojik-reservoir.html"]  # fmt: skip
        for relative in samples:
            for url in (f"{base}/{relative}", (site / relative).as_uri()):
                response = page.goto(url)
                assert response is not None and response.ok, url
                assert page.title() and page.evaluate("document.scripts.length") == 0
                if url.startswith(base):  # the same bytes from a file: read the same by axe
                    assert axe_violations(page) == [], (relative, url)
        assert responses["/index.html"].startswith("text/html")
        assert responses["/previews/overview.png"] == "image/png"
        # The interactive map over HTTP: it draws, its CSP refuses nothing, the preview meta is there.
        page.goto(f"{base}/kazakhstan-uzbekistan.html#open=atameken-checkpoint")
        page.wait_for_selector("html[data-atlas-ready]", state="attached", timeout=20_000)
        page.wait_for_selector(".leaflet-popup", timeout=5_000)
        assert errors == [] and failed == []
        for path, kind in (("feed.atom", "application/atom+xml"), ("downloads/atlas.gpkg", "application/geopackage+sqlite3"),
                           ("downloads/geojson/cities.geojson", "application/geo+json")):  # fmt: skip
            response = page.request.get(f"{base}/{path}")
            assert response.ok and response.headers["content-type"] == kind, path
        page.close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextmanager
def serve(directory: Path, seconds: float = 120.0) -> Iterator[str]:
    """The directory over HTTP on 127.0.0.1 (a free port), stopped on leaving or after `seconds`."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    deadline = threading.Timer(seconds, server.shutdown)
    deadline.daemon = True
    deadline.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        deadline.cancel()
        server.shutdown()
        server.server_close()
        thread.join(10)


# -- geo diff -----------------------------------------------------------------------------------


def _edit_layer(data: Path, layer: str, edit) -> None:
    path = data / "layers" / f"{layer}.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    collection["features"] = edit(collection["features"])
    path.write_text(json.dumps(collection, ensure_ascii=False), encoding="utf-8")


def _known_edits(data: Path) -> None:
    """Added, removed, moved, re-worded, re-sourced: one of each."""

    def cities(features):
        features = [f for f in features if f["properties"]["id"] != "aktobe"]  # removed
        for feature in features:
            if feature["properties"]["id"] == "tashkent":  # moved 0.01 degrees east
                feature["geometry"]["coordinates"][0] = round(feature["geometry"]["coordinates"][0] + 0.01, 6)
            if feature["properties"]["id"] == "khujand":  # re-sourced
                feature["properties"]["sources"] = [*feature["properties"]["sources"], "art-kz-tj-treaty-2024"]
        added = json.loads(json.dumps(features[0]))
        added["properties"].update(id="new-town", name="New Town")
        return [*features, added]

    _edit_layer(data, "cities", cities)
    path = data / "metadata" / "projects.yaml"
    projects = yaml.safe_load(path.read_text(encoding="utf-8"))
    projects[0]["summary"] = "Reworded: " + projects[0]["summary"]  # re-worded
    path.write_text(yaml.safe_dump(projects, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_diff_reports_exactly_the_known_edits_and_nothing_for_identical_copies(data_copy: Path, tmp_path: Path) -> None:
    same = tmp_path / "same"
    shutil.copytree(data_copy, same)
    for args in ((str(data_copy), str(same)), (str(data_copy), str(same), "--json")):
        result = run_geo("diff", *args)
        assert result.returncode == 0, result.stderr
    assert run_geo("diff", str(data_copy), str(same)).stdout.strip() == "no differences"
    assert json.loads(run_geo("diff", "--json", str(data_copy), str(same)).stdout)["changes"] == []

    _known_edits(same)
    first_project = yaml.safe_load((data_copy / "metadata" / "projects.yaml").read_text(encoding="utf-8"))[0]["id"]
    report = json.loads(run_geo("diff", "--json", str(data_copy), str(same)).stdout)
    found = {(c["change"], c["kind"], c["id"]): [f["field"] for f in c.get("fields", [])] for c in report["changes"]}
    assert found == {
        ("added", "feature", "new-town"): [],
        ("removed", "feature", "aktobe"): [],
        ("changed", "feature", "tashkent"): ["geometry"],
        ("changed", "feature", "khujand"): ["sources"],
        ("changed", "project", first_project): ["summary"],
    }
    assert report["summary"] == {"added": 1, "removed": 1, "changed": 3}
    import pyproj

    lon, lat = load_catalog(data_copy).feature("tashkent").geometry.coords[0]
    _, _, expected = pyproj.Geod(ellps="WGS84").inv(lon, lat, round(lon + 0.01, 6), lat)  # about 837 m at 41.3 N
    moved = next(c for c in report["changes"] if c["id"] == "tashkent")
    assert abs(moved["moved_m"] - expected) < 0.1
    text = run_geo("diff", str(data_copy), str(same)).stdout
    assert f"changed feature cities/tashkent (Tashkent)\n  geometry: moved {expected:,.0f} m\n" in text
    assert "  sources: +art-kz-tj-treaty-2024" in text
    assert text.strip().endswith("1 added, 1 removed, 3 changed")


def test_diff_reads_git_revisions_and_refuses_what_is_neither(data_copy: Path) -> None:
    repo = data_copy.parent
    git = partial(subprocess.run, cwd=repo, check=True, capture_output=True)
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.org",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.org",
    }
    git(["git", "init", "-q"])
    git(["git", "add", "data"], env=env)
    git(["git", "commit", "-qm", "one"], env=env)
    _known_edits(data_copy)
    git(["git", "commit", "-qam", "two"], env=env)
    result = run_geo("--data", str(data_copy), "diff", "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith("1 added, 1 removed, 3 changed")
    assert (
        run_geo("--data", str(data_copy), "diff", "HEAD").stdout.strip() == "no differences"
    )  # NEW defaults to --data
    refused = run_geo("--data", str(data_copy), "diff", "no-such-rev")
    assert refused.returncode == 2 and "'no-such-rev' is neither a data directory" in refused.stderr
    assert "Traceback" not in refused.stderr


def test_citation_cff_names_the_version_and_day_of_the_newest_release(catalog) -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    newest = catalog.atlas.releases[0]
    assert (
        (cff["version"], str(cff["date-released"]))
        == (catalog.atlas.version, newest.date)
        == (newest.version, newest.date)
    )
    assert cff["title"] == catalog.atlas.title and cff["cff-version"] == "1.2.0"


def _embed_snippet(site: Path, map_id: str) -> str:
    """The landing page's iframe snippet for a map, as a newsroom would paste it."""
    import html as html_lib

    text = (site / "index.html").read_text(encoding="utf-8")
    item = text[text.index(f'id="map-{map_id}"') :]
    return html_lib.unescape(re.search(r"<pre><code>(&lt;iframe .*?)</code></pre>", item).group(1))


def test_an_embedded_map_fills_a_600x400_frame_folds_its_panel_and_opens_a_popup_inside(
    browser, site: Path, tmp_path: Path
) -> None:
    from tests.browser import MAP_SHARE, POPUP_VISIBLE, STILL, screenshot

    snippet = _embed_snippet(site, "kazakhstan-uzbekistan")
    assert 'title="Kazakhstan' in snippet and 'width="600" height="400"' in snippet
    assert (
        'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation"'
        in snippet
    )
    snippet = snippet.replace(
        'src="kazakhstan-uzbekistan.html"', f'src="{(site / "kazakhstan-uzbekistan.html").as_uri()}"'
    )
    host = tmp_path / "article.html"
    host.write_text(f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>An article</title></head>'
                    f'<body style="margin:24px"><p>Text before the map.</p>{snippet}<p>Text after.</p></body></html>')  # fmt: skip
    page = browser.new_page()
    page.set_viewport_size({"width": 900, "height": 700})
    page.route(
        lambda url: not url.startswith("file:"),
        lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_PNG),
    )
    try:
        page.goto(host.as_uri())
        frame = page.frames[1]
        frame.wait_for_selector("html[data-atlas-ready]", state="attached", timeout=20_000)
        frame.evaluate(STILL, 2)
        assert frame.evaluate("document.documentElement.classList.contains('atlas-compact')")
        assert frame.evaluate("[innerWidth, innerHeight]") == [600, 400]
        # The map takes the frame; of the panel only its one button shows, beside the full-map link.
        assert frame.evaluate(MAP_SHARE) >= 0.75
        assert frame.evaluate("getComputedStyle(document.getElementById('atlas-panel')).display") == "none"
        toggle, full = frame.locator(".atlas-compact-toggle"), frame.locator(".atlas-compact-full")
        assert (
            toggle.get_attribute("aria-expanded") == "false" and toggle.get_attribute("aria-controls") == "atlas-panel"
        )
        assert full.get_attribute("target") == "_blank" and full.get_attribute("href").endswith(
            "kazakhstan-uzbekistan.html" + address_hash(frame)
        )
        toggle.click()
        assert toggle.get_attribute("aria-expanded") == "true"
        assert frame.locator("#atlas-layers").is_visible() and frame.evaluate(MAP_SHARE) > 0.3
        frame.locator("body").press("Escape")
        assert toggle.get_attribute("aria-expanded") == "false" and not frame.locator("#atlas-layers").is_visible()
        # A click on a symbol opens its popup inside the frame, uncovered.
        box = page.locator("iframe").bounding_box()
        point = frame.evaluate("atlas.screenPoint('myrzakent')")
        page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])
        frame.wait_for_selector(".leaflet-popup", timeout=5_000)
        frame.evaluate(STILL, 2)
        assert frame.evaluate(POPUP_VISIBLE) == "ok"
        screenshot(page, "site-embedded-600x400")
    finally:
        page.close()


def test_a_printed_map_page_has_the_map_its_legend_and_sources(browser, site: Path, tmp_path: Path) -> None:
    from tests.browser import STILL

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    page = browser.new_page()
    page.set_viewport_size({"width": 1440, "height": 900})
    page.route(
        lambda url: not url.startswith("file:"),
        lambda route: route.fulfill(status=200, content_type="image/png", body=BLANK_PNG),
    )
    try:
        page.goto((site / "kazakhstan-uzbekistan.html").as_uri())
        page.wait_for_selector("html[data-atlas-ready]", state="attached", timeout=20_000)
        page.evaluate(STILL, 2)
        pdf = tmp_path / "printed.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    finally:
        page.close()

    def text(*pages: str) -> str:
        return subprocess.run(["pdftotext", *pages, str(pdf), "-"], capture_output=True, text=True, check=True).stdout

    first = text("-f", "1", "-l", "1")
    # Page one: the title and the map with its labels and scale, not the search or the filters.
    assert first.startswith("Kazakhstan–Uzbekistan - the")
    for label in ("Atameken border checkpoint", "Darbaza station", "Tashkent", "30 km"):
        assert label in first, label
    assert "Find a place" not in text() and "Filters" not in text()
    # The map's corner credits, unfolded on paper (on screen they keep to one line).
    corner = re.sub(r"\s+", " ", first)
    assert "Map data © OpenStreetMap contributors, ODbL 1.0" in corner
    assert "Place names and positions from GeoNames (geonames.org), CC BY 4.0" in corner, corner[-600:]
    whole = text()
    # Then the legend and every source of the map.
    for words in (
        "Map layers",
        "Border checkpoint",
        "Railway line — under construction",
        "Sources (",
        "Basemaps © OpenStreetMap contributors",
    ):
        assert words in whole, words
    assert "Mazhilis ratifies the Kazakhstan–Uzbekistan agreement" in whole.replace("\n", " ")
