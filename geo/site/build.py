"""The whole site as files, and its one guarded, incremental write (geo/outdir.py).

`site_files` turns the catalog and what the other outputs made (map pages, preview images, the
GIS downloads, the releases' changes) into {path: bytes}; `write_site` commits them into --out
under the output guard, staging only files whose bytes changed and removing only files an
earlier site build wrote and nobody changed since. Its ledger, `.site.json`, also records the
hash of the inputs, so a rebuild with nothing changed is recognised before any work.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from geo import __version__
from geo.errors import OutputError
from geo.outdir import output_dir, read_ledger
from geo.site.citation import Edition, bibtex, csl_json
from geo.site.feature_page import feature_body, feature_href
from geo.site.feed import ReleaseChanges, atom_feed, changelog_body
from geo.site.landing import landing_body
from geo.site.page import Social, esc, page, social_meta
from geo.site.words import kind_label

if TYPE_CHECKING:
    from geo.catalog import Catalog

LEDGER = ".site.json"
PREVIEW_SIZE = (1200, 630)  # px: what link previews (og:image) show best


@dataclass
class SiteParts:
    """What the other outputs made for the site, by the caller that may import them."""

    map_pages: dict[str, str]  # map id -> the finished HTML page
    previews: dict[str, bytes]  # map id -> PNG
    downloads: dict[str, bytes]  # path under downloads/ -> bytes (manifest.json among them)
    releases: list[ReleaseChanges] = field(default_factory=list)
    data_hash: str = ""
    data_date: str | None = None
    base_url: str | None = None


def edition_of(catalog: Catalog, parts: SiteParts) -> Edition:
    atlas = catalog.atlas
    released = atlas.releases[0].date if atlas and atlas.releases else None
    return Edition(
        title=atlas.title if atlas else "Atlas",
        version=atlas.version if atlas else None,
        released=released,
        data_date=parts.data_date,
        data_hash=parts.data_hash,
        url=parts.base_url,
    )


def _footer(edition: Edition, root: str) -> str:
    version = f"version {esc(edition.version)}" if edition.version else "unversioned data"
    return (
        f"{esc(edition.title)}, {version}, data as of {esc(edition.data_date or 'unknown')}, "
        f"data hash <code>{esc(edition.data_hash)}</code>. Made with geo-atlas {esc(__version__)}. "
        f'<a href="{root}index.html#licences">Licences and attributions</a>: facts cited to their sources; '
        "OpenStreetMap data © OpenStreetMap contributors (ODbL); GeoNames (CC BY 4.0); Natural Earth (public domain)."
    )


def _absolute(parts: SiteParts, path: str) -> str | None:
    return parts.base_url + path if parts.base_url else None


def _image(parts: SiteParts, map_id: str, root: str) -> str:
    path = f"previews/{quote(map_id)}.png"
    return _absolute(parts, path) or root + path


def site_files(catalog: Catalog, parts: SiteParts) -> dict[str, bytes]:
    """Every file of the site by its path (POSIX, relative to the site's top)."""
    edition = edition_of(catalog, parts)
    atlas_title = edition.title
    first_map = next(iter(catalog.maps), None)
    files: dict[str, bytes] = {}

    def add_page(path: str, *, title: str, body: str, description: str, image_map: str | None, image_alt: str) -> None:
        root = "../" * path.count("/")
        image = _image(parts, image_map, root) if image_map else ""
        social = Social(title, description, image, image_alt, _absolute(parts, path))
        html = page(
            title=title, body=body, description=description, social=social, root=root,
            atlas_title=atlas_title, footer=_footer(edition, root),
        )  # fmt: skip
        files[path] = html.encode("utf-8")

    manifest: dict[str, Any] = (
        json.loads(parts.downloads["manifest.json"]) if "manifest.json" in parts.downloads else {}
    )
    notes = catalog.atlas.releases[0].notes if catalog.atlas and catalog.atlas.releases else None
    description = f"Maps, data downloads and a page per feature of {atlas_title}" + (
        f", version {edition.version}" if edition.version else ""
    )
    add_page(
        "index.html", title=atlas_title, body=landing_body(catalog, edition, manifest, notes, parts.base_url),
        description=description, image_map=first_map, image_alt=f"Preview of the map: {catalog.maps[first_map].title}" if first_map else "",
    )  # fmt: skip
    add_page(
        "changelog.html", title=f"Changes — {atlas_title}", body=changelog_body(edition, parts.releases),
        description=f"What changed in each release of {atlas_title}", image_map=first_map, image_alt="Preview of the atlas's first map",
    )  # fmt: skip
    files["feed.atom"] = atom_feed(edition, parts.releases)
    files["cite/atlas.bib"] = bibtex(edition).encode("utf-8")
    files["cite/atlas.json"] = csl_json(edition).encode("utf-8")

    # A page per feature, and their index by layer.
    index_parts = []
    for layer in catalog.layers.values():
        maps = [spec for spec in catalog.maps.values() if layer.id in spec.layers]
        items = []
        for feature in layer.features:
            props = feature.properties
            shown_on = maps[0] if maps else (catalog.maps[first_map] if first_map else None)
            add_page(
                feature_href(feature.id), title=f"{props.name} — {atlas_title}",
                body=feature_body(feature, catalog, maps, layer.spec.title),
                description=f"{kind_label(props.kind.value)} in {', '.join(props.country)}: position, accuracy, projects, figures, events and sources.",
                image_map=shown_on.id if shown_on else None, image_alt=f"Preview of the map: {shown_on.title}" if shown_on else "",
            )  # fmt: skip
            russian = f' <span lang="ru">({esc(props.name_ru)})</span>' if props.name_ru else ""
            items.append(
                f'<li><a href="{quote(feature.id)}.html">{esc(props.name)}</a>{russian} <span class="meta">{esc(kind_label(props.kind.value))}</span></li>'
            )
        if items:
            index_parts.append(
                f'<h2 id="layer-{esc(layer.id)}">{esc(layer.spec.title)}</h2><p class="meta">{esc(layer.spec.description)}</p><ul>{"".join(items)}</ul>'
            )
    add_page(
        "features/index.html", title=f"Features — {atlas_title}",
        body=f"<h1>Every feature of the atlas</h1><p>One page per feature, by layer.</p>{''.join(index_parts)}",
        description=f"Every feature of {atlas_title}, each with its own page", image_map=first_map, image_alt="Preview of the atlas's first map",
    )  # fmt: skip

    # The interactive maps, with the preview as their shared-link image, and the previews themselves.
    for map_id, html in parts.map_pages.items():
        spec = catalog.maps[map_id]
        social = Social(
            spec.title,
            spec.description,
            _image(parts, map_id, ""),
            f"Preview of the map: {spec.title}",
            _absolute(parts, f"{quote(map_id)}.html"),
        )
        files[f"{map_id}.html"] = with_head(html, social_meta(social)).encode("utf-8")
    for map_id, png in parts.previews.items():
        files[f"previews/{map_id}.png"] = png
    for path, payload in parts.downloads.items():
        files[f"downloads/{path}"] = payload
    sums = "".join(
        f"{hashlib.sha256(payload).hexdigest()}  {path}\n" for path, payload in sorted(parts.downloads.items())
    )
    files["downloads/SHA256SUMS"] = sums.encode("utf-8")
    return dict(sorted(files.items()))


def with_head(html: str, extra: str) -> str:
    """`extra` at the end of the page's <head> (the first '</head>': data never reaches the head unescaped)."""
    at = html.find("</head>")
    if at < 0:
        raise ValueError("the map page has no </head>")
    return html[:at] + extra + "\n" + html[at:]


# -- writing ------------------------------------------------------------------------------------


def read_site_ledger(out_dir: Path) -> dict[str, str]:
    return read_ledger(out_dir, LEDGER)


def read_inputs(out_dir: Path) -> str | None:
    try:
        document = json.loads((out_dir / LEDGER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    inputs = document.get("inputs") if isinstance(document, dict) else None
    return inputs if isinstance(inputs, str) else None


def up_to_date(out_dir: Path, inputs: str) -> bool:
    """The ledger has these inputs and every file it lists is there, unchanged."""
    if read_inputs(out_dir) != inputs or any((out_dir / name).exists() for name in (".geo-journal.json", ".geo-stage")):
        return False
    owned = read_site_ledger(out_dir)
    from geo.atomic import file_sha256

    return bool(owned) and all(
        (out_dir / path).is_file() and not (out_dir / path).is_symlink() and file_sha256(out_dir / path) == sha
        for path, sha in owned.items()
        if path != LEDGER
    )


@dataclass
class SiteReport:
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    unchanged: int = 0


def write_site(
    out_dir: Path,
    data_dir: Path | None,
    files: dict[str, bytes],
    inputs: str,
    *,
    force: bool = False,
    note: Callable[[str], None] = lambda line: None,
) -> SiteReport:
    """Commit `files` into out_dir: only what changed is written, what an earlier build wrote and
    this one does not is removed (while unchanged), anything else is refused unless `force`."""
    report = SiteReport()
    with output_dir(out_dir, data_dir=data_dir, command="site", force=force, owned=read_site_ledger) as od:
        for line in od.notes:
            note(line)
        od.check_targets([*files, LEDGER])
        for path, payload in files.items():
            if od.owned.get(path) == hashlib.sha256(payload).hexdigest() and od.owns(path):
                report.unchanged += 1
                continue
            try:
                od.stage_bytes(path, payload)
            except OutputError as exc:
                raise OutputError(f"site: {exc}") from exc
            report.written.append(path)
        stale = set(od.owned) - set(files) - {LEDGER}
        ledger = {
            "tool": f"geo-atlas {__version__} (geo site)",
            "inputs": inputs,
            "files": {path: hashlib.sha256(payload).hexdigest() for path, payload in files.items()},
        }
        ledger_bytes = (json.dumps(ledger, indent=1, sort_keys=True) + "\n").encode("utf-8")
        if report.written or stale or od.owned.get(LEDGER) != hashlib.sha256(ledger_bytes).hexdigest():
            od.stage_bytes(LEDGER, ledger_bytes)
            report.removed, report.kept = od.commit(remove=stale)
    return report
