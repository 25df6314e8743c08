"""Checks beyond the schema and the references: geometries are valid and lie where the data says.

Downstream of the catalog: `validate_catalog(catalog)` returns every problem found; it never
reads files (the catalog has read them, country outlines included).
"""

from __future__ import annotations

from collections.abc import Iterable
from itertools import chain, compress, repeat
from operator import attrgetter, eq
from typing import TYPE_CHECKING

import numpy as np
import shapely
from shapely.geometry.base import BaseGeometry

from geo.errors import DataError, Problem
from geo.measures import GEOD, geodesic_size
from geo.models import EventKind, FeatureKind, RecordedPosition, Status

if TYPE_CHECKING:
    from geo.catalog import Catalog
    from geo.layer_file import Feature


Bounds = tuple[float, float, float, float]  # west, south, east, north (lon/lat degrees)

# The country outlines are simplified (see data/base/provenance.json); allow for that.
OUTLINE_ERROR_M = 1_500.0

# Feature fields read over whole layers, by C-level getters.
_GEOMETRY = attrgetter("geometry")
_COUNTRY = attrgetter("properties.country")
_ACCURACY = attrgetter("properties.accuracy_m")
_KIND = attrgetter("properties.kind")
_POSITIONS = attrgetter("properties.positions")

# A border checkpoint sits at its border: "within a few km".
CHECKPOINT_MAX_FROM_BORDER_M = 5_000.0
# The most metres a degree spans on the WGS84 ellipsoid, north-south near a pole (111,694 m; east-west
# at most 111,320 m): no line d degrees long, in longitude and latitude, is longer than d times this.
MAX_METRES_PER_DEGREE = 111_700.0


def validated(read: tuple[Catalog, list[Problem]], *, translations: bool = False) -> Catalog:
    """A catalog fit to build from: a reader's (catalog, problems), checked by validate_catalog.

    The one place where load -> validate is composed (the CLI's commands, `geo pull`): the
    reader's problems and the checks' are raised together in one DataError, so one run reports
    everything. `translations`: also refuse a missing or outdated translation (geo validate).
    """
    problems = problems_of(read, translations=translations)
    if problems:
        raise DataError(problems)
    return read[0]


def problems_of(read: tuple[Catalog, list[Problem]], *, translations: bool = False) -> list[Problem]:
    """Every problem of a reader's (catalog, problems): the reader's, then validate_catalog's (and,
    with `translations`, the missing or outdated translations). `validated` raises them; `geo build`
    runs this beside drawing the maps and raises them before it writes anything."""
    catalog, problems = read
    problems = [*problems, *validate_catalog(catalog)]
    if translations:
        from geo.translation_checks import translation_problems

        # A record the schema refused is missing from the catalog: its translations are no orphans.
        problems += translation_problems(catalog, orphans=not problems)
    return problems


def validate_catalog(catalog: Catalog) -> list[Problem]:
    """Geometry, position and stated-size checks over every feature of a loaded catalog."""
    problems: list[Problem] = []
    bounds = catalog.atlas.region_bounds if catalog.atlas else None
    outlines = {iso: country.geometry for iso, country in catalog.countries.items()}
    countries_file = catalog.shown_file("countries")
    placed: dict[str, list[Feature]] = {}
    for layer in catalog.layers.values():
        file = layer.shown
        if bounds is not None:
            geometries = _geometries(layer.features)
            valid = shapely.is_valid(geometries)  # computed once: it is the dearest test of lines and areas
            problems += check_geometries(layer.features, file, bounds, geometries, valid)
            placed[layer.id] = _placed(layer.features, bounds, geometries, valid)
            problems += check_countries(placed[layer.id], outlines, file, countries_file)
    problems += check_measures(catalog)
    problems += check_recorded_positions(catalog)
    problems += check_status_dates(catalog)
    problems += check_event_dates(catalog)
    if outlines and bounds is not None:
        for layer in catalog.layers.values():
            problems += check_within_named_countries(placed[layer.id], outlines, layer.shown)
    return problems


def _region_mask(bounds: np.ndarray, region: Bounds) -> np.ndarray:
    """Which rows of shapely.bounds() lie wholly inside the region."""
    west, south, east, north = region
    return (bounds[..., 0] >= west) & (bounds[..., 1] >= south) & (bounds[..., 2] <= east) & (bounds[..., 3] <= north)


def _placed(
    features: list[Feature], region: Bounds, geometries: np.ndarray | None = None, valid: np.ndarray | None = None
) -> list[Feature]:
    """The features whose position can be checked against countries: valid and inside the region."""
    if not features:
        return []
    geometries = _geometries(features) if geometries is None else geometries
    valid = shapely.is_valid(geometries) if valid is None else valid
    ok = _region_mask(shapely.bounds(geometries), region) & valid
    return list(compress(features, ok.tolist()))


