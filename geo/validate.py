"""Checks beyond the schema: references resolve, geometries are valid and lie where the data says."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from geo.errors import Problem
from geo.models import FeatureKind, Measure
from geo.readers import display_path, read_geojson

if TYPE_CHECKING:
    from geo.catalog import Catalog, Feature

GEOD = Geod(ellps="WGS84")

# The atlas region (lon/lat degrees): Central Asia with the corridors' ends in Russia, China and Iran.
# A lat/lon swap of any place here lands far outside it (e.g. Tashkent 69.2E 41.3N -> 41.3E 69.2N).
REGION_BOUNDS = (40.0, 30.0, 95.0, 58.0)

# The country outlines are simplified (see data/base/provenance.json); allow for that.
OUTLINE_ERROR_M = 1_500.0

# A border checkpoint sits at its border: "within a few km".
CHECKPOINT_MAX_FROM_BORDER_M = 5_000.0


def check_references(catalog: "Catalog") -> list[Problem]:
    """Every id a record names exists; feature ids are unique across layers."""
    problems: list[Problem] = []
    root = catalog.root

    def shown(path: Path) -> str:
        return display_path(path, root)

    def need(ids: Iterable[str], pool: dict, file: str, record: str, field: str, what: str) -> None:
        for index, ref in enumerate(ids):
            if ref not in pool:
                problems.append(Problem(file, record, f"{field}[{index}]", f"unknown {what} id '{ref}'"))

    seen: dict[str, str] = {}
    feature_ids: dict[str, object] = {}
    for layer in catalog.layers.values():
        file = shown(layer.path)
        for feature in layer.features:
            props = feature.properties
            if props.id in seen:
                problems.append(Problem(file, props.id, "id", f"duplicate feature id (also in {seen[props.id]})"))
            seen.setdefault(props.id, file)
            feature_ids[props.id] = feature
            need(props.sources, catalog.sources, file, props.id, "sources", "source")
            need(props.projects, catalog.projects, file, props.id, "projects", "project")
    meta = {key: shown(root / rel) for key, rel in _metadata_files().items()}
    for project in catalog.projects.values():
        need(project.sources, catalog.sources, meta["projects"], project.id, "sources", "source")
    for event in catalog.events.values():
        need(event.projects, catalog.projects, meta["events"], event.id, "projects", "project")
        need(event.features, feature_ids, meta["events"], event.id, "features", "feature")
        need(event.sources, catalog.sources, meta["events"], event.id, "sources", "source")
    for figure in catalog.figures.values():
        need(figure.projects, catalog.projects, meta["figures"], figure.id, "projects", "project")
        need(figure.features, feature_ids, meta["figures"], figure.id, "features", "feature")
        need(figure.sources, catalog.sources, meta["figures"], figure.id, "sources", "source")
    maps_file = shown(root / "maps.yaml")
    for spec in catalog.maps.values():
        need(spec.layers, catalog.layers, maps_file, spec.id, "layers", "layer")
    return problems


def _metadata_files() -> dict[str, str]:
    from geo.catalog import METADATA_FILES

    return METADATA_FILES


def check_catalog(catalog: "Catalog") -> list[Problem]:
    """Geometry, position and stated-size checks over every feature."""
    outlines, problems = country_outlines(catalog.root)
    problems = list(problems)
    for layer in catalog.layers.values():
        file = display_path(layer.path, catalog.root)
        problems += check_geometries(layer.features, file)
        placed = _placed(layer.features)
        if outlines:  # without them, country_outlines has said why (once, not once per layer)
            problems += check_countries(placed, outlines, file, catalog.root)
    problems += check_measures(catalog)
    problems += check_recorded_positions(catalog)
    problems += check_alternative_sources(catalog)
    if outlines:
        for layer in catalog.layers.values():
            file = display_path(layer.path, catalog.root)
            problems += check_within_named_countries(_placed(layer.features), outlines, file)
    return problems


def _region_mask(bounds: np.ndarray) -> np.ndarray:
    """Which rows of shapely.bounds() lie wholly inside REGION_BOUNDS."""
    west, south, east, north = REGION_BOUNDS
    return (bounds[..., 0] >= west) & (bounds[..., 1] >= south) & (bounds[..., 2] <= east) & (bounds[..., 3] <= north)


def _placed(features: list["Feature"]) -> list["Feature"]:
    """The features whose position can be checked against countries: valid and inside the region."""
    if not features:
        return []
    geometries = np.array([f.geometry for f in features], dtype=object)
    ok = _region_mask(shapely.bounds(geometries)) & shapely.is_valid(geometries)
    return [feature for feature, keep in zip(features, ok.tolist()) if keep]


def _in_region(geometry: BaseGeometry) -> bool:
    return bool(_region_mask(np.asarray(geometry.bounds)))


def check_geometries(features: list["Feature"], file: str) -> list[Problem]:
    """Empty, invalid, out-of-region and wrongly wound geometries; vectorised, then a loop over the suspects."""
    problems: list[Problem] = []
    if not features:
        return problems
    geometries = np.array([f.geometry for f in features], dtype=object)
    empty = shapely.is_empty(geometries)
    valid = shapely.is_valid(geometries)
    inside = _region_mask(shapely.bounds(geometries))
    has_polygons = features[0].geometry.geom_type in ("Polygon", "MultiPolygon")
    suspects = np.flatnonzero(empty | ~valid | ~inside) if not has_polygons else range(len(features))
    for index in suspects:
        feature = features[index]
        geometry, fid = feature.geometry, feature.id
        if empty[index]:
            problems.append(Problem(file, fid, "geometry", "empty geometry"))
            continue
        if not valid[index]:
            problems.append(Problem(file, fid, "geometry", f"invalid geometry: {shapely.is_valid_reason(geometry)}"))
        if not inside[index]:
            swapped = shapely.transform(geometry, lambda xy: xy[:, ::-1])
            hint = " — it looks like lat/lon are swapped (RFC 7946 order is lon, lat)" if _in_region(swapped) else ""
            west, south, east, north = (round(v, 4) for v in geometry.bounds)
            problems.append(
                Problem(
                    file,
                    fid,
                    "geometry.coordinates",
                    f"lies outside the atlas region {REGION_BOUNDS} (lon/lat bounds {west}, {south}, {east}, {north}){hint}",
                )
            )
        for polygon in getattr(geometry, "geoms", [geometry]):
            if polygon.geom_type == "Polygon" and polygon.is_valid:
                if not polygon.exterior.is_ccw or any(ring.is_ccw for ring in polygon.interiors):
                    problems.append(
                        Problem(
                            file,
                            fid,
                            "geometry.coordinates",
                            "ring orientation breaks the RFC 7946 right-hand rule (outer rings counter-clockwise)",
                        )
                    )
                    break
    return problems


@lru_cache(maxsize=4)
def _outlines_cached(path: str, root: str, mtime: float) -> tuple[dict[str, BaseGeometry], tuple[Problem, ...]]:
    problems: list[Problem] = []
    outlines: dict[str, BaseGeometry] = {}
    shown = display_path(Path(path), Path(root))
    for index, feature in enumerate(read_geojson(Path(path), Path(root), problems)):
        try:
            geometry = shape(feature["geometry"])
            code = feature["properties"]["iso_a2"]
        except Exception as exc:  # the file is derived and should never get here: report, do not crash
            problems.append(Problem(shown, f"#{index + 1}", "-", f"not a country outline with an iso_a2 ({exc!r})"))
            continue
        shapely.prepare(geometry)
        outlines[code] = geometry
    if not outlines and not problems:
        problems.append(Problem(shown, "(file)", "-", "country outlines missing"))
    return outlines, tuple(problems)


def country_outlines(root: Path) -> tuple[dict[str, BaseGeometry], tuple[Problem, ...]]:
    """Country polygons by ISO code from the derived base layer, and the problems met reading it."""
    path = root / "base" / "countries.geojson"
    if not path.is_file():
        return {}, (Problem(display_path(path, root), "(file)", "-", "country outlines missing"),)
    return _outlines_cached(str(path), str(root), path.stat().st_mtime)


def load_country_outlines(root: Path) -> dict[str, BaseGeometry]:
    """Country polygons by ISO code, from the derived base layer ({} when it cannot be read)."""
    return country_outlines(root)[0]


def distance_m(geometry: BaseGeometry, point: BaseGeometry) -> float:
    """Geodesic distance from a point to the nearest part of a geometry (0 inside)."""
    if geometry.contains(point):
        return 0.0
    near, _ = nearest_points(geometry, point)
    return float(GEOD.inv(point.x, point.y, near.x, near.y)[2])


def check_countries(
    features: list["Feature"], outlines: dict[str, BaseGeometry], file: str, root: Path
) -> list[Problem]:
    """Each feature lies in (or, if cross-border, touches) the countries it names."""
    problems: list[Problem] = []
    if not outlines:
        return [Problem(display_path(root / "base/countries.geojson", root), "(file)", "-", "country outlines missing")]
    points = [f for f in features if f.geometry.geom_type == "Point" and len(f.properties.country) == 1]
    problems += _check_points_in_country(points, outlines, file)
    for feature in features:
        props = feature.properties
        for index, code in enumerate(props.country):
            if code not in outlines:
                problems.append(
                    Problem(file, props.id, f"country[{index}]", f"no outline for '{code}' in data/base/countries.geojson")
                )
        if feature.geometry.geom_type == "Point" and len(props.country) == 1:
            continue
        tolerance_deg = max(props.accuracy_m, OUTLINE_ERROR_M) / 111_000
        for index, code in enumerate(props.country):
            outline = outlines.get(code)
            if outline is not None and not shapely.dwithin(outline, feature.geometry, tolerance_deg):
                problems.append(
                    Problem(file, props.id, f"country[{index}]", f"the geometry does not reach {code}, which it names")
                )
        if props.kind == FeatureKind.border_checkpoint:
            problems.append(Problem(file, props.id, "country", "a border checkpoint names exactly one country"))
    return problems


def _check_points_in_country(points: list["Feature"], outlines: dict[str, BaseGeometry], file: str) -> list[Problem]:
    problems: list[Problem] = []
    by_country: dict[str, list["Feature"]] = {}
    for feature in points:
        by_country.setdefault(feature.properties.country[0], []).append(feature)
    for code, group in by_country.items():
        outline = outlines.get(code)
        if outline is None:
            continue
        xy = shapely.get_coordinates(np.array([f.geometry for f in group], dtype=object))
        inside = shapely.contains_xy(outline, xy[:, 0], xy[:, 1])
        for feature, is_inside in zip(group, inside):
            props = feature.properties
            allowed = max(props.accuracy_m, OUTLINE_ERROR_M)
            if not is_inside:
                off = distance_m(outline, feature.geometry)
                if off > allowed:
                    problems.append(
                        Problem(
                            file,
                            props.id,
                            "country",
                            f"lies {off / 1000:.1f} km outside {code} (allowed: {allowed / 1000:.1f} km from accuracy_m)",
                        )
                    )
                    continue
            if props.kind == FeatureKind.border_checkpoint:
                to_border = distance_m(outline.boundary, feature.geometry)
                limit = CHECKPOINT_MAX_FROM_BORDER_M + OUTLINE_ERROR_M
                if to_border > limit:
                    problems.append(
                        Problem(
                            file,
                            props.id,
                            "geometry",
                            f"a border checkpoint {to_border / 1000:.1f} km from the {code} border (at most {limit / 1000:.1f} km)",
                        )
                    )
    return problems


def geodesic_size(geometry: BaseGeometry, measure: Measure) -> float:
    """Length in km or area in km² on the WGS84 ellipsoid."""
    if measure == Measure.length_km:
        return GEOD.geometry_length(geometry) / 1000
    area, _ = GEOD.geometry_area_perimeter(geometry)
    return abs(area) / 1e6


def check_measures(catalog: "Catalog") -> list[Problem]:
    """Stated lengths and areas agree with the geometry within the figure's tolerance."""
    problems: list[Problem] = []
    file = display_path(catalog.root / "metadata/figures.yaml", catalog.root)
    for figure in catalog.figures.values():
        if figure.measure is None:
            continue
        try:
            feature = catalog.feature(figure.features[0])
        except KeyError:
            continue  # reported by check_references
        computed = geodesic_size(feature.geometry, figure.measure)
        off_pct = abs(computed - figure.value) / figure.value * 100
        if off_pct > (figure.tolerance_pct or 0):
            problems.append(
                Problem(
                    file,
                    figure.id,
                    "value",
                    f"states {figure.value:g} {figure.unit.value} for '{feature.id}' but its geometry measures "
                    f"{computed:.1f} {figure.unit.value} ({off_pct:.0f}% off, tolerance {figure.tolerance_pct:g}%)",
                )
            )
    return problems


