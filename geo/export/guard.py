"""Where an export may write: never into the data directory (geo.paths), never over a file it does not own."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from geo.export.errors import ExportUsageError
from geo.paths import check_out_dir, is_inside

__all__ = ["check_out_dir", "check_targets"]


def check_targets(out_dir: Path, data_dir: Path, paths: Iterable[str], owned: set[str]) -> None:
    """Refuse, before writing anything, if a planned file is foreign or resolves into the data directory."""
    data = data_dir.resolve()
    foreign: list[str] = []
    for relative in paths:
        target = out_dir / relative
        if is_inside(target, data):
            raise ExportUsageError(f"{target} resolves into the data directory {data_dir}; refusing to write it")
        if (target.is_file() or target.is_symlink()) and relative not in owned:
            foreign.append(relative)
    if foreign:
        raise ExportUsageError(
            f"refusing to overwrite {', '.join(foreign)} in {out_dir}: no manifest.json of an earlier "
            "`geo export` lists them, so they are not this command's output; move them away or choose another --out"
        )
