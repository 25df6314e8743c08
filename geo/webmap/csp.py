"""The Content-Security-Policy of a built page, computed on the finished HTML in one pass.

The policy allows exactly what the page needs: its own inline <script> and <style> blocks by
their sha256 (whatever blocks the page has, so this does not depend on how the page is laid
out), images from the page's folder, data: URIs and the basemap tile hosts, and nothing to
connect to, embed or navigate a form to. A page that loads Leaflet from the CDN (`--cdn`) gets
`integrity` (sha384 of the pinned XStatic-Leaflet files) and `crossorigin` on those tags, and
the CDN's origin in the policy. Leaflet positions elements through the CSSOM (element.style),
which a style-src without 'unsafe-inline' allows.
"""

from __future__ import annotations

import base64
import hashlib
import html as html_lib
import re
from collections.abc import Iterable, Iterator, Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

_EXTERNAL = re.compile(r"<(script|link)\b([^>]*?)\s(src|href)=\"([^\"]+)\"([^>]*)>", re.IGNORECASE)
_CHARSET = re.compile(r"<meta charset=[^>]*>", re.IGNORECASE)
_HEAD = re.compile(r"<head\b[^>]*>", re.IGNORECASE)
_SRC_ATTR = re.compile(r"\ssrc\s*=", re.IGNORECASE)


def _blocks(page: str, tag: str) -> Iterator[tuple[str, int, int]]:
    """(attributes, start, end of the text) of every <tag>...</tag> block, found with str.find (a
    lazy regex over a 30 MB data block takes seconds). The atlas writes its tags in lower case."""
    opening, closing = f"<{tag}", f"</{tag}>"
    start = page.find(opening)
    while start >= 0:
        after = start + len(opening)
        head_end = page.find(">", after)
        if head_end < 0:
            break
        if page[after] not in " \t\n>":  # <scripts> or <styled> is another tag
            start = page.find(opening, after)
            continue
        end = page.find(closing, head_end)
        if end < 0:
            break
        yield page[after:head_end], head_end + 1, end
        start = page.find(opening, end + len(closing))


_HASHED_PIECE = 1 << 20  # characters encoded at a time: a block's text is never copied whole


def _span_digest(algorithm: str, page: str, start: int, end: int) -> str:
    """_digest of page[start:end], a piece at a time (a million-feature page's data block is 40 MB)."""
    digest = hashlib.new(algorithm)
    for at in range(start, end, _HASHED_PIECE):
        digest.update(page[at : min(at + _HASHED_PIECE, end)].encode("utf-8"))
    return _source_expression(digest)


def _digest(algorithm: str, payload: bytes) -> str:
    return _source_expression(hashlib.new(algorithm, payload))


def _source_expression(digest: Any) -> str:
    """A finished hash as CSP writes it: 'sha256-<base64>'."""
    return f"'{digest.name}-{base64.b64encode(digest.digest()).decode('ascii')}'"


def _origin(url: str) -> str | None:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else None


def tile_origins(providers: Iterable[Mapping[str, Any]]) -> list[str]:
    """The origins an xyzservices TileProvider loads tiles from, every subdomain spelt out."""
    origins: list[str] = []
    for provider in providers:
        url = str(provider["url"])
        subdomains = provider.get("subdomains", "abc") if "{s}" in url else [""]
        for sub in subdomains:
            filled = re.sub(r"\{[^}]+\}", "x", url.replace("{s}", sub))
            origin = _origin(filled)
            if origin and origin not in origins:
                origins.append(origin)
    return origins


@lru_cache(maxsize=1)
def cdn_integrity() -> dict[str, str]:
    """{CDN URL: 'sha384-...'} of the Leaflet files the --cdn pages load, from the pinned XStatic files."""
    import xstatic.pkg.leaflet as xs_leaflet

    from geo.webmap.assets import leaflet_assets

    base = Path(xs_leaflet.BASE_DIR)
    integrity = {}
    for asset in leaflet_assets():
        if asset.cdn_url:
            payload = (base / asset.cdn_url.rsplit("/", 1)[-1]).read_bytes()
            integrity[asset.cdn_url] = _digest("sha384", payload).strip("'")
    return integrity


def _with_integrity(page: str, integrity: Mapping[str, str], origins: dict[str, set[str]]) -> str:
    def tag(match: re.Match[str]) -> str:
        name, before, attribute, url, after = match.groups()
        whole: str = match.group(0)
        plain = html_lib.unescape(url)
        origin = _origin(plain)
        if origin is None:
            return whole
        origins["script" if name.lower() == "script" else "style"].add(origin)
        if plain not in integrity or "integrity=" in whole:
            return whole
        extra = f' integrity="{integrity[plain]}" crossorigin="anonymous"'
        tail = after[:-1] if after.endswith("/") else after
        return f'<{name}{before} {attribute}="{url}"{tail}{extra}{"/" if after.endswith("/") else ""}>'

    return _EXTERNAL.sub(tag, page)


def policy_for(page: str, img_origins: Iterable[str] = (), external: Mapping[str, set[str]] | None = None) -> str:
    """The policy for a finished page: hashes of its inline blocks, the given image and CDN origins."""
    external = external or {"script": set(), "style": set()}
    scripts = dict.fromkeys(
        _span_digest("sha256", page, start, end)
        for attrs, start, end in _blocks(page, "script")
        if not _SRC_ATTR.search(attrs)
    )
    styles = dict.fromkeys(_span_digest("sha256", page, start, end) for _, start, end in _blocks(page, "style"))
    cdn = sorted(external["script"] | external["style"])
    directives = [
        "default-src 'none'",
        "script-src " + " ".join([*scripts, *sorted(external["script"])] or ["'none'"]),
        "style-src " + " ".join([*styles, *sorted(external["style"])] or ["'none'"]),
        "img-src " + " ".join(dict.fromkeys(["'self'", "data:", *img_origins, *cdn])),
        "connect-src 'none'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ]
    return "; ".join(directives)


def with_csp(page: str, *, img_origins: Iterable[str] = ()) -> str:
    """The page with integrity on its CDN tags and a CSP <meta> first in <head> (after the charset)."""
    origins: dict[str, set[str]] = {"script": set(), "style": set()}
    page = _with_integrity(page, cdn_integrity(), origins)
    policy = policy_for(page, img_origins, origins).replace("&", "&amp;").replace('"', "&quot;")
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}"/>'
    anchor = _CHARSET.search(page) or _HEAD.search(page)
    if anchor is None:
        return meta + "\n" + page
    # The anchor's text first occurs where the search found it. replace() writes the page once;
    # slicing and concatenating copied a million-feature page (80 MB as text) twice over.
    return page.replace(anchor.group(0), anchor.group(0) + "\n" + meta, 1)
