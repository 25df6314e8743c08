"""Checks of the base layer (data/base/countries.geojson): every containment check relies on its outlines.

It is derived (scripts/derive_base.py), but a hand edit or a bad derivation must not pass
silently: each outline is a Feature with a unique ISO 3166-1 alpha-2 code and a valid
(not self-intersecting) Polygon or MultiPolygon.
"""

from __future__ import annotations

from pathlib import Path

import shapely
from shapely.geometry import shape

from geo.countries import ISO_3166_ALPHA2
from geo.errors import Problem
from geo.readers import display_path, read_geojson

COUNTRIES_FILE = "base/countries.geojson"


def check_base_layer(root: Path) -> list[Problem]:
    """Problems of the country outlines: duplicate or unknown codes, malformed or invalid geometries."""
    path = root / COUNTRIES_FILE
    if not path.exists() and not path.is_symlink():
        return []  # validate.country_outlines reports the missing file
    problems: list[Problem] = []
    shown = display_path(path, root)
    seen: dict[str, str] = {}
    for index, feature in enumerate(read_geojson(path, root, problems)):
        properties = feature.get("properties") if isinstance(feature, dict) else None
        code = properties.get("iso_a2") if isinstance(properties, dict) else None
        label = code if isinstance(code, str) else f"#{index + 1}"
        if not isinstance(code, str) or code not in ISO_3166_ALPHA2:
            problems.append(Problem(shown, label, "iso_a2", f"not an ISO 3166-1 alpha-2 code (got {str(code)[:20]!r})"))
        elif code in seen:
            problems.append(Problem(shown, label, "iso_a2", f"duplicate country code (also feature {seen[code]})"))
        else:
            seen[code] = f"#{index + 1}"
        raw = feature.get("geometry") if isinstance(feature, dict) else None
        if not isinstance(raw, dict) or raw.get("type") not in ("Polygon", "MultiPolygon"):
            problems.append(Problem(shown, label, "geometry", "a country outline must be a Polygon or MultiPolygon"))
            continue
        try:
            geometry = shape(raw)
        except Exception as exc:  # shapely raises several types for malformed coordinates
            problems.append(Problem(shown, label, "geometry.coordinates", f"malformed coordinates: {str(exc)[:80]}"))
            continue
        if not shapely.is_valid(geometry):
            problems.append(Problem(shown, label, "geometry", f"invalid outline: {shapely.is_valid_reason(geometry)}"))
    return problems
