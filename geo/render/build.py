"""`geo build`: write each map and the index atomically, then stamp the output for no-op rebuilds."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from geo.atomic import write_bytes_atomic
from geo.errors import BuildError
from geo.render.cache import STAMP_NAME, file_sha256, inputs_hash, read_stamp, stamp_text
from geo.render.index_page import index_html
from geo.render.page import build_map_html

if TYPE_CHECKING:
    from geo.catalog import Catalog


def _inside(path: Path, parent: Path) -> bool:
    path, parent = path.resolve(), parent.resolve()
    return path == parent or parent in path.parents


def build_maps(
    catalog: "Catalog",
    out_dir: Path,
    *,
    names: list[str] | None = None,
    cdn: bool = False,
    progress: Callable[[Path, int], None] = lambda path, size: None,
) -> list[tuple[Path, int]]:
    """Build the named maps (default: all) and index.html into out_dir; return (path, bytes) written."""
    if _inside(out_dir, catalog.root):
        raise BuildError(f"refusing to write maps into the data directory ({out_dir}); choose another --out")
    specs = [catalog.maps[name] for name in names] if names else list(catalog.maps.values())
    inputs = inputs_hash(catalog.root, cdn)
    stamp = read_stamp(out_dir)
    files: dict[str, str] = dict(stamp.get("files", {})) if stamp.get("inputs") == inputs else {}
    written: list[tuple[Path, int]] = []
    pages = [(f"{spec.id}.html", lambda spec=spec: build_map_html(catalog, spec, cdn=cdn)) for spec in specs]
    layer_titles = {layer.id: layer.spec.title for layer in catalog.layers.values()}
    pages.append(("index.html", lambda: index_html(list(catalog.maps.values()), layer_titles)))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for file_name, render in pages:
            path = out_dir / file_name
            payload = render().encode("utf-8")
            write_bytes_atomic(path, payload)
            files[file_name] = file_sha256(path)
            written.append((path, len(payload)))
            progress(path, len(payload))
        built_maps = {name.removesuffix(".html") for name in files if name != "index.html"}
        write_bytes_atomic(out_dir / STAMP_NAME, stamp_text(inputs, files, sorted(built_maps)).encode())
    except OSError as exc:
        raise BuildError(f"could not write {exc.filename or out_dir}: {exc.strerror or exc}") from exc
    return written