def _geometries(features: list[Feature]) -> np.ndarray:
    """The features' geometries as one array (a map over attrgetter: a layer may hold millions)."""
    return np.fromiter(map(_GEOMETRY, features), dtype=object, count=len(features))


def check_geometries(
    features: list[Feature], file: str, region: Bounds, geometries: np.ndarray, valid: np.ndarray
) -> list[Problem]:
    """Empty, invalid, out-of-region and wrongly wound geometries; vectorised, then a loop over the suspects.

    `geometries` and `valid` are the features' geometries and their shapely.is_valid, computed
    once per layer by the caller (the dearest test of lines and areas)."""
    problems: list[Problem] = []
    if not features:
        return problems
    empty = shapely.is_empty(geometries)
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
    return float(distances_m(geometry, np.array([point], dtype=object))[0])


def distances_m(geometry: BaseGeometry, points: np.ndarray) -> np.ndarray:
    """distance_m to many points outside (or on the edge of) the geometry, in one call each to GEOS and pyproj."""
    if not len(points):
        return np.zeros(0)
    ends = shapely.get_coordinates(shapely.shortest_line(geometry, points)).reshape(-1, 2, 2)
    return np.asarray(GEOD.inv(ends[:, 1, 0], ends[:, 1, 1], ends[:, 0, 0], ends[:, 0, 1])[2], dtype=float)


def check_countries(
    features: list[Feature], outlines: dict[str, BaseGeometry], file: str, countries_file: str
) -> list[Problem]:
    """Each feature lies in (or, if cross-border, touches) the countries it names.

    Vectorised per country (one shapely call for all its features); the problems are then put
    back in the order of the features.
    """
    if not outlines:  # the catalog has said why, once
        return []
    geometries = _geometries(features)
    countries = list(map(_COUNTRY, features))
    one_point = (shapely.get_type_id(geometries) == 0) & (
        np.fromiter(map(len, countries), dtype=int, count=len(features)) == 1
    )
    problems = _check_points_in_country(list(compress(features, one_point.tolist())), outlines, file)
    found: list[tuple[int, int, Problem]] = []  # (feature's position, the check's order, problem)
    named = set(chain.from_iterable(countries))
    if not named <= outlines.keys():
        for position, feature in enumerate(features):
            for index, code in enumerate(feature.properties.country):
                if code not in outlines:
                    message = f"no outline for '{code}' in {countries_file}"
                    found.append((position, index, Problem(file, feature.id, f"country[{index}]", message)))
    reaching: dict[str, list[tuple[int, int]]] = {}  # code -> (feature's position, index in its country list)
    for position in np.flatnonzero(~one_point).tolist():
        props = features[position].properties
        for index, code in enumerate(props.country):
            if code in outlines:
                reaching.setdefault(code, []).append((position, index))
        if props.kind == FeatureKind.border_checkpoint:
            message = "a border checkpoint names exactly one country"
            found.append((position, 2 * len(props.country), Problem(file, props.id, "country", message)))
    for code, members in reaching.items():
        member_features = [features[position] for position, _ in members]
        tolerance_deg = np.array([max(f.properties.accuracy_m, OUTLINE_ERROR_M) for f in member_features]) / 111_000
        reaches = shapely.dwithin(
            outlines[code], np.array([f.geometry for f in member_features], dtype=object), tolerance_deg
        )
        for (position, index), feature, ok in zip(members, member_features, reaches.tolist()):
            if not ok:
                message = f"the geometry does not reach {code}, which it names"
                found.append(
                    (
                        position,
                        len(feature.properties.country) + index,
                        Problem(file, feature.id, f"country[{index}]", message),
                    )
                )
    return problems + [problem for _, _, problem in sorted(found, key=lambda item: (item[0], item[1]))]


