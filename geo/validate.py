"""Checks beyond the schema and the references: geometries are valid and lie where the data says.

Downstream of the catalog: `validate_catalog(catalog)` returns every problem found; it never
reads files (the catalog has read them, country outlines included).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry.base import BaseGeometry
from shapely.ops import nearest_points

from geo.errors import Problem
from geo.models import FeatureKind, Measure

if TYPE_CHECKING:
    from geo.catalog import Catalog, Feature

GEOD = Geod(ellps="WGS84")

Bounds = tuple[float, float, float, float]  # west, south, east, north (lon/lat degrees)

# The country outlines are simplified (see data/base/provenance.json); allow for that.
OUTLINE_ERROR_M = 1_500.0

# A border checkpoint sits at its border: "within a few km".
CHECKPOINT_MAX_FROM_BORDER_M = 5_000.0


def validate_catalog(catalog: Catalog) -> list[Problem]:
    """Geometry, position and stated-size checks over every feature of a loaded catalog."""
    problems: list[Problem] = []
    bounds = catalog.atlas.region_bounds if catalog.atlas else None
    outlines = {iso: country.geometry for iso, country in catalog.countries.items()}
    countries_file = catalog.shown_file("countries")
    for layer in catalog.layers.values():
        file = catalog.shown(layer.path)
        if bounds is not None:
            problems += check_geometries(layer.features, file, bounds)
            problems += check_countries(_placed(layer.features, bounds), outlines, file, countries_file)
    problems += check_measures(catalog)
    return problems


def _region_mask(bounds: np.ndarray, region: Bounds) -> np.ndarray:
    """Which rows of shapely.bounds() lie wholly inside the region."""
    west, south, east, north = region
    return (bounds[..., 0] >= west) & (bounds[..., 1] >= south) & (bounds[..., 2] <= east) & (bounds[..., 3] <= north)


def _placed(features: list[Feature], region: Bounds) -> list[Feature]:
    """The features whose position can be checked against countries: valid and inside the region."""
    if not features:
        return []
    geometries = np.array([f.geometry for f in features], dtype=object)
    ok = _region_mask(shapely.bounds(geometries), region) & shapely.is_valid(geometries)
    return [feature for feature, keep in zip(features, ok.tolist()) if keep]


def check_geometries(features: list[Feature], file: str, region: Bounds) -> list[Problem]:
    """Empty, invalid, out-of-region and wrongly wound geometries; vectorised, then a loop over the suspects."""
    problems: list[Problem] = []
    if not features:
        return problems
    geometries = np.array([f.geometry for f in features], dtype=object)
    empty = shapely.is_empty(geometries)
    valid = shapely.is_valid(geometries)
    inside = _region_mask(shapely.bounds(geometries), region)
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
            swapped_inside = bool(_region_mask(np.asarray(swapped.bounds), region))
            hint = " — it looks like lat/lon are swapped (RFC 7946 order is lon, lat)" if swapped_inside else ""
            west, south, east, north = (round(v, 4) for v in geometry.bounds)
            problems.append(
                Problem(
                    file,
                    fid,
                    "geometry.coordinates",
                    f"lies outside the atlas region {region} (lon/lat bounds {west}, {south}, {east}, {north}){hint}",
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


def distance_m(geometry: BaseGeometry, point: BaseGeometry) -> float:
    """Geodesic distance from a point to the nearest part of a geometry (0 inside)."""
    if geometry.contains(point):
        return 0.0
    near, _ = nearest_points(geometry, point)
    return float(GEOD.inv(point.x, point.y, near.x, near.y)[2])


def check_countries(
    features: list[Feature], outlines: dict[str, BaseGeometry], file: str, countries_file: str
) -> list[Problem]:
    """Each feature lies in (or, if cross-border, touches) the countries it names."""
    problems: list[Problem] = []
    if not outlines:  # the catalog has said why, once
        return problems
    points = [f for f in features if f.geometry.geom_type == "Point" and len(f.properties.country) == 1]
    problems += _check_points_in_country(points, outlines, file)
    for feature in features:
        props = feature.properties
        for index, code in enumerate(props.country):
            if code not in outlines:
                problems.append(
                    Problem(file, props.id, f"country[{index}]", f"no outline for '{code}' in {countries_file}")
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


def _check_points_in_country(points: list[Feature], outlines: dict[str, BaseGeometry], file: str) -> list[Problem]:
    problems: list[Problem] = []
    by_country: dict[str, list[Feature]] = {}
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


def check_measures(catalog: Catalog) -> list[Problem]:
    """Stated lengths and areas agree with the geometry within the figure's tolerance."""
    problems: list[Problem] = []
    file = catalog.shown_file("figures")
    for figure in catalog.figures.values():
        if figure.measure is None:
            continue
        try:
            feature = catalog.feature(figure.features[0])
        except KeyError:
            continue  # reported by geo.references
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