def check_within_named_countries(
    features: list["Feature"], outlines: dict[str, BaseGeometry], file: str
) -> list[Problem]:
    """A line or polygon stays inside the union of the countries it names, within its tolerance.

    The tolerance is accuracy_m (never less than the outline error) plus the outline error, since
    the outlines are simplified on both sides of a border. A schematic line drawn
    straight across a third country (Almaty–Shymkent through Kyrgyzstan) is caught here; a track
    that follows the border within its accuracy is not.
    """
    problems: list[Problem] = []
    unions: dict[tuple[str, ...], BaseGeometry] = {}
    for feature in features:
        props = feature.properties
        geometry = feature.geometry
        if geometry.geom_type == "Point":
            continue  # points are checked by check_countries
        named = tuple(code for code in props.country if code in outlines)
        if not named:
            continue  # a missing outline is reported by check_countries
        union = unions.get(named)
        if union is None:
            union = shapely.union_all([outlines[code] for code in named])
            shapely.prepare(union)
            unions[named] = union
        if union.contains(geometry):
            continue
        outside = shapely.segmentize(geometry.difference(union), 0.01)  # ~1 km samples
        if outside.is_empty:
            continue
        depth = max(distance_m(union, shapely.Point(x, y)) for x, y in shapely.get_coordinates(outside))
        allowed = max(props.accuracy_m, OUTLINE_ERROR_M) + OUTLINE_ERROR_M
        if depth <= allowed:
            continue
        crossed = sorted(
            code for code, outline in outlines.items() if code not in named and outline.intersects(outside)
        )
        where = f" through {', '.join(crossed)}" if crossed else ""
        size = _outside_size(outside)
        problems.append(
            Problem(
                file,
                props.id,
                "geometry",
                f"runs {size} outside the countries it names ({', '.join(named)}){where}, up to "
                f"{depth / 1000:.1f} km beyond them (allowed: {allowed / 1000:.1f} km from accuracy_m and the outline error)",
            )
        )
    return problems


