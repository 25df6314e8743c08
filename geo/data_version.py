"""What identifies one version of the data: the data hash and the data date.

Every output states both (exports' provenance, the static sheets' credits, the PostGIS publish
log), so a file found on its own can be traced back to the exact data it was made from. The hash
is taken over the catalog as read, not over files: data/ and the PostGIS schema it was published
to give the same hash, and so do two copies of data/ that differ only in YAML layout or comments.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.atomic import file_sha256

if TYPE_CHECKING:
    from geo.catalog import Catalog

# Bumped when what the hash covers, or how, changes: two hashes of different versions never meet.
HASH_VERSION = b"geo-atlas data hash v2\n"
_CHUNK = 10_000


def _json_default(value: Any) -> Any:
    return value.model_dump(mode="json")  # a nested pydantic model (a position, an alternative value)


def data_hash(catalog: Catalog) -> str:
    """sha256 over the canonical catalog, in catalog order.

    Covered: every record (sources, projects, events, figures, layer and map declarations, as the
    schema's JSON with sorted keys), every feature's properties and geometry (WKB of the exact
    doubles, 2D), and the files kept byte for byte (atlas.yaml, README.md and base/: path, size,
    sha256). Not covered: YAML formatting and comments, file names of layers and records.
    """
    import orjson
    import shapely

    digest = hashlib.sha256(HASH_VERSION)

    def put(tag: str, payload: bytes) -> None:
        digest.update(f"{tag}\0{len(payload)}\0".encode())
        digest.update(payload)

    for name in sorted(catalog.stored):
        content = catalog.stored[name]
        put("file", f"{name}\0{len(content)}\0{hashlib.sha256(content).hexdigest()}".encode())
    for kind in ("sources", "projects", "events", "figures", "maps"):
        records = list(getattr(catalog, kind).values())
        put(kind, orjson.dumps([r.model_dump(mode="json") for r in records], option=orjson.OPT_SORT_KEYS))
    for layer in catalog.layers.values():
        put("layer", orjson.dumps(layer.spec.model_dump(mode="json"), option=orjson.OPT_SORT_KEYS))
        features = layer.features
        for start in range(0, len(features), _CHUNK):
            chunk = features[start : start + _CHUNK]
            # A slotted dataclass: orjson writes its fields in declaration order, nested models by default.
            put("properties", orjson.dumps([f.properties for f in chunk], default=_json_default))
            for wkb in shapely.to_wkb([f.geometry for f in chunk], output_dimension=2, byte_order=1):
                put("geometry", wkb)
    return f"sha256:{digest.hexdigest()}"


def tree_hash(root: Path) -> str:
    """sha256 over every file under a directory (relative path, size, sha256, sorted by path): a
    cheap check that nothing changed, before anything is read (`geo site`'s); not the data hash."""
    digest = hashlib.sha256()
    files = sorted((p for p in Path(root).rglob("*") if p.is_file()), key=lambda p: p.relative_to(root).as_posix())
    for path in files:
        digest.update(f"{path.relative_to(root).as_posix()}\0{path.stat().st_size}\0{file_sha256(path)}\n".encode())
    return f"sha256:{digest.hexdigest()}"


def data_date(catalog: Catalog) -> str | None:
    """The newest publication date of any source (as precise as the sources give it): the data's as-of date."""
    dates = [source.published for source in catalog.sources.values() if source.published]
    return max(dates, key=lambda date: (date + "-01-01")[:10]) if dates else None
