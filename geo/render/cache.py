"""Skip a rebuild when neither the data nor the code changed: a content-hash stamp in the output.

Imports nothing heavy, so `geo build` with nothing to do answers in a fraction of a second.
"""

from __future__ import annotations

import hashlib
import json
from importlib import metadata
from pathlib import Path

STAMP_NAME = ".build-stamp.json"
_PACKAGE_DIR = Path(__file__).resolve().parents[1]
# The code a map depends on: the package's top-level modules and render/ (not export/).
_CODE_DIRS = (_PACKAGE_DIR / "render",)
_LIBRARIES = ("folium", "branca", "XStatic-Leaflet", "xyzservices", "shapely")


def _tree_digest(root: Path, digest: "hashlib._Hash", suffixes: tuple[str, ...] | None = None) -> None:
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        if "__pycache__" in path.parts or path.suffix == ".md" or (suffixes and path.suffix not in suffixes):
            continue  # documentation does not change a map
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())


def inputs_hash(data_dir: Path, cdn: bool) -> str:
    """Hash of everything a map depends on: the data, this package's code and assets, library versions."""
    digest = hashlib.sha256()
    _tree_digest(data_dir, digest)
    for path in sorted(_PACKAGE_DIR.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for code_dir in _CODE_DIRS:
        _tree_digest(code_dir, digest, (".py", ".js", ".css"))
    for name in _LIBRARIES:
        try:
            digest.update(f"{name}={metadata.version(name)}".encode())
        except metadata.PackageNotFoundError:
            digest.update(f"{name}=missing".encode())
    digest.update(b"cdn" if cdn else b"inline")
    return digest.hexdigest()


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_stamp(out_dir: Path) -> dict:
    try:
        return json.loads((out_dir / STAMP_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def up_to_date(data_dir: Path, out_dir: Path, names: tuple[str, ...] | list[str], cdn: bool) -> bool:
    """True when the stamp matches the inputs and every expected file is there, unaltered."""
    stamp = read_stamp(out_dir)
    files = stamp.get("files") or {}
    if not files or not data_dir.is_dir() or stamp.get("inputs") != inputs_hash(data_dir, cdn):
        return False
    wanted = [f"{name}.html" for name in names] if names else list(files)
    if "index.html" not in wanted:
        wanted.append("index.html")
    for name in wanted:
        path = out_dir / name
        if name not in files or not path.is_file() or file_sha256(path) != files[name]:
            return False
    return not names and set(stamp.get("maps", [])) == {n.removesuffix(".html") for n in files if n != "index.html"} or bool(names)


def stamp_text(inputs: str, files: dict[str, str], maps: list[str]) -> str:
    return json.dumps({"inputs": inputs, "files": dict(sorted(files.items())), "maps": sorted(maps)}, indent=1) + "\n"
