"""Where an export may write: never into the data directory, never over a file it does not own."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from geo.export.errors import ExportUsageError


def _inside(path: Path, directory: Path) -> bool:
    return path == directory or directory in path.parents


def check_out_dir(out_dir: Path, data_dir: Path) -> None:
    """Refuse an output directory that is, or lies inside, the data directory (symlinks resolved)."""
    if _inside(out_dir.resolve(), data_dir.resolve()):
        raise ExportUsageError(
            f"--out {out_dir} is inside the data directory {data_dir}: exports never write into the "
            "atlas data; choose a directory outside it (e.g. --out dist)"
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise ExportUsageError(f"--out {out_dir} exists and is not a directory")


def check_targets(out_dir: Path, data_dir: Path, paths: Iterable[str], owned: set[str]) -> None:
    """Refuse, before writing anything, if a planned file is foreign or resolves into the data directory."""
    data = data_dir.resolve()
    foreign: list[str] = []
    for relative in paths:
        target = out_dir / relative
        if _inside(target.resolve(), data):
            raise ExportUsageError(f"{target} resolves into the data directory {data_dir}; refusing to write it")
        if (target.is_file() or target.is_symlink()) and relative not in owned:
            foreign.append(relative)
    if foreign:
        raise ExportUsageError(
            f"refusing to overwrite {', '.join(foreign)} in {out_dir}: no manifest.json of an earlier "
            "`geo export` lists them, so they are not this command's output; move them away or choose another --out"
        )
