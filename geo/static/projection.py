"""The map's extent in lon/lat and a Lambert conformal conic fitted to it, through pyproj.

Why a conic: the atlas's maps are mid-latitude regions (30°-58° N) wider than tall, which a
Lambert conformal conic with standard parallels at 1/6 and 5/6 of the latitude span shows with
a scale error under about 1% and true shapes; Web Mercator would stretch Kazakhstan's north by a
third against the south. The projection is stated on the sheet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import shapely
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

from geo.messages import N_
from geo.models import MapSpec

# A web map's view (centre and zoom) shows about this many CSS pixels; the sheet shows the same region.
WEB_VIEW_PX = (1024, 700)
TILE_PX = 256
PADDING = 0.08  # of the features' span on each side, so edge symbols and labels stay on the sheet
MIN_SPAN_DEG = 1.0
LAMBERT = N_(
    "Lambert conformal conic, standard parallels {lat_1}° N and {lat_2}° N, central meridian {lon_0}° E, WGS 84"
)


@dataclass(frozen=True)
class Extent:
    west: float
    south: float
    east: float
    north: float

    @property
    def centre(self) -> tuple[float, float]:
        return (self.west + self.east) / 2, (self.south + self.north) / 2


def map_extent(spec: MapSpec, geometries: list[BaseGeometry]) -> Extent:
    """The region a map shows: its declared view (as a web window sees it) or its features, padded."""
    if spec.view is not None:
        lon, lat = spec.view.lon, spec.view.lat
        lon_span = WEB_VIEW_PX[0] * 360.0 / (TILE_PX * 2**spec.view.zoom)
        lat_span = lon_span * WEB_VIEW_PX[1] / WEB_VIEW_PX[0] * math.cos(math.radians(lat))
        return Extent(lon - lon_span / 2, lat - lat_span / 2, lon + lon_span / 2, lat + lat_span / 2)
    if not geometries:
        return Extent(55.0, 37.0, 83.0, 52.0)  # the atlas region, as the web map falls back to
    west, south, east, north = shapely.total_bounds(np.asarray(geometries, dtype=object)).tolist()
    pad_x = max((east - west) * PADDING, (MIN_SPAN_DEG - (east - west)) / 2, 0.1)
    pad_y = max((north - south) * PADDING, (MIN_SPAN_DEG - (north - south)) / 2, 0.1)
    return Extent(west - pad_x, south - pad_y, east + pad_x, north + pad_y)


@dataclass(frozen=True)
class Projection:
    """A Lambert conformal conic for one extent, with forward transforms for arrays and geometries."""

    crs: CRS
    lat_1: float
    lat_2: float
    lon_0: float
    lat_0: float

    @classmethod
    def fitted(cls, extent: Extent) -> Projection:
        span = extent.north - extent.south
        lat_1, lat_2 = extent.south + span / 6, extent.south + 5 * span / 6
        lon_0, lat_0 = (round(v, 2) for v in extent.centre)
        lat_1, lat_2 = round(lat_1, 2), round(lat_2, 2)
        crs = CRS.from_proj4(
            f"+proj=lcc +lat_1={lat_1} +lat_2={lat_2} +lat_0={lat_0} +lon_0={lon_0} +datum=WGS84 +units=m +no_defs"
        )
        return cls(crs, lat_1, lat_2, lon_0, lat_0)

    @cached_property
    def _forward(self) -> Transformer:
        return Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)

    def xy(self, lon: np.ndarray, lat: np.ndarray, inplace: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """Project lon/lat arrays to metres (inplace: into the given contiguous float arrays, no copy)."""
        x, y = self._forward.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float), inplace=inplace)
        return np.asarray(x), np.asarray(y)

    def geometries(self, geometries: np.ndarray) -> np.ndarray:
        """Project shapely geometries (vectorised over all their coordinates at once)."""
        transformer = self._forward
        projected: np.ndarray = shapely.transform(
            geometries, lambda coords: np.column_stack(transformer.transform(coords[:, 0], coords[:, 1]))
        )
        return projected

    def inverse(self, x: float, y: float) -> tuple[float, float]:
        """Metres back to (lon, lat)."""
        lon, lat = Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True).transform(x, y)
        return float(lon), float(lat)

    def scale_factor(self, lon: float, lat: float) -> float:
        """The projection's scale at a point (1 on the standard parallels), for a true scale bar."""
        from pyproj import Proj

        return float(Proj(self.crs).get_factors(lon, lat).parallel_scale)

    def describe(self, lang: str = "en") -> str:
        from geo.formatting import format_number
        from geo.messages import translate

        degrees = {
            k: format_number(round(v, 2), lang)
            for k, v in (("lat_1", self.lat_1), ("lat_2", self.lat_2), ("lon_0", self.lon_0))
        }
        return translate(lang, LAMBERT).format(**degrees)


def fit_limits(
    extent: Extent, projection: Projection, frame_aspect: float
) -> tuple[tuple[float, float], tuple[float, float]]:
    """(xlim, ylim) in metres covering the extent, widened to the map frame's width/height ratio."""
    lons = np.concatenate([np.linspace(extent.west, extent.east, 21)] * 2 + [[extent.west] * 21, [extent.east] * 21])
    lats = np.concatenate(
        [
            [extent.south] * 21,
            [extent.north] * 21,
            np.linspace(extent.south, extent.north, 21),
            np.linspace(extent.south, extent.north, 21),
        ]
    )
    x, y = projection.xy(lons, lats)
    x0, x1, y0, y1 = float(x.min()), float(x.max()), float(y.min()), float(y.max())
    width, height = x1 - x0, y1 - y0
    if width / height < frame_aspect:
        grow = (height * frame_aspect - width) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = (width / frame_aspect - height) / 2
        y0, y1 = y0 - grow, y1 + grow
    return (x0, x1), (y0, y1)
