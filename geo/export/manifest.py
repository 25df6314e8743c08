"""manifest.json: what one export run wrote, with checksums, and the record of what it owns.

The manifest is how the export knows which files in the output directory are its own: a later
run replaces or removes only files a previous manifest lists with the sha256 they still have,
and refuses to touch anything else (geo/outdir.py). It holds no timestamps and lists everything in a fixed order, so the same data gives the
same manifest.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from geo import __version__
from geo.atomic import write_bytes_atomic as write_bytes
from geo.export.provenance import file_sha256
from geo.outdir import safe_relative

MANIFEST = "manifest.json"
TOOL_NAME = "geo-atlas"


def read_owned(out_dir: Path) -> dict[str, str]:
    """{relative path: sha256} of the files the last complete export wrote, manifest.json included.

    A manifest that is not ours (unreadable, another tool's) owns nothing, not even itself: the
    output guard then refuses to overwrite it. Entries whose path could leave the directory are
    ignored, and a listed file counts as ours only while its sha256 matches (checked by the guard).
    """
    path = out_dir / MANIFEST
    if path.is_symlink() or not path.is_file():
        return {}
    try:
        payload = path.read_bytes()
        document = json.loads(payload.decode("utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return {}
    tool = document.get("tool") if isinstance(document, dict) else None
    files = document.get("files") if isinstance(document, dict) else None
    if not isinstance(tool, dict) or tool.get("name") != TOOL_NAME or not isinstance(files, list):
        return {}
    owned = {
        entry["path"]: entry["sha256"]
        for entry in files
        if isinstance(entry, dict)
        and safe_relative(entry.get("path"))
        and entry.get("path") != MANIFEST
        and isinstance(entry.get("sha256"), str)
    }
    owned[MANIFEST] = hashlib.sha256(payload).hexdigest()
    return owned


def file_entry_staged(relative: str, size: int, sha256: str, fmt: str, layer: str | None) -> dict[str, Any]:
    return {"path": relative, "bytes": size, "sha256": sha256, "format": fmt, "layer": layer}


def file_entry(out_dir: Path, relative: str, fmt: str, layer: str | None) -> dict[str, Any]:
    path = out_dir / relative
    return {"path": relative, "bytes": path.stat().st_size, "sha256": file_sha256(path), "format": fmt, "layer": layer}


def library_versions() -> dict[str, str]:
    """The libraries whose versions the bytes depend on: same data + same versions = same bytes."""
    import geopandas
    import pyarrow
    import pyogrio
    import shapely

    return {
        "gdal": pyogrio.__gdal_version_string__,
        "geopandas": geopandas.__version__,
        "pyarrow": pyarrow.__version__,
        "pyogrio": pyogrio.__version__,
        "shapely": shapely.__version__,
    }


def build_manifest(
    *,
    files: list[dict[str, Any]],
    formats: list[str],
    layers: list[dict[str, Any]],
    data_hash: str,
    data_date: str | None,
    crs: str,
    coordinate_decimals: int,
    bbox: tuple[float, float, float, float] | None,
    failures: list[str],
) -> dict[str, Any]:
    return {
        "tool": {"name": TOOL_NAME, "version": __version__, "command": "geo export"},
        "libraries": library_versions(),
        "data": {"hash": data_hash, "date": data_date},
        "crs": crs,
        "coordinate_decimals": coordinate_decimals,
        "bbox": list(bbox) if bbox else None,
        "formats": formats,
        "layers": layers,
        "files": sorted(files, key=lambda entry: entry["path"]),
        "failures": failures,
    }


def manifest_bytes(manifest: dict[str, Any]) -> bytes:
    return (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def write_manifest(out_dir: Path, manifest: dict[str, Any]) -> Path:
    path = out_dir / MANIFEST
    write_bytes(path, manifest_bytes(manifest))
    return path
