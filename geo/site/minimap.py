"""A small static map of one feature as inline SVG: the country outlines around it and the feature.

Drawn here rather than by the sheet renderer: one sheet per feature would cost a second each,
and a page needs only where the thing is, at a glance. Plate carrée scaled by cos(latitude) at
the centre (true shapes at this size), the feature in its kind's colour, an approximate position
with its circle of accuracy. Coordinates are rounded to 0.1 px, so the bytes are stable.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import shapely
from shapely.geometry import box

from geo.site.page import esc

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from geo.base_layer import Country

WIDTH, HEIGHT = 480, 320
MIN_SPAN_DEG = 2.4  # a point's map shows about 250 km across: enough to see its neighbours
METRES_PER_DEG = 111_320.0


def _frame(geometry: BaseGeometry, accuracy_m: float) -> tuple[float, float, float, float, float]:
    """(west, south, east, north, x scale) of the map around the geometry, in the panel's aspect."""
    west, south, east, north = geometry.bounds
    pad = accuracy_m / METRES_PER_DEG
    west, south, east, north = west - pad, south - pad, east + pad, north + pad
    lat0 = (south + north) / 2
    kx = math.cos(math.radians(lat0))
    cx, cy = (west + east) / 2, lat0
    span_y = max(north - south, (east - west) * kx * HEIGHT / WIDTH, MIN_SPAN_DEG * HEIGHT / WIDTH) * 1.25
    span_x = span_y * WIDTH / HEIGHT / kx
    return cx - span_x / 2, cy - span_y / 2, cx + span_x / 2, cy + span_y / 2, kx


def _path(geometry: BaseGeometry, to_px: object, closed: bool) -> str:
    parts = []
    for part in shapely.get_parts(geometry):
        rings = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
        for ring in rings:
            coords = [to_px(x, y) for x, y in ring.coords]  # type: ignore[operator]
            if len(coords) < 2:
                continue
            parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in coords) + ("Z" if closed else ""))
    return "".join(parts)


def minimap_svg(
    geometry: BaseGeometry,
    accuracy_m: float,
    colour: str,
    countries: dict[str, Country],
    label: str,
    element_id: str,
) -> str:
    """The SVG element (role img, titled by `label`) for one feature."""
    west, south, east, north, _ = _frame(geometry, accuracy_m)
    sx, sy = WIDTH / (east - west), HEIGHT / (north - south)

    def to_px(x: float, y: float) -> tuple[float, float]:
        return (x - west) * sx, (north - y) * sy

    frame = box(west, south, east, north)
    shapes = []
    names = []
    for code in sorted(countries):
        country = countries[code]
        clipped = shapely.clip_by_rect(country.geometry, west, south, east, north)
        if clipped.is_empty:
            continue
        shapes.append(f'<path d="{_path(clipped, to_px, True)}" fill="#f4efe4" stroke="#8c8070" stroke-width="0.8"/>')
        if clipped.area > frame.area * 0.06:
            anchor = clipped.representative_point()
            x, y = to_px(anchor.x, anchor.y)
            names.append(
                f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" font-size="12" fill="#5e5548">{esc(country.name.upper())}</text>'
            )
    kind = geometry.geom_type
    if kind == "Point":
        x, y = to_px(geometry.x, geometry.y)
        radius = accuracy_m / METRES_PER_DEG * sy
        feature = ""
        if radius >= 3:
            feature += f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" fill="none" stroke="{esc(colour)}" stroke-width="1.2" stroke-dasharray="4 3"/>'
        feature += f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="{esc(colour)}" stroke="#fff" stroke-width="1.5"/>'
    elif "Polygon" in kind:
        feature = f'<path d="{_path(geometry, to_px, True)}" fill="{esc(colour)}" fill-opacity="0.45" stroke="{esc(colour)}" stroke-width="1.5"/>'
    else:
        feature = f'<path d="{_path(geometry, to_px, False)}" fill="none" stroke="{esc(colour)}" stroke-width="3" stroke-linejoin="round"/>'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="{element_id}">'
        f'<title id="{element_id}">{esc(label)}</title>'
        f"{''.join(shapes)}{''.join(names)}{feature}</svg>"
    )
