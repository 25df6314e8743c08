"""What identifies one version of the data: the hash of the data directory and the data date.

Every output states both (exports' provenance, the static sheets' credits, the PostGIS publish
log), so a file found on its own can be traced back to the exact data it was made from.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol


class _Published(Protocol):
    @property
    def published(self) -> str | None: ...


class _WithSources(Protocol):
    """What data_date reads of a catalog (this module sits below geo.catalog and names none of its types)."""

    @property
    def sources(self) -> Mapping[str, _Published]: ...


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def data_hash(root: Path) -> str:
    """sha256 over every file under the data directory: its relative path, size and sha256, sorted by path."""
    digest = hashlib.sha256()
    files = sorted((p for p in Path(root).rglob("*") if p.is_file()), key=lambda p: p.relative_to(root).as_posix())
    for path in files:
        digest.update(f"{path.relative_to(root).as_posix()}\0{path.stat().st_size}\0{file_sha256(path)}\n".encode())
    return f"sha256:{digest.hexdigest()}"


def data_date(catalog: _WithSources) -> str | None:
    """The newest publication date of any source (as precise as the sources give it): the data's as-of date."""
    dates = [source.published for source in catalog.sources.values() if source.published]
    return max(dates, key=lambda date: (date + "-01-01")[:10]) if dates else None