def _outside_size(outside: BaseGeometry) -> str:
    if outside.geom_type in ("Polygon", "MultiPolygon"):
        return f"{abs(GEOD.geometry_area_perimeter(outside)[0]) / 1e6:.1f} km²"
    return f"{GEOD.geometry_length(outside) / 1000:.1f} km"


def position_spread_m(geometry: BaseGeometry, positions: Iterable) -> tuple[float, object | None]:
    """The largest distance from the geometry to a recorded position, and that position."""
    worst, where = 0.0, None
    for position in positions:
        point = shapely.Point(position.lon, position.lat)
        if geometry.geom_type == "Point":
            off = float(GEOD.inv(geometry.x, geometry.y, point.x, point.y)[2])
        else:
            off = distance_m(geometry, point)
        if off > worst:
            worst, where = off, position
    return worst, where


def check_recorded_positions(catalog: "Catalog") -> list[Problem]:
    """A feature's accuracy_m covers the coordinates its independent sources give; each names a source."""
    problems: list[Problem] = []
    for layer in catalog.layers.values():
        file = display_path(layer.path, catalog.root)
        placed = {id(feature) for feature in _placed(layer.features)}
        for feature in layer.features:
            props = feature.properties
            for index, position in enumerate(props.positions):
                if position.source not in catalog.sources:
                    problems.append(
                        Problem(file, props.id, f"positions[{index}].source", f"unknown source id '{position.source}'")
                    )
                elif position.source not in props.sources:
                    problems.append(
                        Problem(
                            file,
                            props.id,
                            f"positions[{index}].source",
                            f"'{position.source}' is not among the feature's sources, so its attribution would not reach maps and exports",
                        )
                    )
            if not props.positions or id(feature) not in placed:
                continue  # a misplaced geometry is reported by check_geometries; its spread would only repeat it
            spread, where = position_spread_m(feature.geometry, props.positions)
            if spread > props.accuracy_m:
                problems.append(
                    Problem(
                        file,
                        props.id,
                        "accuracy_m",
                        f"is {props.accuracy_m:g} m but {where.ref} ({where.source}) puts it "
                        f"{spread:.0f} m from the geometry; the accuracy must cover the recorded positions",
                    )
                )
    return problems


def check_alternative_sources(catalog: "Catalog") -> list[Problem]:
    """Every source an alternative figure value names exists."""
    problems: list[Problem] = []
    file = display_path(catalog.root / "metadata/figures.yaml", catalog.root)
    for figure in catalog.figures.values():
        for index, alternative in enumerate(figure.alternatives):
            for position, ref in enumerate(alternative.sources):
                if ref not in catalog.sources:
                    problems.append(
                        Problem(file, figure.id, f"alternatives[{index}].sources[{position}]", f"unknown source id '{ref}'")
                    )
    return problems


def measured_size(catalog: "Catalog", figure) -> float | None:
    """The size a figure with a `measure` states, as its feature's geometry measures it (None otherwise)."""
    if figure.measure is None:
        return None
    try:
        feature = catalog.feature(figure.features[0])
    except KeyError:
        return None
    return round(geodesic_size(feature.geometry, figure.measure), 1)
