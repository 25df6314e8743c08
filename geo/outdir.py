"""The output-directory guard shared by every command that writes files: build, export (and render).

One writer at a time, never over a file the tool did not write, and a crash-safe commit::

    with output_dir(out, data_dir=root, command="export", force=force, owned=read_owned) as od:
        od.check_targets(["atlas.gpkg", "csv/cities.csv", "manifest.json"])  # refuses foreign files
        with od.stage(["atlas.gpkg"]) as temps:   # a writer fills temps[i] (GDAL may add side files)
            write(temps)
        od.stage_bytes("manifest.json", payload)  # the command's ledger is staged last
        removed, kept = od.commit(remove=stale)

What each step guarantees:

- Entering refuses (`OutputUsageError`, exit 2) an --out that is the data directory or inside it,
  takes the lock `.geo.lock` (pid, host, command; `OutputBusy`, exit 1, while another live run
  holds it: it is an flock, so the lock of a killed run is free and is taken over), finishes an
  interrupted commit (below) and removes staging leftovers.
- `owned` is the command's ledger, read after recovery: {relative path: sha256} of the files it
  wrote (export: manifest.json; build: .build-stamp.json). A file is the command's own only while
  its sha256 still matches. `check_targets` refuses (exit 2) to replace any other file unless
  `force`.
- `stage` writes into `.geo-stage/` inside --out; nothing visible changes until `commit`.
- `commit` writes the journal `.geo-journal.json` (fsync'd: every staged file with its sha256,
  every stale file to remove with the sha256 it must still have), then moves the staged files
  into place (os.replace: atomic, same file system), removes the stale files, and deletes the
  journal. A run killed before the journal leaves the previous state untouched (the next run
  deletes the staging); a run killed after it leaves a journal that the next run finishes before
  doing anything else. Either way the directory ends as one complete run, never one the tool refuses.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import json
import os
import re
import shutil
import socket
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from geo.atomic import file_sha256, fsync_dir, write_bytes_atomic
from geo.errors import AtlasError, OutputError, UsageError

LOCK_NAME = ".geo.lock"
JOURNAL_NAME = ".geo-journal.json"
STAGE_NAME = ".geo-stage"
# Leftovers of earlier versions' per-file temporaries: ".overview.html.k3j_x9a2.tmp", ".geo-export-*".
_LEGACY_TMP = re.compile(r"^\..+\.(html|json)\.[a-z0-9_]{8}\.tmp$")
_LEGACY_DIR_PREFIX = ".geo-export-"


class OutputUsageError(UsageError):
    """The --out given cannot be used as asked (inside data/, a foreign file in the way): exit 2."""


class OutputBusy(AtlasError):
    """Another live run holds the output directory's lock: exit 1."""


def _inside(path: Path, directory: Path) -> bool:
    path, directory = path.resolve(), directory.resolve()
    return path == directory or directory in path.parents


def refuse_data_dir(out_dir: Path, data_dir: Path | None) -> None:
    """The one refusal of an --out that is the data directory or lies inside it (symlinks resolved).

    data_dir is None for data read from a database: there is no directory to protect.
    """
    if data_dir is not None and _inside(out_dir, data_dir):
        raise OutputUsageError(
            f"refusing to write into the data directory: --out {out_dir} is inside the data directory "
            f"{data_dir} (or is it); nothing ever writes into the atlas data, choose another --out"
        )


def safe_relative(path: object) -> bool:
    """A listed path the tool may touch: relative, inside the directory, no backslashes."""
    if not isinstance(path, str) or not path:
        return False
    pure = PurePosixPath(path)
    return not pure.is_absolute() and ".." not in pure.parts and "\\" not in path and "\0" not in path


