"""A data directory as it was at a git revision: `geo diff` and the site's changelog read old releases.

The files come out of the repository that holds the data directory (`git archive`), into a
temporary directory that the caller removes; nothing in the working tree is touched.
"""

from __future__ import annotations

import io
import subprocess
import tarfile
import tempfile
from pathlib import Path

from geo.errors import AtlasError, UsageError


class RevisionError(UsageError):
    """A revision that the repository does not have, or a data directory outside any repository."""


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, timeout=120, check=False)
    except FileNotFoundError:
        raise RevisionError("git is not installed, so no revision can be read") from None
    except subprocess.TimeoutExpired:
        raise AtlasError(f"git {' '.join(args[:2])} did not finish within 120 s") from None


def resolve_revision(data_dir: Path, revision: str) -> str | None:
    """The full commit id `revision` names in the repository holding data_dir, or None."""
    if revision.startswith("-") or not data_dir.is_dir():
        return None
    found = _git(data_dir, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
    return found.stdout.decode().strip() or None if found.returncode == 0 else None


def data_at_revision(data_dir: Path, revision: str, into: Path) -> Path:
    """Extract data_dir as it was at `revision` under `into`; return the extracted data directory."""
    commit = resolve_revision(data_dir, revision)
    if commit is None:
        raise RevisionError(f"{revision!r} is not a revision of the git repository holding {data_dir}")
    top = _git(data_dir, "rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise RevisionError(f"{data_dir} is not inside a git repository")
    toplevel = Path(top.stdout.decode().strip()).resolve()
    relative = Path(data_dir).resolve().relative_to(toplevel).as_posix()
    archive = _git(toplevel, "archive", "--format=tar", commit, "--", relative)
    if archive.returncode != 0:
        reason = archive.stderr.decode(errors="replace").strip().splitlines()
        raise RevisionError(f"revision {revision} has no {relative}/: {reason[-1] if reason else 'git archive failed'}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")  # no absolute paths, no links out, no devices
    return into / relative


def temporary_checkout(data_dir: Path, revision: str) -> tuple[tempfile.TemporaryDirectory[str], Path]:
    """(the temporary directory to clean up, the data directory at `revision` inside it)."""
    holder = tempfile.TemporaryDirectory(prefix="geo-atlas-rev-")
    try:
        return holder, data_at_revision(data_dir, revision, Path(holder.name))
    except BaseException:
        holder.cleanup()
        raise
