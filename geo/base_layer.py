"""The country outlines under everything (data/base/countries.geojson, derived from Natural Earth)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.errors import Problem
from geo.readers import display_path, read_geojson


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
    countries: dict[str, Country] = {}
    if not path.is_file():
        problems.append(Problem(shown, "(file)", "-", "country outlines missing"))
        return countries
    for index, feature in enumerate(read_geojson(path, root, problems)):
        try:
            properties = feature["properties"]
            code = properties["iso_a2"]
            geometry = shape(feature["geometry"])
            name = properties.get("name") or code
        except Exception as exc:  # the file is derived and should never get here: report, do not crash
            problems.append(Problem(shown, f"#{index + 1}", "-", f"not a country outline with an iso_a2 ({exc!r})"))
            continue
        shapely.prepare(geometry)
        countries[code] = Country(code, name, properties.get("name_ru"), geometry)
    if not countries and not any(p.file == shown for p in problems):
        problems.append(Problem(shown, "(file)", "-", "country outlines missing"))
    return countries
