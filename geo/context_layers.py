"""The context drawn under the atlas (data/base/context/): rivers, the railway network, towns.

They are a backdrop derived by scripts/derive_context.py from Natural Earth and OpenStreetMap,
not facts of the atlas: no popup, no export, no validation against the countries. They are still
untrusted input (names reach HTML and SVG), so each file is read like a layer file: a feature
that is not what the backdrop expects becomes a Problem and is left out; a missing directory
means a map without context (an older data directory), not an error.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import shapely
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.errors import Problem
from geo.geojson_reader import geojson_batches

CONTEXT_LAYERS = ("rivers", "railways", "towns")
PROVENANCE_FILE = "provenance.json"
# The geometry each layer holds and the kinds its features may have.
LAYER_KINDS = {
    "rivers": ({"MultiLineString", "LineString"}, {"river", "lake_centerline"}),
    "railways": ({"MultiLineString", "LineString"}, {"railway", "railway_construction"}),
    "towns": ({"Point"}, {"town"}),
}
NAME_MAX_CHARS = 100


@dataclass(frozen=True)
class ContextFeature:
    """One river, railway or town of the backdrop: its names, rank and geometry."""

    id: str
    kind: str
    name: str | None
    name_ru: str | None
    name_local: str | None
    geometry: BaseGeometry
    rank: str | None = None  # towns: capital, regional_capital, town
    population: int | None = None
    scalerank: float | None = None  # rivers: Natural Earth's importance (lower: more important)
    min_zoom: float | None = None  # the web zoom from which Natural Earth shows it
    source: str | None = None


@dataclass(frozen=True)
class ContextLayers:
    """The three layers and the provenance written beside them (empty when the directory is absent)."""

    rivers: list[ContextFeature] = field(default_factory=list)
    railways: list[ContextFeature] = field(default_factory=list)
    towns: list[ContextFeature] = field(default_factory=list)
    provenance: dict[str, Any] = field(default_factory=dict)

    def layer(self, name: str) -> list[ContextFeature]:
        features: list[ContextFeature] = getattr(self, name)
        return features

    def __bool__(self) -> bool:
        return bool(self.rivers or self.railways or self.towns)

    def licences(self) -> list[str]:
        """The licence line of each layer, once each, in the provenance's order."""
        return list(
            dict.fromkeys(
                str(entry.get("licence")) for entry in self.provenance.get("layers", []) if entry.get("licence")
            )
        )


def parse_context(
    stored: Mapping[str, bytes], directory: str, shown: Callable[[str], str], problems: list[Problem]
) -> ContextLayers:
    """The context layers kept under `directory` of the data (a catalog's stored files, by their
    path in the data directory); every unusable feature becomes a Problem and is left out."""
    prefix = directory.rstrip("/") + "/"
    if not any(name.startswith(prefix) for name in stored):
        return ContextLayers()
    layers: dict[str, list[ContextFeature]] = {}
    for name in CONTEXT_LAYERS:
        path = f"{prefix}{name}.geojson"
        raw = stored.get(path)
        if raw is None:
            layers[name] = []
            continue
        where = shown(path)
        features = [feature for batch in geojson_batches(raw, where, problems) for feature in batch]
        layers[name] = [f for f in (_feature(name, item, where, i, problems) for i, item in enumerate(features)) if f]
    provenance: dict[str, Any] = {}
    prov_path = prefix + PROVENANCE_FILE
    if prov_path in stored:
        try:
            loaded = json.loads(stored[prov_path].decode("utf-8"))
            provenance = loaded if isinstance(loaded, dict) else {}
        except ValueError as exc:  # UnicodeDecodeError is one
            problems.append(Problem(shown(prov_path), "(file)", "-", f"not readable JSON: {str(exc)[:80]}"))
    return ContextLayers(layers["rivers"], layers["railways"], layers["towns"], provenance)


def _text(value: object, shown: str, label: str, key: str, problems: list[Problem]) -> str | None:
    if value is None:
        return None
    if isinstance(value, str) and value.strip() and len(value) <= NAME_MAX_CHARS and value.isprintable():
        return value
    problems.append(
        Problem(
            shown,
            label,
            key,
            f"must be one line of 1 to {NAME_MAX_CHARS} printable characters (got {str(value)[:20]!r})",
        )
    )
    return None


def _feature(layer: str, raw: object, shown: str, index: int, problems: list[Problem]) -> ContextFeature | None:
    types, kinds = LAYER_KINDS[layer]
    props = raw.get("properties") if isinstance(raw, dict) else None
    if not isinstance(raw, dict) or not isinstance(props, dict):
        problems.append(Problem(shown, f"#{index + 1}", "properties", "a context feature needs a properties object"))
        return None
    fid = props.get("id")
    label = fid if isinstance(fid, str) and fid.isprintable() and len(fid) <= NAME_MAX_CHARS else f"#{index + 1}"
    kind = props.get("kind")
    if kind not in kinds:
        problems.append(
            Problem(shown, label, "kind", f"must be one of {', '.join(sorted(kinds))} (got {str(kind)[:20]!r})")
        )
        return None
    geometry = raw.get("geometry")
    if not isinstance(geometry, dict) or geometry.get("type") not in types:
        problems.append(Problem(shown, label, "geometry", f"must be a {' or '.join(sorted(types))}"))
        return None
    try:
        geom = shape(geometry)
    except Exception as exc:  # shapely raises several types for malformed coordinates
        problems.append(Problem(shown, label, "geometry.coordinates", f"malformed coordinates: {str(exc)[:80]}"))
        return None
    if geom.is_empty or not shapely.is_valid(geom):
        problems.append(Problem(shown, label, "geometry", "empty or invalid geometry"))
        return None
    population = props.get("population")
    scalerank = props.get("scalerank")
    min_zoom = props.get("min_zoom")
    return ContextFeature(
        id=label,
        kind=str(kind),
        name=_text(props.get("name"), shown, label, "name", problems),
        name_ru=_text(props.get("name_ru"), shown, label, "name_ru", problems),
        name_local=_text(props.get("name_local"), shown, label, "name_local", problems),
        geometry=geom,
        rank=props.get("rank") if props.get("rank") in ("capital", "regional_capital", "town") else None,
        population=population
        if isinstance(population, int) and not isinstance(population, bool) and population >= 0
        else None,
        scalerank=float(scalerank) if isinstance(scalerank, int | float) and not isinstance(scalerank, bool) else None,
        min_zoom=float(min_zoom) if isinstance(min_zoom, int | float) and not isinstance(min_zoom, bool) else None,
        source=props.get("source") if isinstance(props.get("source"), str) else None,
    )