def read_ledger(out_dir: Path, name: str, keep: Callable[[str], bool] = lambda relative: True) -> dict[str, str]:
    """A command's ledger in out_dir, for `output_dir(owned=...)`: {file: sha256} of the files its
    `files` mapping lists (those `keep` accepts, safe relative paths only), the ledger itself included.
    A ledger that is not one of ours owns nothing."""
    path = out_dir / name
    if path.is_symlink() or not path.is_file():
        return {}
    try:
        payload = path.read_bytes()
        files = json.loads(payload.decode("utf-8")).get("files")
    except (OSError, ValueError, AttributeError):
        return {}
    if not isinstance(files, dict):
        return {}
    owned = {
        relative: sha
        for relative, sha in files.items()
        if isinstance(sha, str) and safe_relative(relative) and relative != name and keep(relative)
    }
    owned[name] = hashlib.sha256(payload).hexdigest()
    return owned


def _os_error(exc: OSError, out_dir: Path) -> OutputError:
    where = exc.filename or out_dir
    return OutputError(f"could not write {where}: {exc.strerror or exc}")


@dataclass
class _Lock:
    path: Path
    fd: int
    previous: dict[str, Any]


def _holder(fd: int) -> dict[str, Any]:
    try:
        os.lseek(fd, 0, os.SEEK_SET)
        holder = json.loads(os.read(fd, 4096).decode("utf-8") or "{}")
        return holder if isinstance(holder, dict) else {}
    except (OSError, ValueError):
        return {}


def acquire_lock(out_dir: Path, command: str, *, path: Path | None = None) -> _Lock:
    """flock .geo.lock in out_dir, or `path` (released by the kernel when its process dies), recording pid, host and command."""
    path = out_dir / LOCK_NAME if path is None else path
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            who = f"`geo {holder.get('command', '?')}` (pid {holder.get('pid', '?')} on {holder.get('host', '?')})"
            raise OutputBusy(f"{out_dir} is in use by {who}; wait for it to finish, or choose another --out") from None
        # Another run may have released and unlinked the file between our open and our flock.
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path, follow_symlinks=False))
        except FileNotFoundError:
            same = False
        if not same:
            os.close(fd)
            continue
        previous = _holder(fd)
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, json.dumps({"pid": os.getpid(), "host": socket.gethostname(), "command": command}).encode())
        return _Lock(path, fd, previous)


def release_lock(lock: _Lock) -> None:
    try:
        lock.path.unlink(missing_ok=True)  # unlink first: whoever opens the name next gets a new file
    finally:
        os.close(lock.fd)


