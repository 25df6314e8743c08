"""Leaflet, its plugins and the atlas' own script and style, read from installed packages.

Inlined by default so a map works offline; with --cdn the same versions load from jsDelivr.
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import xstatic.pkg.leaflet as xs_leaflet

_SOURCE_MAP = re.compile(r"\n?//# sourceMappingURL=\S+\s*$")
_CSS_IMAGE = re.compile(r"url\((['\"]?)images/([\w.-]+\.png)\1\)")


@dataclass(frozen=True)
class Asset:
    name: str
    kind: str  # "js" or "css"
    text: str
    cdn_url: str


def _read(path: Path) -> str:
    return _SOURCE_MAP.sub("\n", path.read_text(encoding="utf-8"))


def _inline_css_images(css: str, image_dir: Path) -> str:
    """Leaflet's CSS points at images/*.png next to it; make them data: URIs."""

    def data_uri(match: re.Match[str]) -> str:
        png = (image_dir / match.group(2)).read_bytes()
        return "url(data:image/png;base64," + base64.b64encode(png).decode("ascii") + ")"

    return _CSS_IMAGE.sub(data_uri, css)


def _own(name: str) -> str:
    return resources.files("geo.webmap").joinpath("assets", name).read_text(encoding="utf-8")


# The page script in parts, in load order: pure modules first (each also loads in Node for its
# unit tests, tests/js/), then the Leaflet layer, the panel's controls (each talks to the state
# and the map API only, panel.js), the map's tools, and last the page that wires them.
SCRIPT_PARTS = (
    "dom.js", "decode.js", "i18n.js", "search.js", "labels.js", "hash.js", "state.js", "names.js",
    "timeline.js", "urlstate.js", "address.js", "hittest.js", "popup.js",
    "layer.js", "compact.js", "context.js",
    "panel.js", "language_control.js", "search_control.js", "layers_control.js", "filters_control.js", "timeline_control.js",
    "sources_control.js", "tools.js", "notices.js", "sheet.js", "embed.js",
    "atlas.js",
)  # fmt: skip


def atlas_script() -> str:
    """The parts concatenated into one script: no bundler, the page stays one file."""
    return "\n".join(f"/* ---- {name} ---- */\n" + _own(f"parts/{name}") for name in SCRIPT_PARTS)


@lru_cache(maxsize=1)
def leaflet_assets() -> tuple[Asset, ...]:
    base = Path(xs_leaflet.BASE_DIR)
    version = xs_leaflet.VERSION
    return (
        Asset("leaflet_css", "css", _inline_css_images(_read(base / "leaflet.css"), base / "images"),
              f"https://cdn.jsdelivr.net/npm/leaflet@{version}/dist/leaflet.css"),
        Asset("leaflet", "js", _read(base / "leaflet.js"), f"https://cdn.jsdelivr.net/npm/leaflet@{version}/dist/leaflet.js"),
    )  # fmt: skip


@lru_cache(maxsize=1)
def atlas_assets() -> tuple[Asset, ...]:
    """The atlas' own page script and style (always inlined: they are part of the map)."""
    return (Asset("atlas_css", "css", _own("atlas.css"), ""), Asset("atlas", "js", atlas_script(), ""))
