"""The country outlines under everything (data/base/countries.geojson, derived from Natural Earth).

Every containment check relies on them, so a hand edit or a bad derivation must not pass
silently: each outline is a Feature with a unique ISO 3166-1 alpha-2 code and a valid (not
self-intersecting) Polygon or MultiPolygon; anything else is a Problem and is left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.countries import ISO_3166_ALPHA2
from geo.errors import Problem
from geo.geojson_reader import geojson_batches, read_geojson
from geo.readers import display_path


@dataclass(frozen=True)
class Country:
    """One country of the base layer: its ISO code, its names and its (prepared) outline."""

    iso: str
    name: str
    name_ru: str | None
    geometry: BaseGeometry


def read_countries(path: Path, root: Path, problems: list[Problem]) -> dict[str, Country]:
    """Countries by ISO code; every feature that is not a usable outline becomes a Problem."""
    shown = display_path(path, root)
    if not path.exists() and not path.is_symlink():
        problems.append(Problem(shown, "(file)", "-", "country outlines missing"))
        return {}
    reported = len(problems)
    return countries_of(read_geojson(path, root, problems), shown, problems, reported)


def parse_countries(raw: bytes | None, shown: str, problems: list[Problem]) -> dict[str, Country]:
    """read_countries for the bytes of the file kept elsewhere (a database); None when it is missing."""
    if raw is None:
        problems.append(Problem(shown, "(file)", "-", "country outlines missing"))
        return {}
    reported = len(problems)
    features = [feature for batch in geojson_batches(raw, shown, problems) for feature in batch]
    return countries_of(features, shown, problems, reported)


def countries_of(features: list[Any], shown: str, problems: list[Problem], reported: int) -> dict[str, Country]:
    """The outlines of a base layer's features, checked one by one (`reported`: the problems before
    the file was read; none since and no outline means the file holds none)."""
    countries: dict[str, Country] = {}
    seen: dict[str, str] = {}
    for index, feature in enumerate(features):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = properties.get("iso_a2") if isinstance(properties, dict) else None
        label = code if isinstance(code, str) else f"#{index + 1}"
        if not isinstance(code, str) or code not in ISO_3166_ALPHA2:
            problems.append(Problem(shown, label, "iso_a2", f"not an ISO 3166-1 alpha-2 code (got {str(code)[:20]!r})"))
            continue
        if code in seen:
            problems.append(Problem(shown, label, "iso_a2", f"duplicate country code (also feature {seen[code]})"))
            continue
        seen[code] = f"#{index + 1}"
        raw = feature.get("geometry")
        if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
            problems.append(Problem(shown, label, "geometry", "a country outline must be a Polygon or MultiPolygon"))
            continue
        try:
            geometry = _outline(raw)
        except Exception as exc:  # shapely raises several types for malformed coordinates
            problems.append(Problem(shown, label, "geometry.coordinates", f"malformed coordinates: {str(exc)[:80]}"))
            continue
        if not shapely.is_valid(geometry):
            problems.append(Problem(shown, label, "geometry", f"invalid outline: {shapely.is_valid_reason(geometry)}"))
            continue
        assert isinstance(properties, dict)
        names = _names(properties, shown, label, problems)
        if names is None:
            continue
        shapely.prepare(geometry)
        countries[code] = Country(code, names[0] or code, names[1], geometry)
    if not countries and len(problems) == reported:
        problems.append(Problem(shown, "(file)", "-", "country outlines missing"))
    return countries


def _outline(raw: dict[str, Any]) -> BaseGeometry:
    """shape(raw), built from arrays: the same geometry in under half the time (an outline runs
    to thousands of positions, each a Python list to shape()). Anything but rings of 2D numbers
    is left to shape(), which names what is wrong."""
    polygons = raw.get("coordinates")
    if raw["type"] == "Polygon":
        polygons = [polygons]
    if not isinstance(polygons, list) or not polygons:
        return shape(raw)
    parts = []
    for rings in polygons:
        if not isinstance(rings, list) or not rings:
            return shape(raw)
        try:
            arrays = [np.asarray(ring) for ring in rings]
        except ValueError:  # ragged
            return shape(raw)
        if any(a.ndim != 2 or a.shape[0] < 4 or a.shape[1] != 2 or a.dtype.kind not in "if" for a in arrays):
            return shape(raw)
        rings_made = [shapely.linearrings(a) for a in arrays]
        parts.append(shapely.polygons(rings_made[0], holes=rings_made[1:] or None))
    return shapely.multipolygons(parts) if raw["type"] == "MultiPolygon" else parts[0]


NAME_MAX_CHARS = 100


def _names(
    properties: dict[str, object], shown: str, label: str, problems: list[Problem]
) -> tuple[str | None, str | None] | None:
    """The country's English and Russian names (each may be absent); None, with a Problem, if either is
    not a short one-line string: maps and exports print them."""
    names: list[str | None] = []
    for key in ("name", "name_ru"):
        value = properties.get(key)
        if value is not None and not (
            isinstance(value, str) and value.strip() and len(value) <= NAME_MAX_CHARS and value.isprintable()
        ):
            problems.append(
                Problem(
                    shown,
                    label,
                    key,
                    f"a country name must be one line of 1 to {NAME_MAX_CHARS} printable characters (got {str(value)[:20]!r})",
                )
            )
            return None
        names.append(value)
    return names[0], names[1]
