"""Atomic file writes: a reader sees the old file or the new one, never half of one.

`write_bytes_atomic` for one file of ours; `atomic_outputs` for files that GDAL drivers write
(they add journals, shapefile parts and scratch files named after the path they get, so each
output is written under its own name in a private temporary directory beside the target and
then moved with os.replace: same directory, same file system, an atomic move).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path


def write_bytes_atomic(path: Path, payload: bytes) -> None:
    """Write to a temporary file beside `path`, flush it to disk, then rename it over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(payload)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp_name, 0o644)
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    write_bytes_atomic(path, text.encode("utf-8"))


TEMP_PREFIX = ".geo-export-"


@contextmanager
def atomic_outputs(targets: Sequence[Path]) -> Iterator[list[Path]]:
    """Yield one temporary path per target; on success move them all into place, else delete them.

    A job that writes several files (a shapefile zip and its field mapping) either replaces all
    of them or leaves none of its new files behind: if a later move fails, the files this call
    already moved are removed again, so nothing half-done stays unlisted in the directory.
    """
    staging: list[Path] = []
    moved: list[Path] = []
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
            moved.append(target)
    except BaseException:
        for target in moved:
            target.unlink(missing_ok=True)
        raise
    finally:
        for folder in staging:
            shutil.rmtree(folder, ignore_errors=True)
