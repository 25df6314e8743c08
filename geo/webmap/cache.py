"""Skip a rebuild when neither the data nor the code changed: a content-hash stamp in the output.

The stamp (maps/.build-stamp.json) holds the hash of everything a map depends on, the sha256
of every file a build wrote (the ledger by which the output guard knows them as its own) and
which of them were built with these inputs; it is deterministic, so it can be committed with the maps. Reading
100 MB of layers and maps to hash them on every call would cost more than half a second, so
file hashes are also remembered per (path, size, mtime) in a user cache, like make or git's
index do; a file whose size or mtime changed is hashed again. Imports nothing heavy, so
`geo build` with nothing to do answers in a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from contextlib import suppress
from importlib import metadata
from pathlib import Path
from typing import Any

from geo.atomic import write_text_atomic
from geo.outdir import read_ledger

STAMP_NAME = ".build-stamp.json"
_PACKAGE_DIR = Path(__file__).resolve().parents[1]
# Beside page_code(): render/ (its assets) and the compiled message catalogs.
_CODE_DIRS = (_PACKAGE_DIR / "webmap", _PACKAGE_DIR / "locale")
_CACHE_LIMIT = 5000
_LIBRARIES = ("folium", "branca", "XStatic-Leaflet", "xyzservices", "shapely", "orjson", "Babel")


def _hash_cache_path() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "geo-atlas" / "file-hashes.json"


class FileHashes:
    """sha256 of files, remembered by path, size and modification time."""

    def __init__(self) -> None:
        self.path = _hash_cache_path()
        try:
            self.known: dict[str, list[Any]] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.known = {}
        self.changed = False

    def sha256(self, path: Path) -> str:
        stat = path.stat()
        key = str(path.resolve())
        record = self.known.get(key)
        if record and record[0] == stat.st_size and record[1] == stat.st_mtime_ns:
            known: str = record[2]
            return known
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        self.known[key] = [stat.st_size, stat.st_mtime_ns, digest]
        self.changed = True
        return digest

    def remember(self, path: Path, digest: str) -> None:
        """Record the hash of a file just written, so the next check need not read it."""
        stat = path.stat()
        self.known[str(path.resolve())] = [stat.st_size, stat.st_mtime_ns, digest]
        self.changed = True

    def save(self) -> None:
        """Best effort: a cache that cannot be written only makes the next check slower."""
        if not self.changed:
            return
        if len(self.known) > _CACHE_LIMIT:  # forget files that are gone (temporary builds)
            self.known = {key: record for key, record in self.known.items() if os.path.exists(key)}
        with suppress(OSError):
            write_text_atomic(self.path, json.dumps(self.known))


def _tree_digest(
    root: Path, digest: hashlib._Hash, hashes: FileHashes, suffixes: tuple[str, ...] | None = None
) -> None:
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts or path.suffix == ".md" or (suffixes and path.suffix not in suffixes):
            continue  # documentation does not change a map
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(hashes.sha256(path).encode())


# The modules a map is made by: the build and the reader of data/, and whatever they import (not
# the checks of geo.validate, the exports, the command line).
_PAGE_ROOTS = ("geo.webmap.build", "geo.catalog")
_IMPORT = re.compile(
    r"^([ \t]*)(?:from[ \t]+(geo(?:\.\w+)*)[ \t]+import[ \t]+([\w ,\t]+)|import[ \t]+(geo(?:\.\w+)*))", re.M
)
_TYPE_ONLY = re.compile(r"^([ \t]*)if[ \t]+TYPE_CHECKING[ \t]*:", re.M)


def _module_path(name: str) -> Path | None:
    base = _PACKAGE_DIR.parent.joinpath(*name.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _imports(text: str) -> set[str]:
    """The geo modules a module imports when it runs (type-only imports under TYPE_CHECKING left out)."""
    skip_indent: int | None = None
    found: set[str] = set()
    lines = text.splitlines()
    for line in lines:
        stripped = line.lstrip()
        indent = len(line) - len(stripped)
        if skip_indent is not None:
            if stripped and indent <= skip_indent:
                skip_indent = None
            else:
                continue
        if (guard := _TYPE_ONLY.match(line)) is not None:
            skip_indent = len(guard.group(1))
            continue
        match = _IMPORT.match(line)
        if match is None:
            continue
        module = match.group(2) or match.group(4)
        found.add(module)
        for name in (match.group(3) or "").replace(" ", "").split(","):
            if name and _module_path(f"{module}.{name}") is not None:
                found.add(f"{module}.{name}")  # `from geo.webmap import cache` imports a module
    return found


def page_code() -> list[Path]:
    """The source files of every module a map depends on (geo.webmap.build and geo.catalog, and
    what they import at run time, with their packages), read from the source each time."""
    seen: dict[str, Path] = {}
    todo = list(_PAGE_ROOTS)
    while todo:
        name = todo.pop()
        parts = name.split(".")
        for end in range(1, len(parts) + 1):  # importing geo.webmap.build runs geo and geo.webmap first
            module = ".".join(parts[:end])
            if module in seen:
                continue
            path = _module_path(module)
            if path is None:
                continue
            seen[module] = path
            todo.extend(_imports(path.read_text(encoding="utf-8")))
    return sorted(seen.values())


def rendered_images(out_dir: Path) -> list[str]:
    """The static images in out_dir (`geo render`'s), which index.html links: a change rebuilds it."""
    if not out_dir.is_dir():
        return []
    return sorted(p.name for p in out_dir.iterdir() if p.suffix in (".png", ".svg", ".pdf") and p.is_file())


def page_data(files_read: dict[str, str]) -> dict[str, str]:
    """The data files a map depends on, with the sha256 of what was read: every file read but the
    field dictionary and other documentation (.md)."""
    return {name: sha for name, sha in sorted(files_read.items()) if not name.endswith(".md")}


def inputs_hash(
    data: dict[str, str], cdn: bool, hashes: FileHashes | None = None, *, images: list[str] | None = None
) -> str:
    """Hash of everything the maps depend on: the data as read ({file: sha256}, or the data hash of
    a catalog read from a database), the code of page_code() and the page's assets and message
    catalogs, library versions, and the rendered images the index links."""
    hashes = hashes or FileHashes()
    digest = hashlib.sha256()
    for name in images or []:
        digest.update(b"image\0" + name.encode() + b"\0")
    for name, sha in sorted(data.items()):
        digest.update(f"data\0{name}\0{sha}\n".encode())
    for path in page_code():
        digest.update(path.relative_to(_PACKAGE_DIR).as_posix().encode())
        digest.update(hashes.sha256(path).encode())
    for code_dir in _CODE_DIRS:
        _tree_digest(code_dir, digest, hashes, (".py", ".js", ".css", ".mo"))
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=missing".encode())
    digest.update(b"cdn" if cdn else b"inline")
    hashes.save()
    return digest.hexdigest()


def read_stamp(out_dir: Path) -> dict[str, Any]:
    try:
        stamp: dict[str, Any] = json.loads((out_dir / STAMP_NAME).read_text(encoding="utf-8"))
        return stamp
    except (OSError, ValueError):
        return {}


def up_to_date(data_dir: Path, out_dir: Path, names: tuple[str, ...] | list[str], cdn: bool) -> bool:
    """True when the stamp matches the inputs and every expected file is there, unaltered."""
    if any((out_dir / name).exists() for name in (".geo-journal.json", ".geo-stage")):
        return False  # an interrupted build: the next build finishes it (geo/outdir.py)
    stamp = read_stamp(out_dir)
    files = stamp.get("files") or {}
    read = stamp.get("read")
    if not files or not data_dir.is_dir() or not isinstance(read, dict) or not read:
        return False
    hashes = FileHashes()
    current: dict[str, str] = {}
    for name in read:  # the files the stamped build read, as they are now
        path = data_dir / str(name)
        if not path.is_file():
            return False
        current[str(name)] = hashes.sha256(path)
    if stamp.get("inputs") != inputs_hash(current, cdn, hashes, images=rendered_images(out_dir)):
        return False
    fresh = set(stamp.get("fresh", files))  # stamps before "fresh" listed only this build's files
    wanted = [f"{name}.html" for name in names] if names else sorted(fresh)
    if "index.html" not in wanted:
        wanted.append("index.html")
    try:
        unaltered = all(
            name in files
            and name in fresh
            and (out_dir / name).is_file()
            and hashes.sha256(out_dir / name) == files[name]
            for name in wanted
        )
    finally:
        hashes.save()
    if not unaltered:
        return False
    # Without names, every map must have been built with these inputs, not only some of them.
    return bool(names) or stamp.get("complete") is True


def read_owned(out_dir: Path) -> dict[str, str]:
    """The build's ledger for the output guard: {file: sha256} of every file a build wrote, stamp included.

    `files` lists every file an earlier build wrote and that is still its own (top-level names
    only); `fresh` the ones built with the stamp's inputs.
    """
    return read_ledger(out_dir, STAMP_NAME, keep=lambda name: "/" not in name)


def stamp_text(
    inputs: str,
    files: dict[str, str],
    complete: bool,
    fresh: list[str] | None = None,
    read: dict[str, str] | None = None,
) -> str:
    """The stamp: the inputs' hash, the data files read ({path: sha256 of the bytes read}), the ledger."""
    document = {
        "inputs": inputs,
        "read": dict(sorted((read or {}).items())),
        "files": dict(sorted(files.items())),
        "fresh": sorted(files if fresh is None else fresh),
        "complete": complete,
    }
    return json.dumps(document, indent=1) + "\n"
