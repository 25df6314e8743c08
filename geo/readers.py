"""Read the raw files of data/ (YAML and GeoJSON), turning parse failures into Problems."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import orjson
import yaml

from geo.errors import Problem


def display_path(path: Path, root: Path) -> str:
    """The path as a user sees it in reports: relative to the project when possible."""
    try:
        return path.resolve().relative_to(root.resolve().parent).as_posix()
    except ValueError:
        return path.as_posix()


_MISSING = object()

# libyaml's safe loader where PyYAML was built with it: the same documents, parsed ~10x faster.
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _load_yaml(path: Path, shown: str, problems: list[Problem]) -> Any:
    """The parsed YAML document, or _MISSING (with a Problem) when it cannot be read."""
    if not path.exists():
        problems.append(Problem(shown, "(file)", "-", "file is missing"))
        return _MISSING
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SAFE_LOADER)
    except OSError as exc:  # e.g. a directory or an unreadable file where the file should be
        problems.append(Problem(shown, "(file)", "-", f"cannot be read: {exc.strerror or exc}"))
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, "(file)", "-", f"not UTF-8 text: {exc}"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problems.append(Problem(shown, "(file)", "-", f"malformed YAML{where}: {getattr(exc, 'problem', exc)}"))
    return _MISSING


def read_yaml_list(path: Path, root: Path, problems: list[Problem]) -> list[dict[str, Any]]:
    """A YAML file holding a list of records; [] (with a Problem) when it cannot be read."""
    shown = display_path(path, root)
    loaded = _load_yaml(path, shown, problems)
    if loaded is _MISSING or loaded is None:
        return []
    if not isinstance(loaded, list) or not all(isinstance(item, dict) for item in loaded):
        problems.append(Problem(shown, "(file)", "-", "expected a list of records (mappings)"))
        return []
    return loaded


def read_yaml_mapping(path: Path, root: Path, problems: list[Problem]) -> dict[str, Any] | None:
    """A YAML file holding one mapping (a whole-file record); None (with a Problem) when it cannot be read."""
    shown = display_path(path, root)
    loaded = _load_yaml(path, shown, problems)
    if loaded is _MISSING:
        return None
    if not isinstance(loaded, dict):
        problems.append(Problem(shown, "(file)", "-", "expected a mapping of fields"))
        return None
    return loaded


def read_geojson(path: Path, root: Path, problems: list[Problem]) -> list[dict[str, Any]]:
    """The features of an RFC 7946 FeatureCollection; [] (with Problems) when it is not one."""
    shown = display_path(path, root)
    if not path.exists():
        problems.append(Problem(shown, "(file)", "-", "file is missing"))
        return []
    try:
        raw = path.read_bytes()
        try:
            document = orjson.loads(raw)  # several times faster than json on large layers
        except orjson.JSONDecodeError:
            document = json.loads(raw)  # fails again, with the standard library's words for where and what
    except OSError as exc:
        problems.append(Problem(shown, "(file)", "-", f"cannot be read: {exc.strerror or exc}"))
        return []
    except UnicodeDecodeError as exc:
        problems.append(Problem(shown, "(file)", "-", f"not UTF-8 text: {exc}"))
        return []
    except json.JSONDecodeError as exc:
        problems.append(
            Problem(shown, "(file)", "-", f"malformed JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}")
        )
        return []
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        problems.append(Problem(shown, "(file)", "type", "expected a GeoJSON FeatureCollection"))
        return []
    if "crs" in document:
        problems.append(
            Problem(shown, "(file)", "crs", "RFC 7946 GeoJSON has no 'crs' member; coordinates are WGS84 lon/lat")
        )
    features = document.get("features")
    if not isinstance(features, list):
        problems.append(Problem(shown, "(file)", "features", "expected a list of features"))
        return []
    return features
