"""What a feature's geometry measures: geodesic lengths and areas on the WGS 84 ellipsoid.

Shared by the checks (a stated 152 km against the line drawn) and the outputs that show the
measured size beside the stated one (map popups, export tables), so neither depends on the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pyproj import Geod
from shapely.geometry.base import BaseGeometry

from geo.models import Figure, Measure

if TYPE_CHECKING:
    from geo.catalog import Catalog

GEOD = Geod(ellps="WGS84")


def geodesic_size(geometry: BaseGeometry, measure: Measure) -> float:
    """Length in km or area in km² on the WGS84 ellipsoid."""
    if measure == Measure.length_km:
        return GEOD.geometry_length(geometry) / 1000
    area, _ = GEOD.geometry_area_perimeter(geometry)
    return abs(area) / 1e6


def measured_size(catalog: Catalog, figure: Figure) -> float | None:
    """The size a figure with a `measure` states, as its feature's geometry measures it (None otherwise)."""
    if figure.measure is None:
        return None
    try:
        feature = catalog.feature(figure.features[0])
    except KeyError:
        return None
    return round(geodesic_size(feature.geometry, figure.measure), 1)
