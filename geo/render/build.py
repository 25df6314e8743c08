"""`geo build`: write each map and the index atomically, then stamp the output for no-op rebuilds."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from geo.atomic import write_bytes_atomic
from geo.errors import BuildError
from geo.render.cache import STAMP_NAME, FileHashes, inputs_hash, read_stamp, stamp_text
from geo.render.index_page import index_html, rendered_images
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
    hashes = FileHashes()
    inputs = inputs_hash(catalog.root, cdn, hashes)
    stamp = read_stamp(out_dir)
    same_inputs = stamp.get("inputs") == inputs
    files: dict[str, str] = dict(stamp.get("files", {})) if same_inputs else {}
    complete = not names or (same_inputs and stamp.get("complete") is True)
    written: list[tuple[Path, int]] = []
    pages = [(f"{spec.id}.html", lambda spec=spec: build_map_html(catalog, spec, cdn=cdn)) for spec in specs]
    layer_titles = {layer.id: layer.spec.title for layer in catalog.layers.values()}
    all_specs = list(catalog.maps.values())
    pages.append(("index.html", lambda: index_html(all_specs, layer_titles, rendered_images(out_dir, all_specs))))
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        for file_name, render in pages:
            path = out_dir / file_name
            payload = render().encode("utf-8")
            write_bytes_atomic(path, payload)
            files[file_name] = hashlib.sha256(payload).hexdigest()
            hashes.remember(path, files[file_name])
            written.append((path, len(payload)))
            progress(path, len(payload))
        write_bytes_atomic(out_dir / STAMP_NAME, stamp_text(inputs, files, complete).encode())
    except OSError as exc:
        raise BuildError(f"could not write {exc.filename or out_dir}: {exc.strerror or exc}") from exc
    finally:
        hashes.save()
    return written
