"""Where the atlas may write: the one refusal every command that writes shares."""

from __future__ import annotations

from pathlib import Path

from geo.errors import UsageError


def is_inside(path: Path, directory: Path) -> bool:
    """Whether path is directory or lies below it, symlinks resolved."""
    path, directory = path.resolve(), directory.resolve()
    return path == directory or directory in path.parents


def check_out_dir(out_dir: Path, data_dir: Path) -> None:
    """Refuse (a usage error) an --out that is, or lies inside, the data directory, or is not a directory."""
    if is_inside(out_dir, data_dir):
        raise UsageError(
            f"--out {out_dir} is inside the data directory {data_dir}: the atlas never writes into its "
            "data; choose a directory outside it (e.g. --out dist)"
        )
    if out_dir.exists() and not out_dir.is_dir():
        raise UsageError(f"--out {out_dir} exists and is not a directory")
