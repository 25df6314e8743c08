"""`geo build`: stage each map and the index, then commit them with the stamp in one journaled step."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.cycles import cycle_collection_paused
from geo.errors import DataError, OutputError, Problem
from geo.outdir import output_dir, refuse_data_dir
from geo.webmap import cache
from geo.webmap.cache import STAMP_NAME, FileHashes, inputs_hash, read_owned, read_stamp, stamp_text
from geo.webmap.csp import tile_origins, with_csp
from geo.webmap.index_page import index_html, rendered_images
from geo.webmap.page import BASEMAPS, RAIL_OVERLAY, build_map_html
from geo.webmap.payload import base_layer_payload

if TYPE_CHECKING:
    from geo.catalog import Catalog
    from geo.models import MapSpec


def build_maps(
    catalog: Catalog,
    out_dir: Path,
    *,
    names: list[str] | None = None,
    cdn: bool = False,
    force: bool = False,
    progress: Callable[[Path, int], None] = lambda path, size: None,
    note: Callable[[str], None] = lambda line: None,
    checks: Callable[[], list[Problem]] = list,
) -> list[tuple[Path, int]]:
    """Build the named maps (default: all) and index.html into out_dir; return (path, bytes) written.

    `checks` (the catalog's validation) runs in a thread while the pages are drawn; its problems
    are raised (DataError) before anything is written. A file in out_dir that no earlier build
    wrote (or that changed since) is refused (OutputUsageError, exit 2) unless `force`.
    """
    out_dir = Path(out_dir)
    refuse_data_dir(out_dir, catalog.data_dir)
    specs = [catalog.maps[name] for name in names] if names else list(catalog.maps.values())
    hashes = FileHashes()
    # What this catalog was read from, hashed as it was read (a data file saved since makes the next
    # build rebuild); a catalog from a database has no files: its data hash stands for them.
    read = cache.page_data(catalog.files_read)
    data = read or {"(data hash)": catalog.identity.data_hash}
    inputs = inputs_hash(data, cdn, hashes, images=cache.rendered_images(out_dir))
    tiles = tile_origins([entry[-1] for entry in (*BASEMAPS, RAIL_OVERLAY)])  # (key, name, provider)
    shared: dict[str, dict[str, Any]] = {}  # the base layer's payload, made once for this build's maps

    def map_page(spec: MapSpec) -> Callable[[], str]:
        def render() -> str:
            # A large map's columns are millions of lists and strings and no cycle: the collector's
            # passes over them cost a fifth of a million-feature build (bench/profile_build.py).
            with cycle_collection_paused():
                if "base" not in shared:
                    shared["base"] = base_layer_payload(catalog)
                return with_csp(build_map_html(catalog, spec, cdn=cdn, base=shared["base"]), img_origins=tiles)

        return render

    pages: list[tuple[str, Callable[[], str]]] = [(f"{spec.id}.html", map_page(spec)) for spec in specs]
    layer_titles = {layer.id: layer.spec.title for layer in catalog.layers.values()}
    all_specs = list(catalog.maps.values())
    title = catalog.atlas.title if catalog.atlas else "Atlas"
    others = _other_languages(catalog, all_specs)
    pages.append(
        (
            "index.html",
            lambda: with_csp(index_html(all_specs, layer_titles, title, rendered_images(out_dir, all_specs), others)),
        )
    )
    rendered = drawn_while_checked(pages, checks)
    written: list[tuple[Path, int]] = []
    try:
        with output_dir(out_dir, data_dir=catalog.data_dir, command="build", force=force, owned=read_owned) as od:
            for line in od.notes:
                note(line)
            od.check_targets([name for name, _ in pages] + [STAMP_NAME])
            stamp = read_stamp(out_dir)
            same_inputs = stamp.get("inputs") == inputs
            # Every file an earlier build wrote stays ours (a later build may replace it); only
            # those built with these inputs count as fresh for the no-op check.
            files = {name: sha for name, sha in od.owned.items() if name != STAMP_NAME and od.owns(name)}
            fresh = set(stamp.get("fresh", stamp.get("files", {}))) & set(files) if same_inputs else set()
            for file_name, text in rendered:
                payload = text.encode("utf-8")
                od.stage_bytes(file_name, payload)
                files[file_name] = od.sha256(file_name)
                fresh.add(file_name)
                written.append((out_dir / file_name, len(payload)))
                progress(out_dir / file_name, len(payload))
            complete = not names or (same_inputs and stamp.get("complete") is True)
            od.stage_bytes(STAMP_NAME, stamp_text(inputs, files, complete, sorted(fresh), read).encode())
            od.commit()
            for path, _ in written:
                hashes.remember(path, files[path.name])
    except OSError as exc:
        raise OutputError(f"could not write {exc.filename or out_dir}: {exc.strerror or exc}") from exc
    finally:
        hashes.save()
    return written


def drawn_while_checked(
    pages: list[tuple[str, Callable[[], str]]], checks: Callable[[], list[Problem]]
) -> list[tuple[str, str]]:
    """Each page's text, drawn while `checks` run in a thread; DataError if they find problems.

    The checks spend much of their time in GEOS, which lets the drawing run meanwhile: at a million
    features, 15.5 s for both instead of 18.2 one after the other (measured). Drawing data that the
    checks refuse may fail: their problems are then what the reader gets, not the failure.
    """
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="geo-checks") as pool:
        checked = pool.submit(checks)
        try:
            rendered = [(name, render()) for name, render in pages]
        except Exception:
            if problems := checked.result():
                raise DataError(problems) from None
            raise
        if problems := checked.result():
            raise DataError(problems)
    return rendered


def _other_languages(catalog: Catalog, specs: list[MapSpec]) -> dict[str, tuple[str, dict[str, dict[str, str]]]]:
    """Each language besides English: its own name, and each map's title and description in it."""
    from geo.messages import languages
    from geo.texts import localized
    from geo.webmap.languages import language_name

    return {
        lang: (language_name(lang), {
            spec.id: {
                "title": localized(catalog, lang, "maps", spec.id, "title", spec.title),
                "description": localized(catalog, lang, "maps", spec.id, "description", spec.description),
            }
            for spec in specs
        })
        for lang in languages()[1:]
    }  # fmt: skip