@dataclass
class OutputDir:
    """An output directory held by one run; see the module docstring for the protocol."""

    path: Path
    data_dir: Path | None
    command: str
    force: bool = False
    owned: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what recovery did, for the command to report
    _staged: dict[str, Path] = field(default_factory=dict)
    _sha: dict[str, str] = field(default_factory=dict)
    _counter: int = 0

    @property
    def stage_dir(self) -> Path:
        return self.path / STAGE_NAME

    # -- ownership ------------------------------------------------------------------------------

    def owns(self, relative: str) -> bool:
        """Whether the file at `relative` is the one this command wrote (listed, same sha256)."""
        target = self.path / relative
        expected = self.owned.get(relative)
        if expected is None or target.is_symlink() or not target.is_file():
            return False
        return file_sha256(target) == expected

    def check_targets(self, paths: Iterable[str]) -> None:
        """Refuse, before anything is written, to replace a file this command did not write."""
        foreign: list[str] = []
        changed: list[str] = []
        for relative in paths:
            target = self.path / relative
            if self.data_dir is not None and _inside(target, self.data_dir):
                raise OutputUsageError(
                    f"{target} resolves into the data directory {self.data_dir}; refusing to write it"
                )
            if not (target.is_file() or target.is_symlink()) or self.owns(relative):
                continue
            (changed if relative in self.owned else foreign).append(relative)
        if (foreign or changed) and not self.force:
            parts = []
            if foreign:
                parts.append(f"{', '.join(foreign)} (not written by `geo {self.command}`)")
            if changed:
                parts.append(f"{', '.join(changed)} (changed since `geo {self.command}` wrote it)")
            raise OutputUsageError(
                f"refusing to overwrite {'; '.join(parts)} in {self.path}: move them away, "
                "choose another --out, or pass --force to replace them"
            )

    # -- staging --------------------------------------------------------------------------------

    @contextmanager
    def stage(self, paths: Sequence[str]) -> Iterator[list[Path]]:
        """One temporary path per target, in a private folder of the staging directory.

        On an exception the job's staged files are dropped; the targets are checked here (a
        directory in the way fails this job now, not the commit later).
        """
        self._counter += 1
        folder = self.stage_dir / f"{self._counter:05d}"
        try:
            self.stage_dir.mkdir(exist_ok=True)  # not parents: an --out that vanished is an error
            folder.mkdir()
            temps = []
            for index, relative in enumerate(paths):
                part = folder / str(index)
                part.mkdir()
                temps.append(part / PurePosixPath(relative).name)
        except OSError as exc:
            raise _os_error(exc, self.path) from exc
        try:
            yield temps
            for relative, temp in zip(paths, temps):
                if not temp.is_file():
                    raise FileNotFoundError(f"the writer produced no file for {relative}")
                target = self.path / relative
                if target.is_dir() and not target.is_symlink():
                    raise IsADirectoryError(errno.EISDIR, "a directory is in the way", str(target))
                for parent in PurePosixPath(relative).parents:
                    if str(parent) != "." and (self.path / parent).exists() and not (self.path / parent).is_dir():
                        raise NotADirectoryError(errno.ENOTDIR, "a file is in the way", str(self.path / parent))
            for relative, temp in zip(paths, temps):
                os.chmod(temp, 0o644)
                with open(temp, "rb+") as handle:
                    os.fsync(handle.fileno())
                self._sha[relative] = file_sha256(temp)
                self._staged[relative] = temp
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            for relative in paths:
                self._staged.pop(relative, None)
            raise

    def stage_bytes(self, relative: str, payload: bytes) -> None:
        """Stage one file of ours; a failure to write it (a full disk) is an OutputError."""
        try:
            with self.stage([relative]) as (temp,):
                temp.write_bytes(payload)
        except OSError as exc:
            raise _os_error(exc, self.path) from exc

    def sha256(self, relative: str) -> str:
        """The sha256 of a staged file."""
        return self._sha[relative]

    def staged_size(self, relative: str) -> int:
        return self._staged[relative].stat().st_size

    # -- commit and recovery --------------------------------------------------------------------

    def commit(self, remove: Iterable[str] = ()) -> tuple[list[str], list[str]]:
        """Journal, move every staged file into place, remove the stale files this command owns.

        Returns (removed, kept): stale files removed, and stale files kept because they changed
        since this command wrote them (or are not regular files).
        """
        stale = sorted(set(remove) - set(self._staged))
        removals = {path: self.owned[path] for path in stale if path in self.owned and self.owns(path)}
        kept = [path for path in stale if path not in removals and (self.path / path).exists()]
        journal = {
            "command": self.command,
            # In staging order, so the command's ledger (staged last) is also moved last.
            "moves": [
                [path, temp.relative_to(self.path).as_posix(), self._sha[path]] for path, temp in self._staged.items()
            ],
            "removals": removals,
        }
        try:
            for relative, temp in self._staged.items():
                if not temp.is_file():
                    raise FileNotFoundError(errno.ENOENT, "the staged file vanished", str(self.path / relative))
            write_bytes_atomic(self.path / JOURNAL_NAME, json.dumps(journal, sort_keys=True).encode("utf-8"))
            removed = _finish(self.path, journal)
        except OSError as exc:
            raise _os_error(exc, self.path) from exc
        self._staged.clear()
        return removed, kept