def _check_points_in_country(points: list[Feature], outlines: dict[str, BaseGeometry], file: str) -> list[Problem]:
    """Points of one named country: inside it, or within their accuracy of it; checkpoints at its border."""
    problems: list[Problem] = []
    by_country: dict[str, list[Feature]] = {}
    for feature, (code,) in zip(points, map(_COUNTRY, points)):
        by_country.setdefault(code, []).append(feature)
    for code, group in by_country.items():
        outline = outlines.get(code)
        if outline is None:
            continue
        geometries = _geometries(group)
        xy = shapely.get_coordinates(geometries)
        outside = np.flatnonzero(~shapely.contains_xy(outline, xy[:, 0], xy[:, 1]))
        off = np.zeros(len(group))
        off[outside] = distances_m(outline, geometries[outside])
        allowed = np.maximum(np.fromiter(map(_ACCURACY, group), dtype=float, count=len(group)), OUTLINE_ERROR_M)
        too_far = off > allowed
        kinds = map(eq, map(_KIND, group), repeat(FeatureKind.border_checkpoint))
        checkpoints = np.fromiter(kinds, dtype=bool, count=len(group)) & ~too_far
        to_border = np.zeros(len(group))
        limit = CHECKPOINT_MAX_FROM_BORDER_M + OUTLINE_ERROR_M
        if checkpoints.any():
            border = outline.boundary
            shapely.prepare(border)
            # Measured only where it may exceed the limit: a checkpoint within limit / MAX_METRES_PER_DEGREE
            # degrees of the border is within the limit of it (no degree is longer), a test of the
            # prepared border per point instead of a nearest point on it and a geodesic each.
            far = np.flatnonzero(checkpoints)
            far = far[~shapely.dwithin(border, geometries[far], limit / MAX_METRES_PER_DEGREE)]
            to_border[far] = distances_m(border, geometries[far])
        for index in np.flatnonzero(too_far | (to_border > limit)).tolist():
            props = group[index].properties
            if too_far[index]:
                message = f"lies {off[index] / 1000:.1f} km outside {code} (allowed: {allowed[index] / 1000:.1f} km from accuracy_m)"
                problems.append(Problem(file, props.id, "country", message))
            else:
                problems.append(
                    Problem(
                        file,
                        props.id,
                        "geometry",
                        f"a border checkpoint {to_border[index] / 1000:.1f} km from the {code} border (at most {limit / 1000:.1f} km)",
                    )
                )
    return problems


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


def check_within_named_countries(
    features: list[Feature], outlines: dict[str, BaseGeometry], file: str
) -> list[Problem]:
    """A line or polygon stays inside the union of the countries it names, within its tolerance.

    The tolerance is accuracy_m (never less than the outline error) plus the outline error, since
    the outlines are simplified on both sides of a border. A schematic line drawn
    straight across a third country (Almaty–Shymkent through Kyrgyzstan) is caught here; a track
    that follows the border within its accuracy is not.
    """
    problems: list[Problem] = []
    if not features:
        return problems
    geometries = _geometries(features)
    groups: dict[tuple[str, ...], list[int]] = {}
    for position in np.flatnonzero(shapely.get_type_id(geometries) != 0).tolist():  # points: check_countries
        named = tuple(code for code in features[position].properties.country if code in outlines)
        if named:  # a missing outline is reported by check_countries
            groups.setdefault(named, []).append(position)
    suspects: list[tuple[int, tuple[str, ...], BaseGeometry]] = []
    for named, positions in groups.items():
        union = _union_around(outlines, named, geometries[positions])
        inside = shapely.contains(union, geometries[positions])
        suspects += [(position, named, union) for position, ok in zip(positions, inside.tolist()) if not ok]
    for position, named, union in sorted(suspects, key=lambda suspect: suspect[0]):
        feature = features[position]
        props = feature.properties
        measured = None if union.is_empty else _outside_and_depth(feature.geometry, union)
        if measured is None or (len(named) > 1 and measured[1] >= UNION_MARGIN_M):
            # The countries may lie beyond the cut (a single country is never cut): the whole union.
            union = shapely.union_all([outlines[code] for code in named])
            measured = _outside_and_depth(feature.geometry, union)
        outside, depth = measured
        if outside.is_empty:
            continue
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


# The named countries' union is cut to the features' bounds this many degrees wider: within it,
# the part of a feature outside the countries and its distance from them up to UNION_MARGIN_M are
# those of the union whole (2 degrees of longitude span over 110 km up to 60 degrees north).
UNION_MARGIN_DEG = 2.0
UNION_MARGIN_M = 100_000.0


def _union_around(outlines: dict[str, BaseGeometry], named: tuple[str, ...], geometries: np.ndarray) -> BaseGeometry:
    """The named countries' union where the geometries lie: each outline clipped to their bounds
    (UNION_MARGIN_DEG wider) before the union, a fraction of the work of the whole outlines'.

    A geometry inside that box is inside the union exactly when it is inside the union's part in
    the box. A single country needs no union at all (its outline is prepared by the base layer).
    """
    if len(named) == 1:
        return outlines[named[0]]
    west, south, east, north = shapely.total_bounds(geometries).tolist()
    margin = UNION_MARGIN_DEG
    box = (west - margin, south - margin, east + margin, north + margin)
    union = shapely.union_all([shapely.clip_by_rect(outlines[code], *box) for code in named])
    shapely.prepare(union)
    return union


def _outside_and_depth(geometry: BaseGeometry, union: BaseGeometry) -> tuple[BaseGeometry, float]:
    """The part of a geometry outside the union (sampled about every km) and how far it reaches."""
    outside = shapely.segmentize(geometry.difference(union), 0.01)  # ~1 km samples
    if outside.is_empty:
        return outside, 0.0
    return outside, max(distance_m(union, shapely.Point(x, y)) for x, y in shapely.get_coordinates(outside))


