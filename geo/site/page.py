"""The frame of every site page: head (CSP, description, og:/Twitter preview), style, header, footer.

Pages are plain HTML without script. Every string from the data goes through `esc` (text and
quoted attributes). The policy allows the one inline stylesheet by its hash and images from the
site itself; nothing runs, connects or submits.
"""

from __future__ import annotations

import base64
import hashlib
import html
from dataclasses import dataclass

# Shared by every page of the site; print hides the navigation.
CSS = """
:root{color-scheme:light}
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'Noto Sans',sans-serif;max-width:60rem;margin:0 auto;
padding:0 1rem 2rem;color:#1d1d1d;line-height:1.5;background:#fff}
a{color:#0b57a4}a:visited{color:#5a3d8a}
header.site{border-bottom:1px solid #d0d0d0;padding:.6rem 0;margin-bottom:1rem;display:flex;flex-wrap:wrap;gap:.4rem 1.2rem;align-items:baseline}
header.site .home{font-weight:700;color:#1d1d1d;text-decoration:none}
header.site nav ul{list-style:none;display:flex;flex-wrap:wrap;gap:.2rem 1rem;margin:0;padding:0}
h1{font-size:1.7rem;line-height:1.25;margin:.4rem 0 .6rem}h2{font-size:1.25rem;margin:1.8rem 0 .5rem}
h3{font-size:1.05rem;margin:1rem 0 .3rem}
.meta{color:#545454;font-size:.92rem}
.maps{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(17rem,1fr));gap:1.2rem}
.maps li{border:1px solid #d0d0d0;border-radius:6px;padding:.7rem}
.maps img{width:100%;height:auto;border:1px solid #e3e3e3;display:block}
.maps h3{margin:.6rem 0 .2rem}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{border-bottom:1px solid #e0e0e0;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4}
dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem;margin:0}
dl.facts dt{font-weight:600}dl.facts dd{margin:0}
pre,code{font-family:ui-monospace,'DejaVu Sans Mono',monospace;font-size:.85rem}
code.sha{word-break:break-all;font-size:.75rem}td{overflow-wrap:anywhere}
pre{background:#f6f6f6;border:1px solid #e0e0e0;padding:.6rem;overflow-x:auto;white-space:pre-wrap;word-break:break-word}
figure.minimap{margin:.5rem 0 1rem;max-width:32rem}figure.minimap svg{width:100%;height:auto;border:1px solid #d0d0d0;background:#eef3f7}
figure.minimap figcaption{font-size:.85rem;color:#545454}
.change-added{color:#1b6e20}.change-removed{color:#a01818}
ol.sources li{margin:.2rem 0}
sup.ref a{text-decoration:none}
footer.site{margin-top:2.5rem;border-top:1px solid #d0d0d0;padding-top:.6rem;font-size:.88rem;color:#545454}
@media print{header.site nav,.no-print{display:none}a{color:#000}body{max-width:none}}
"""


@dataclass(frozen=True)
class Social:
    """What a shared link shows: title, description, preview image (relative to the page or absolute)."""

    title: str
    description: str
    image: str
    image_alt: str
    url: str | None = None  # the page's absolute address, when the site's base URL is known


def esc(text: object) -> str:
    """Text for HTML element content or a quoted attribute value."""
    return html.escape(str(text), quote=True)


def style_hash(css: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii") + "'"


def policy(css: str = CSS) -> str:
    """The site pages' Content-Security-Policy: no script at all, its own style and images."""
    return (
        "default-src 'none'; script-src 'none'; "
        f"style-src {style_hash(css)}; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'none'"
    )


def social_meta(social: Social) -> str:
    """og: and Twitter card tags (shared with the map pages, which get them in their head)."""
    tags = [
        ("property", "og:type", "website"),
        ("property", "og:title", social.title),
        ("property", "og:description", social.description),
        ("property", "og:image", social.image),
        ("property", "og:image:alt", social.image_alt),
        ("name", "twitter:card", "summary_large_image"),
        ("name", "twitter:title", social.title),
        ("name", "twitter:description", social.description),
        ("name", "twitter:image", social.image),
        ("name", "twitter:image:alt", social.image_alt),
    ]
    if social.url:
        tags.insert(1, ("property", "og:url", social.url))
    return "\n".join(f'<meta {kind}="{esc(name)}" content="{esc(value)}"/>' for kind, name, value in tags)


def page(
    *,
    title: str,
    body: str,
    description: str,
    social: Social,
    root: str,
    atlas_title: str,
    footer: str,
    lang: str = "en",
    feed: bool = True,
) -> str:
    """A whole page. `root` is the relative way back to the site's top ('' or '../')."""
    alternate = (
        f'<link rel="alternate" type="application/atom+xml" title="Changes to the atlas" href="{root}feed.atom"/>\n'
        if feed
        else ""
    )
    nav = (
        f'<header class="site"><a class="home" href="{root}index.html">{esc(atlas_title)}</a>'
        '<nav aria-label="Site"><ul>'
        f'<li><a href="{root}index.html#maps">Maps</a></li>'
        f'<li><a href="{root}features/index.html">Features</a></li>'
        f'<li><a href="{root}index.html#downloads">Downloads</a></li>'
        f'<li><a href="{root}index.html#cite">How to cite</a></li>'
        f'<li><a href="{root}changelog.html">Changes</a></li>'
        "</ul></nav></header>"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8"/>\n'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(policy())}"/>\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>\n'
        f"<title>{esc(title)}</title>\n"
        f'<meta name="description" content="{esc(description)}"/>\n'
        f"{social_meta(social)}\n{alternate}"
        f"<style>{CSS}</style>\n</head>\n<body>\n{nav}\n<main>\n{body}\n</main>\n"
        f'<footer class="site">{footer}</footer>\n</body>\n</html>\n'
    )
