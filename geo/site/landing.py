"""The landing page: the maps with previews and embed code, downloads, sources, licences, how to cite."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from geo.site.citation import Edition, bibtex, csl_json, plain
from geo.site.feature_page import source_line
from geo.site.page import esc
from geo.site.words import number

if TYPE_CHECKING:
    from geo.catalog import Catalog
    from geo.models import MapSpec

# What each download is, by the exporter's format name.
FORMAT_WORDS = {
    "gpkg": "GeoPackage (every layer, with the projects, events, figures and sources as tables)",
    "geojson": "GeoJSON (RFC 7946)",
    "csv": "CSV (WKT geometry, UTF-8)",
    "kml": "KML (Google Earth)",
}
LICENCES = (
    ("Facts", "The atlas's own paraphrase of the cited articles and reference pages; every fact names its sources. "
     "Cite them as well as the atlas."),
    ("Railway geometry and station positions", "derived from OpenStreetMap: © OpenStreetMap contributors, "
     'Open Database License 1.0 (<a href="https://www.openstreetmap.org/copyright">openstreetmap.org/copyright</a>).'),
    ("Town positions", 'from GeoNames (geonames.org), Creative Commons Attribution 4.0 '
     '(<a href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>).'),
    ("Country and lake outlines", 'Natural Earth 1:10m (<a href="https://www.naturalearthdata.com/">naturalearthdata.com</a>), public domain.'),
    ("Basemap tiles on the interactive maps", "from their providers (OpenStreetMap, Esri, OpenRailwayMap), credited on each map."),
)  # fmt: skip


@dataclass(frozen=True)
class EmbedCode:
    """The two snippets a newsroom pastes: a titled, sandboxed iframe, and the same in a fixed-ratio box."""

    iframe: str
    responsive: str


def embed_code(spec: MapSpec, base_url: str | None) -> EmbedCode:
    src = (base_url or "") + f"{quote(spec.id)}.html"
    attributes = (
        f'src="{esc(src)}" title="{esc(spec.title)}" loading="lazy" '
        'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation" '
        'allow="fullscreen" allowfullscreen referrerpolicy="strict-origin-when-cross-origin"'
    )
    iframe = f'<iframe {attributes} width="600" height="400" style="border:0;max-width:100%"></iframe>'
    responsive = (
        '<div style="position:relative;width:100%;padding-top:66.667%">'
        f'<iframe {attributes} style="position:absolute;top:0;left:0;width:100%;height:100%;border:0"></iframe></div>'
    )
    return EmbedCode(iframe, responsive)


def _map_item(spec: MapSpec, layer_titles: dict[str, str], base_url: str | None) -> str:
    layers = ", ".join(layer_titles.get(layer_id, layer_id) for layer_id in spec.layers)
    code = embed_code(spec, base_url)
    where = "" if base_url else " Replace the address with where the site is served."
    return (
        f'<li id="map-{esc(spec.id)}"><a href="{esc(quote(spec.id))}.html">'
        f'<img src="previews/{esc(quote(spec.id))}.png" width="1200" height="630" '
        f'alt="Preview of the map: {esc(spec.title)}"/></a>'
        f'<h3><a href="{esc(quote(spec.id))}.html">{esc(spec.title)}</a></h3>'
        f"<p>{esc(spec.description)}</p>"
        f'<p class="meta">Layers: {esc(layers)}. Static image: <a href="previews/{esc(quote(spec.id))}.png">PNG</a></p>'
        f'<details class="embed"><summary>Embed this map</summary>'
        f"<p>An iframe with a title and a sandbox that lets the map run but not take over the page:{esc(where)}</p>"
        f"<pre><code>{esc(code.iframe)}</code></pre>"
        "<p>Or one that keeps a 3:2 shape at any width, without script:</p>"
        f"<pre><code>{esc(code.responsive)}</code></pre>"
        "<p>In a small frame the map fills it, the panel folds behind one button and a link opens the full map.</p>"
        "</details></li>"
    )


def _size(count: int) -> str:
    if count >= 1024 * 1024:
        return f"{count / 1024 / 1024:.1f} MB"
    return f"{count / 1024:.0f} kB" if count >= 1024 else f"{count} bytes"


def _downloads(manifest: dict[str, Any]) -> str:
    rows = []
    for entry in manifest.get("files", []):
        path = str(entry["path"])
        what = FORMAT_WORDS.get(str(entry.get("format")), str(entry.get("format")))
        layer = str(entry.get("layer") or "all layers")
        rows.append(
            f'<tr><td><a href="downloads/{esc(quote(path))}" download>{esc(path)}</a></td><td>{esc(what)}</td>'
            f"<td>{esc(layer)}</td><td>{esc(_size(int(entry['bytes'])))}</td>"
            f'<td><code class="sha">{esc(entry["sha256"])}</code></td></tr>'
        )
    layers = ", ".join(f"{layer['title']} ({number(layer['features'])})" for layer in manifest.get("layers", []))
    return (
        '<h2 id="downloads">Downloads for GIS</h2>'
        f"<p>Every layer with its projects, events, figures and sources joined, in WGS 84 longitude/latitude "
        f"(EPSG:4326). Layers and features: {esc(layers)}. Each file carries the data hash and data date; "
        '<a href="downloads/manifest.json">manifest.json</a> lists every file with its size and SHA-256, and '
        '<a href="downloads/SHA256SUMS">SHA256SUMS</a> checks them all at once '
        "(<code>sha256sum -c SHA256SUMS</code> in the downloads folder).</p>"
        '<table><thead><tr><th scope="col">File</th><th scope="col">Format</th><th scope="col">Layer</th>'
        '<th scope="col">Size</th><th scope="col">SHA-256</th></tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _sources(catalog: Catalog) -> str:
    groups = (
        ("dataset", "Datasets the geometry comes from"),
        ("article", "Articles"),
        ("reference", "Reference pages"),
    )
    parts = [
        '<h2 id="sources">Sources</h2><p>Every fact on the maps and pages names its sources; these are all of them.</p>'
    ]
    for kind, heading in groups:
        items = [f"<li>{source_line(s)}</li>" for s in catalog.sources.values() if s.kind.value == kind]
        if items:
            parts.append(f'<h3>{esc(heading)}</h3><ul class="sources">{"".join(items)}</ul>')
    return "".join(parts)


def landing_body(
    catalog: Catalog,
    edition: Edition,
    manifest: dict[str, Any],
    release_notes: str | None,
    base_url: str | None,
) -> str:
    layer_titles = {layer.id: layer.spec.title for layer in catalog.layers.values()}
    features = sum(len(layer.features) for layer in catalog.layers.values())
    maps = "".join(_map_item(spec, layer_titles, base_url) for spec in catalog.maps.values())
    version = f"Version {esc(edition.version)}" if edition.version else "Unversioned data"
    released = f", released {esc(edition.released)}" if edition.released else ""
    notes = f"<p>{esc(release_notes)}</p>" if release_notes else ""
    licences = "".join(f"<dt>{esc(what)}</dt><dd>{text}</dd>" for what, text in LICENCES)
    return (
        f"<h1>{esc(edition.title)}</h1>\n"
        f'<p class="edition"><strong>{version}</strong>{released}. Data as of {esc(edition.data_date or "unknown")} '
        f"(the newest publication date of any source). Data hash <code>{esc(edition.data_hash)}</code>.</p>\n"
        f"{notes}"
        f"<p>{number(features)} features in {len(catalog.layers)} layers, {len(catalog.projects)} projects, "
        f"{len(catalog.events)} dated events and {len(catalog.figures)} figures from {len(catalog.sources)} sources. "
        "Every map works offline (only the basemap tiles come from the internet). "
        'Each feature also has <a href="features/index.html">a page of its own</a>, readable without script. '
        'What changed from release to release: <a href="changelog.html">the changelog</a> and its '
        '<a href="feed.atom">Atom feed</a>.</p>\n'
        f'<h2 id="maps">Maps</h2>\n<ul class="maps">{maps}</ul>\n'
        f"{_downloads(manifest)}\n"
        '<h2 id="licences">Licences and attributions</h2>'
        f'<dl class="facts">{licences}</dl>\n'
        f"{_sources(catalog)}\n"
        '<h2 id="cite">How to cite</h2>'
        "<p>Name the version and the data hash, so that a reader can find exactly the data you used:</p>"
        f'<blockquote><p class="citation">{esc(plain(edition))}</p></blockquote>'
        "<h3>BibTeX</h3>"
        f'<pre><code>{esc(bibtex(edition))}</code></pre><p><a href="cite/atlas.bib" download>atlas.bib</a></p>'
        "<h3>CSL-JSON</h3>"
        f'<pre><code>{esc(csl_json(edition))}</code></pre><p><a href="cite/atlas.json" download>atlas.json</a> '
        "(Zotero, Pandoc and citeproc read it)</p>"
        "<p>The repository carries the same as <code>CITATION.cff</code>.</p>"
    )