def _outside_size(outside: BaseGeometry) -> str:
    if outside.geom_type in ("Polygon", "MultiPolygon"):
        return f"{abs(GEOD.geometry_area_perimeter(outside)[0]) / 1e6:.1f} km²"
    return f"{GEOD.geometry_length(outside) / 1000:.1f} km"


def position_spread_m(
    geometry: BaseGeometry, positions: Iterable[RecordedPosition]
) -> tuple[float, RecordedPosition | None]:
    """The largest distance from the geometry to a recorded position, and that position."""
    worst = 0.0
    where: RecordedPosition | None = None
    for position in positions:
        point = shapely.Point(position.lon, position.lat)
        if geometry.geom_type == "Point":
            off = float(GEOD.inv(geometry.x, geometry.y, point.x, point.y)[2])
        else:
            off = distance_m(geometry, point)
        if off > worst:
            worst, where = off, position
    return worst, where


def check_recorded_positions(catalog: Catalog) -> list[Problem]:
    """A feature's accuracy_m covers the coordinates its independent sources give; each is one of its sources.

    Unknown source ids are geo.references' to report; here a known source that the feature does
    not cite would keep its attribution from the maps and exports.
    """
    problems: list[Problem] = []
    bounds = catalog.atlas.region_bounds if catalog.atlas else None
    for layer in catalog.layers.values():
        file = layer.shown
        recorded = list(compress(layer.features, map(_POSITIONS, layer.features)))
        placed = {id(feature) for feature in _placed(recorded, bounds)} if bounds else set()
        for feature in recorded:
            props = feature.properties
            for index, position in enumerate(props.positions):
                if position.source in catalog.sources and position.source not in props.sources:
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
                assert where is not None  # a spread above zero comes with the position it was measured to
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


def _status_date_problems(
    file: str, record: str, status: Status | None, as_of: str | None, sources: list[str]
) -> list[Problem]:
    if status is None:
        return []
    problems = []
    if as_of is None:
        problems.append(
            Problem(
                file,
                record,
                "status_as_of",
                f"status '{status.value}' has no as-of date: say when a source reported it",
            )
        )
    if not sources:
        problems.append(
            Problem(
                file,
                record,
                "status_sources",
                f"status '{status.value}' names no source: list the sources that report it",
            )
        )
    return problems


def check_status_dates(catalog: Catalog) -> list[Problem]:
    """Every status is true as of a date and says which sources report it (features and projects)."""
    problems: list[Problem] = []
    for layer in catalog.layers.values():
        file = layer.shown
        properties = list(map(attrgetter("properties"), layer.features))
        for props in compress(properties, map(attrgetter("status"), properties)):
            problems += _status_date_problems(file, props.id, props.status, props.status_as_of, props.status_sources)
    projects_file = catalog.shown_file("projects")
    for project in catalog.projects.values():
        problems += _status_date_problems(
            projects_file, project.id, project.status, project.status_as_of, project.status_sources
        )
    return problems


# Kinds that say something has happened: a source cannot report it before it took place.
DONE_KINDS = frozenset({EventKind.signed, EventKind.ratified, EventKind.adopted})


def _first_day(date: str) -> str:
    """The earliest day a partial ISO date can mean ('2024' -> '2024-01-01')."""
    return date + "-01-01"[len(date) - 4 :] if len(date) < 10 else date


def _last_day(date: str) -> str:
    """The latest day a partial ISO date can mean ('2024' -> '2024-12-31', '2024-02' -> '2024-02-31'):
    compared as text, a day past the month's end still sorts before the next month."""
    return date + "-12-31"[len(date) - 4 :] if len(date) < 10 else date


def check_event_dates(catalog: Catalog) -> list[Problem]:
    """An event of a kind that reports something done (signed, ratified, adopted) cannot lie after
    the newest source reporting it, unless it is marked `planned`: such a date is a typo or a plan."""
    problems: list[Problem] = []
    file = catalog.shown_file("events")
    for event in catalog.events.values():
        if event.kind not in DONE_KINDS or event.planned or event.date is None:
            continue
        dates = [date for i in event.sources if i in catalog.sources and (date := catalog.sources[i].published)]
        if not dates:
            continue  # no source says when it reported the event
        newest = max(dates, key=_last_day)
        if _first_day(event.date) > _last_day(newest):
            problems.append(
                Problem(
                    file,
                    event.id,
                    "date",
                    f"a '{event.kind.value}' event dated {event.date} lies after the newest source reporting it "
                    f"({newest}); mark it `planned: true` if the sources report it as scheduled",
                )
            )
    return problems