def _finish(out_dir: Path, journal: dict[str, Any]) -> list[str]:
    """Carry out a journal (again, after a crash: every step can be repeated); return what it removed."""
    moves = journal.get("moves")
    moves = moves if isinstance(moves, list) else []
    for entry in moves:
        if not isinstance(entry, list) or len(entry) != 3 or not all(isinstance(part, str) for part in entry):
            continue
        relative, staged_name, sha = entry
        staged = out_dir / staged_name
        ours = safe_relative(staged_name) and staged_name.startswith(f"{STAGE_NAME}/")
        if not safe_relative(relative) or not ours or not staged.is_file() or staged.is_symlink():
            continue  # moved already (or lost: then the target keeps its previous, owned content)
        if file_sha256(staged) != sha:
            continue
        target = out_dir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(staged, target)
    removed = []
    removals = journal.get("removals")
    removals = removals if isinstance(removals, dict) else {}
    for relative, sha in sorted(removals.items()):
        target = out_dir / relative
        if not safe_relative(relative) or target.is_symlink() or not target.is_file() or not _inside(target, out_dir):
            continue
        if file_sha256(target) == sha:
            target.unlink()
            removed.append(relative)
            parent = target.parent
            while parent != out_dir and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    fsync_dir(out_dir)
    (out_dir / JOURNAL_NAME).unlink(missing_ok=True)
    shutil.rmtree(out_dir / STAGE_NAME, ignore_errors=True)
    return removed


def _recover(out_dir: Path) -> list[str]:
    """Finish an interrupted commit, then remove staging leftovers; say what was done."""
    notes = []
    journal_path = out_dir / JOURNAL_NAME
    if journal_path.is_file() and not journal_path.is_symlink():
        try:
            journal = json.loads(journal_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            journal = None
        if isinstance(journal, dict):
            _finish(out_dir, journal)
            notes.append(f"finished the interrupted `geo {journal.get('command', '?')}` recorded in {JOURNAL_NAME}")
    if (out_dir / STAGE_NAME).exists():
        shutil.rmtree(out_dir / STAGE_NAME, ignore_errors=True)
        notes.append(f"removed the staging folder {STAGE_NAME} of an interrupted run")
    for folder, dirs, files in os.walk(out_dir):
        for name in list(dirs):
            if name.startswith(_LEGACY_DIR_PREFIX):
                shutil.rmtree(Path(folder) / name, ignore_errors=True)
                dirs.remove(name)
                notes.append(f"removed the leftover {Path(folder, name).relative_to(out_dir).as_posix()}")
            elif name == STAGE_NAME:
                dirs.remove(name)
        for name in files:
            if _LEGACY_TMP.match(name):
                (Path(folder) / name).unlink(missing_ok=True)
                notes.append(f"removed the leftover {Path(folder, name).relative_to(out_dir).as_posix()}")
    return notes


@contextmanager
def output_dir(
    out_dir: Path,
    *,
    data_dir: Path | None,
    command: str,
    force: bool = False,
    owned: Callable[[Path], dict[str, str]] = lambda path: {},
) -> Iterator[OutputDir]:
    """Hold `out_dir` for one run of `command`: refuse data/, lock, recover, read the ledger.

    `owned(out_dir)` reads the command's ledger ({relative path: sha256}); it runs after the
    recovery, so it sees the directory as the last complete run left it. On leaving, staged files
    not committed are dropped, an --out this run created and left empty is removed, and the lock
    is released.
    """
    out_dir = Path(out_dir)
    refuse_data_dir(out_dir, data_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputUsageError(f"--out {out_dir} exists and is not a directory")
    created = not out_dir.exists()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        lock = acquire_lock(out_dir, command)
    except OSError as exc:
        raise _os_error(exc, out_dir) from exc
    try:
        try:
            notes = _recover(out_dir)
        except OSError as exc:
            raise _os_error(exc, out_dir) from exc
        if lock.previous.get("pid"):
            notes.insert(
                0,
                f"took over the lock of an interrupted `geo {lock.previous.get('command', '?')}` (pid {lock.previous['pid']})",
            )
        od = OutputDir(out_dir, data_dir, command, force, dict(owned(out_dir)), notes)
        yield od
    finally:
        if not (out_dir / JOURNAL_NAME).exists():  # a journal still needs its staged files
            shutil.rmtree(out_dir / STAGE_NAME, ignore_errors=True)
        release_lock(lock)
        if created:
            with suppress(OSError):
                out_dir.rmdir()  # only succeeds when empty: a run that wrote nothing leaves nothing
