"""manifest.json: what one export run wrote, with checksums, and the record of what it owns.

The manifest is how the export knows which files in the output directory are its own: a later
run replaces or removes only files a previous manifest lists, and refuses to touch anything
else. It holds no timestamps and lists everything in a fixed order, so the same data gives the
same manifest.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Any

from geo import __version__
from geo.atomic import write_bytes_atomic as write_bytes
from geo.export.errors import ExportUsageError
from geo.export.provenance import file_sha256

MANIFEST = "manifest.json"
TOOL_NAME = "geo-atlas"


def _safe_relative(path: Any) -> bool:
    """A listed path we may touch: relative, inside the directory, not the manifest itself."""
    if not isinstance(path, str) or not path or path == MANIFEST:
        return False
    pure = PurePosixPath(path)
    return not pure.is_absolute() and ".." not in pure.parts and "\\" not in path


def read_owned(out_dir: Path) -> set[str]:
    """The relative paths a previous run's manifest.json lists; refuse a manifest that is not ours."""
    path = out_dir / MANIFEST
    if not path.exists() and not path.is_symlink():
        return set()
    refusal = f"{path} exists but was not written by `geo export`; refusing to overwrite it (choose another --out)"
    if not path.is_file():
        raise ExportUsageError(refusal)
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ExportUsageError(refusal) from None
    tool = document.get("tool") if isinstance(document, dict) else None
    files = document.get("files") if isinstance(document, dict) else None
    if not isinstance(tool, dict) or tool.get("name") != TOOL_NAME or not isinstance(files, list):
        raise ExportUsageError(refusal)
    return {entry["path"] for entry in files if isinstance(entry, dict) and _safe_relative(entry.get("path"))}


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


def write_manifest(out_dir: Path, manifest: dict[str, Any]) -> Path:
    path = out_dir / MANIFEST
    write_bytes(path, (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8"))
    return path
