"""Atomic outputs: a reader of the export directory sees a previous file or a complete new one.

GDAL drivers write several files (journals, shapefile parts, spatial-index scratch files) and
pick names from the path they get, so each output is first written under its own name inside a
private temporary directory beside the target, then moved with os.replace (same directory, same
file system, so the move is atomic). Whatever fails, the temporary directory is removed: a failed
format leaves no partial file behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

TEMP_PREFIX = ".geo-export-"


@contextmanager
def atomic_outputs(targets: Sequence[Path]) -> Iterator[list[Path]]:
    """Yield one temporary path per target; on success move them all into place, else delete them."""
    staging: list[Path] = []
    try:
        temps = []
        for target in targets:
            target.parent.mkdir(parents=True, exist_ok=True)
            folder = Path(tempfile.mkdtemp(dir=target.parent, prefix=f"{TEMP_PREFIX}{target.name}."))
            staging.append(folder)
            temps.append(folder / target.name)
        yield temps
        for temp, target in zip(temps, targets):
            if not temp.is_file():
                raise FileNotFoundError(f"the writer produced no file for {target.name}")
        for temp, target in zip(temps, targets):
            os.chmod(temp, 0o644)
            os.replace(temp, target)
    finally:
        for folder in staging:
            shutil.rmtree(folder, ignore_errors=True)


def write_bytes(path: Path, payload: bytes) -> None:
    """Write bytes to one file atomically."""
    with atomic_outputs([path]) as (temp,):
        temp.write_bytes(payload)
