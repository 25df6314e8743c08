"""One map as one HTML page: a folium Map with its basemaps, the atlas panel and the atlas element."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import shapely
import xyzservices.providers as xyz

from geo.messages import N_
from geo.models import MapSpec
from geo.webmap.assets import atlas_assets, leaflet_assets
from geo.webmap.elements import AtlasFigure, AtlasLayers, RawHtml, asset_html, assign_stable_ids
from geo.webmap.embed import escape_html, json_data_block
from geo.webmap.folium_import import folium
from geo.webmap.languages import languages_payload
from geo.webmap.payload import map_payload

if TYPE_CHECKING:
    from geo.catalog import Catalog

DATA_BLOCK_ID = "atlas-data"

# (id in the URL, name people read, provider) for the panel's layer list; the first is shown and
# "none" (country outlines only) is added by the page.
BASEMAPS = (
    ("osm", N_("OpenStreetMap"), xyz.OpenStreetMap.Mapnik),
    ("grey", N_("Light grey (Esri World Light Gray Canvas)"), xyz.Esri.WorldGrayCanvas),
    ("satellite", N_("Satellite imagery (Esri World Imagery)"), xyz.Esri.WorldImagery),
)
RAIL_OVERLAY = ("rail", N_("Railway network (OpenRailwayMap)"), xyz.OpenRailwayMap)
# The tile providers' attributions exactly as xyzservices gives them (tests/test_i18n.py keeps them
# equal), marked for the catalogs: each is one msgid whose translation keeps its links, so the
# page shows a provider's credit in its language by looking it up, never by replacing words.
TILE_ATTRIBUTIONS = (
    N_('&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors'),
    N_("Tiles &copy; Esri &mdash; Esri, DeLorme, NAVTEQ"),
    N_(
        "Tiles &copy; Esri &mdash; Source: Esri, i-cubed, USDA, USGS, AEX, GeoEye, Getmapping, Aerogrid, IGN, IGP, "
        "UPR-EGP, and the GIS User Community"
    ),
    N_(
        'Map data: &copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors | Map '
        'style: &copy; <a href="https://www.OpenRailwayMap.org">OpenRailwayMap</a> (<a '
        'href="https://creativecommons.org/licenses/by-sa/3.0/">CC-BY-SA</a>)'
    ),
)

# folium's viewport forbids pinch-zoom (user-scalable=no); readers must be able to zoom the page.
_FOLIUM_VIEWPORT = re.compile(
    r'<meta name="viewport" content="width=device-width,\s*initial-scale=1.0, maximum-scale=1.0, user-scalable=no" />'
)
VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1"/>'

# Point layers larger than this are drawn as canvas circles instead of DOM symbols: a DOM
# marker per feature is an order of magnitude slower to draw at tens of thousands.
DOM_SYMBOL_LIMIT = 2000


def _bounds(catalog: Catalog, spec: MapSpec) -> tuple[float, float, float, float]:
    geometries = [f.geometry for layer_id in spec.layers for f in catalog.layers[layer_id].features]
    if not geometries and catalog.atlas is not None:
        return catalog.atlas.region_bounds  # nothing to show: the atlas's region (data/atlas.yaml)
    return tuple(shapely.total_bounds(geometries).tolist())


def _panel_html(spec: MapSpec) -> str:
    """The page's static frame: one panel (a sidebar on wide screens, a bottom sheet on phones).

    The head (title, search, the sheet's toggle) always shows; the body holds the layers with
    their legend, filters, timeline, sources and credits, filled by the script from the data.
    Search comes first in the page, so keyboard order is search, panel, map.
    """
    return (
        '<aside id="atlas-panel" class="atlas-panel" aria-label="Map information and tools">'
        '<div class="atlas-panel-head">'
        '<nav id="atlas-language" class="atlas-language-nav" aria-label="Language"></nav>'
        f'<h1 id="atlas-title">{escape_html(spec.title)}</h1>'
        '<section id="atlas-search" role="search" aria-label="Search places"></section>'
        '<button type="button" id="atlas-panel-toggle" class="atlas-panel-toggle" aria-expanded="true" '
        'aria-controls="atlas-panel-body">Layers, filters, timeline</button>'
        "</div>"
        '<div id="atlas-panel-body" class="atlas-panel-body">'
        f'<p id="atlas-description">{escape_html(spec.description)}</p>'
        '<section id="atlas-layers" aria-label="Map layers and legend"></section>'
        '<section id="atlas-filters" aria-label="Filters"></section>'
        '<section id="atlas-timeline" aria-label="Timeline"></section>'
        '<section id="atlas-sources" aria-label="Sources and credits"></section>'
        "</div></aside>"
        '<noscript><p class="atlas-noscript">This map needs JavaScript to draw its layers.</p></noscript>'
    )


def build_map_html(catalog: Catalog, spec: MapSpec, *, cdn: bool = False, base: Mapping[str, Any] | None = None) -> str:
    """The complete HTML of one map. A fresh folium tree each call: folium's render() mutates it.

    `base`: the catalog's base_layer_payload, computed once for all the maps of a build.
    """
    payload = map_payload(catalog, spec, base)
    payload["i18n"] = languages_payload(catalog, payload)
    west, south, east, north = _bounds(catalog, spec)
    view = spec.view
    figure = AtlasFigure(title=spec.title, description=spec.description)
    fmap = folium.Map(
        location=[view.lat, view.lon] if view else [(south + north) / 2, (west + east) / 2],
        zoom_start=view.zoom if view else 5,
        min_zoom=spec.min_zoom,
        max_zoom=spec.max_zoom,
        tiles=None,
        prefer_canvas=True,
        control_scale=False,  # the page adds its own, in the reader's language (tools.js ScaleControl)
    )
    # Instance attributes: drop folium's CDN jQuery/Bootstrap/awesome-markers without touching the class.
    fmap.default_js = []
    fmap.default_css = []
    figure.add_child(fmap)
    # Tile layers start off the map: the page's state decides which one shows (the URL may say).
    bases = [
        (key, name, folium.TileLayer(provider, name=name, show=False, max_zoom=spec.max_zoom).add_to(fmap))
        for key, name, provider in BASEMAPS
    ]
    rail_key, rail_name, rail = RAIL_OVERLAY
    rail_layer = folium.TileLayer(rail, name=rail_name, overlay=True, show=False, max_zoom=spec.max_zoom).add_to(fmap)
    AtlasLayers(DATA_BLOCK_ID, bases=bases, overlays=[(rail_key, rail_name, rail_layer)]).add_to(fmap)

    assets = [*leaflet_assets(), *atlas_assets()]
    figure.header.add_child(RawHtml("\n".join(asset_html(asset, cdn=cdn) for asset in assets)), name="atlas_assets")
    figure.html.add_child(RawHtml(_panel_html(spec)), name="atlas_panel")
    payload["fit_bounds"] = None if view else [[south, west], [north, east]]
    payload["dom_symbol_limit"] = DOM_SYMBOL_LIMIT
    data_block = json_data_block(DATA_BLOCK_ID, payload)
    del payload  # its packed columns are in the block now
    # The block goes in after folium has rendered the page around a marker: a 40 MB block is then
    # copied once, not by the template, the viewport fix and the payload besides (a third of a
    # million-feature build's peak memory).
    figure.html.add_child(RawHtml(_DATA_MARKER), name="atlas_data")
    assign_stable_ids(figure)
    html, replaced = _FOLIUM_VIEWPORT.subn(VIEWPORT, figure.render(), count=1)
    if not replaced:
        raise RuntimeError("folium's viewport meta tag changed; update geo/webmap/page.py")
    head, marker, tail = html.partition(_DATA_MARKER)
    if not marker or _DATA_MARKER in tail:
        raise RuntimeError("the data block's marker is not once in the rendered page")
    return "".join((head, data_block, tail))


# Where the data block goes. Every text from the data is escaped in the rest of the page, so "<!"
# only ever comes from the page's own markup.
_DATA_MARKER = "<!--atlas-data-block-->"
