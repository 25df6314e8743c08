"""Geometry rules shared by every format: lon/lat, 6 decimals, counter-clockwise outer rings.

Six decimal places of a degree are about 0.11 m at the equator. The atlas stores coordinates
with at most 4 decimals (about 11 m) and no feature claims an accuracy finer than that, so 6
decimals loses nothing today and leaves room for finer data, while keeping the text formats
(GeoJSON, CSV, KML) free of float noise such as 69.21700000000001. Rounding is applied once,
to the geometries every format writes, so all formats carry the same coordinates.
"""

from __future__ import annotations

import math

import numpy as np
import shapely

from geo.export.errors import ExportUsageError

COORDINATE_DECIMALS = 6
CRS = "EPSG:4326"

BBox = tuple[float, float, float, float]


def prepare_geometries(geometries: np.ndarray) -> np.ndarray:
    """Round to COORDINATE_DECIMALS and orient polygons by the right-hand rule (outer ring CCW), vectorised."""
    rounded = shapely.transform(geometries, lambda coords: np.round(coords, COORDINATE_DECIMALS))
    oriented: np.ndarray = shapely.orient_polygons(rounded, exterior_cw=False)
    return oriented


def check_bbox(bbox: BBox | None) -> BBox | None:
    """Reject a box that cannot be meant: not finite, outside lon/lat, or west >= east / south >= north."""
    if bbox is None:
        return None
    if len(bbox) != 4 or not all(isinstance(v, (int, float)) and math.isfinite(v) for v in bbox):
        raise ExportUsageError(f"--bbox needs four finite numbers WEST SOUTH EAST NORTH, got {bbox!r}")
    west, south, east, north = (float(v) for v in bbox)
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= 90 and -90 <= north <= 90):
        raise ExportUsageError(f"--bbox {west} {south} {east} {north} is outside lon -180..180 / lat -90..90")
    if west >= east or south >= north:
        raise ExportUsageError(
            f"--bbox {west} {south} {east} {north}: WEST must be less than EAST and SOUTH less than NORTH "
            "(boxes across the antimeridian are not supported)"
        )
    return (west, south, east, north)


def bbox_mask(geometries: np.ndarray, bbox: BBox | None) -> np.ndarray:
    """True for each geometry that intersects the box (touching its edge counts)."""
    if bbox is None:
        return np.ones(len(geometries), dtype=bool)
    inside: np.ndarray = shapely.intersects(geometries, shapely.box(*bbox))
    return inside
