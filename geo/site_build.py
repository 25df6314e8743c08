"""`geo site`: the publishable site, composed from every output (the one module that may import them all).

The interactive maps come from geo.webmap, the preview images from geo.static, the GIS downloads
from geo.export, each release's changes from geo.diff over the data at its `since` revision; the
site's pages and its guarded write are geo.site's. A rebuild whose inputs (the data, the code,
the library versions, the options and the revisions compared) hash as the ledger recorded does
nothing at all.
"""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from geo.atomic import file_sha256
from geo.data_version import tree_hash
from geo.site.build import PREVIEW_SIZE, SiteParts, SiteReport, site_files, up_to_date, write_site
from geo.site.feed import ReleaseChanges

if TYPE_CHECKING:
    from geo.catalog import Catalog

DOWNLOAD_FORMATS = ["gpkg", "geojson", "csv", "kml"]
PREVIEW_DPI = 100
_PACKAGE = Path(__file__).resolve().parent


def inputs_key(data_dir: Path, options: dict[str, str | None], revisions: list[str]) -> str:
    """Hash of everything the site depends on; cheap (the data and the code are small to hash)."""
    digest = hashlib.sha256()
    digest.update(tree_hash(data_dir).encode())
    for path in sorted(_PACKAGE.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".js", ".css") and "__pycache__" not in path.parts:
            digest.update(f"{path.relative_to(_PACKAGE).as_posix()}\0{file_sha256(path)}\n".encode())
    for name in sorted({dist.metadata["Name"].lower() for dist in metadata.distributions() if dist.metadata["Name"]}):
        digest.update(f"{name}={metadata.version(name)}\n".encode())
    for key, value in sorted(options.items()):
        digest.update(f"{key}={value}\n".encode())
    for commit in revisions:
        digest.update(f"since={commit}\n".encode())
    return digest.hexdigest()


def release_revisions(data_dir: Path, catalog_releases: list[tuple[str, str | None]]) -> list[str]:
    """The commit each release's `since` resolves to (or the name, when unreadable), for the inputs hash."""
    from geo.git_data import resolve_revision

    return [
        f"{version}:{(resolve_revision(data_dir, since) or since) if since else ''}"
        for version, since in catalog_releases
    ]


def is_up_to_date(data_dir: Path, out_dir: Path, base_url: str | None) -> tuple[bool, str]:
    """(whether the site in out_dir is current, the inputs hash), from the data directory alone."""
    import yaml

    releases: list[tuple[str, str | None]] = []
    try:
        atlas = yaml.safe_load((data_dir / "atlas.yaml").read_text(encoding="utf-8")) or {}
        releases = [(str(r.get("version")), r.get("since")) for r in atlas.get("releases") or [] if isinstance(r, dict)]
    except (OSError, yaml.YAMLError, AttributeError):
        pass  # the load reports it
    key = inputs_key(data_dir, {"base_url": base_url}, release_revisions(data_dir, releases))
    return up_to_date(out_dir, key), key


def _releases(catalog: Catalog, read_revision: Callable[[str], Catalog | None]) -> list[ReleaseChanges]:
    """Each release's changes: from the data at its `since` (nothing, for the first) to its own data.

    The newest release's data is `catalog`; an older release's data is what the next newer
    release names as its `since`. A revision that cannot be read leaves that release with its
    notes only.
    """
    from geo.catalog import Catalog
    from geo.diff import diff_catalogs

    atlas = catalog.atlas
    if atlas is None:
        return []
    cache: dict[str, Catalog | None] = {}

    def at(revision: str | None) -> Catalog | None:
        if revision is None:
            return Catalog({}, {}, {}, {}, {}, {})
        if revision not in cache:
            cache[revision] = read_revision(revision)
        return cache[revision]

    entries = []
    for index, release in enumerate(atlas.releases):
        newer_since = atlas.releases[index - 1].since if index else None
        own = catalog if index == 0 else (at(newer_since) if newer_since else None)
        before = at(release.since)
        diff = diff_catalogs(before, own) if own is not None and before is not None else None
        entries.append(ReleaseChanges(release, diff, release.since))
    return entries


def build_site(
    catalog: Catalog,
    out_dir: Path,
    inputs: str,
    *,
    base_url: str | None = None,
    force: bool = False,
    read_revision: Callable[[str], Catalog | None] = lambda revision: None,
    note: Callable[[str], None] = lambda line: None,
) -> SiteReport:
    """Make every part and write the site (only what changed)."""
    from geo.export import export_catalog
    from geo.outdir import refuse_data_dir
    from geo.static import make_sheet, render_maps
    from geo.webmap.csp import tile_origins, with_csp
    from geo.webmap.page import BASEMAPS, RAIL_OVERLAY, build_map_html
    from geo.webmap.payload import base_layer_payload

    refuse_data_dir(out_dir, catalog.data_dir)
    tiles = tile_origins([entry[-1] for entry in (*BASEMAPS, RAIL_OVERLAY)])
    base = base_layer_payload(catalog)  # the same for every map
    map_pages = {
        spec.id: with_csp(build_map_html(catalog, spec, base=base), img_origins=tiles) for spec in catalog.maps.values()
    }
    with tempfile.TemporaryDirectory(prefix="geo-site-") as scratch:
        previews_dir, downloads_dir = Path(scratch) / "previews", Path(scratch) / "downloads"
        sheet = make_sheet(f"{PREVIEW_SIZE[0]}x{PREVIEW_SIZE[1]}px", dpi=PREVIEW_DPI)
        render_maps(catalog, previews_dir, sheet, formats=["png"])
        previews = {spec.id: (previews_dir / f"{spec.id}.png").read_bytes() for spec in catalog.maps.values()}
        report = export_catalog(catalog, downloads_dir, formats=DOWNLOAD_FORMATS)
        if report.failures:
            from geo.errors import OutputError

            raise OutputError("site downloads: " + "; ".join(report.failures))
        downloads = {
            path.relative_to(downloads_dir).as_posix(): path.read_bytes()
            for path in sorted(downloads_dir.rglob("*"))
            if path.is_file() and not path.name.startswith(".")
        }
    parts = SiteParts(
        map_pages=map_pages,
        previews=previews,
        downloads=downloads,
        releases=_releases(catalog, read_revision),
        data_hash=catalog.identity.data_hash,
        data_date=catalog.identity.data_date,
        base_url=base_url,
    )
    return write_site(out_dir, catalog.data_dir, site_files(catalog, parts), inputs, force=force, note=note)
