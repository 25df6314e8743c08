"""The context under a sheet: rivers, the railway network and towns, in the page's quiet styles.

Drawn above the country outlines and below every atlas layer (zorder 2–3 against the layers'
4 and up); their names are offered to the label placer after the atlas's own labels and the
country names, so they only take room the atlas does not need.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import shapely
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath

from geo import style as vocab
from geo.static.draw import PT_PER_PX, _dashes, add_without_limits, label_text
from geo.static.labels import LabelRequest

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from geo.context_layers import ContextFeature, ContextLayers
    from geo.static.projection import Projection

# Labels: Natural Earth's scalerank up to this for a river's name; at most this many town names.
RIVER_LABEL_MAX_SCALERANK = 8
TOWN_LABEL_LIMIT = 40
# A context town this close (metres, on the sheet) to an atlas point is the same place: the atlas's wins.
SAME_PLACE_M = 12_000
# Priorities after the atlas's (0–7) and the country names (10).
RIVER_PRIORITY = 11.0
TOWN_PRIORITY = 12.0


@dataclass
class ContextDrawn:
    """What of the context the frame shows: legend rows (style labels, in order) and label requests."""

    legend: list[tuple[str, vocab.ContextStyle]] = field(default_factory=list)
    labels: list[LabelRequest] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)


def _legend(drawn: ContextDrawn, kind: str) -> None:
    style = vocab.CONTEXT_STYLES[kind]
    if all(style.label != label for label, _ in drawn.legend):
        drawn.legend.append((style.label, style))


def _lines(
    ax: Axes, features: list[ContextFeature], projection: Projection, frame: shapely.Polygon, drawn: ContextDrawn
) -> None:
    by_kind: dict[str, list[shapely.Geometry]] = {}
    for feature in features:
        by_kind.setdefault(feature.kind, []).append(feature.geometry)
    for kind in sorted(by_kind):
        projected = projection.geometries(np.asarray(by_kind[kind], dtype=object))
        visible = shapely.intersection(projected, frame)
        parts = shapely.get_parts(visible[~shapely.is_empty(visible)])
        parts = parts[shapely.get_type_id(parts) == 1]  # LineStrings only (a touch can leave a point)
        if not len(parts):
            continue
        coords, index = shapely.get_coordinates(parts, return_index=True)
        codes = np.full(len(coords), MplPath.LINETO, dtype=MplPath.code_type)
        codes[np.searchsorted(index, np.arange(len(parts)))] = MplPath.MOVETO
        style = vocab.CONTEXT_STYLES[kind]
        add_without_limits(ax, PathPatch(
            MplPath(coords, codes), facecolor="none", edgecolor=style.colour, alpha=style.opacity,
            linewidth=style.weight * PT_PER_PX, linestyle=_dashes(style.dash), capstyle="round", joinstyle="round",
            zorder=2.2 if kind.startswith("railway") else 2.1,
        ))  # fmt: skip
        _legend(drawn, kind)


def draw_context(
    ax: Axes,
    context: ContextLayers,
    projection: Projection,
    limits: tuple[tuple[float, float], tuple[float, float]],
    atlas_points: list[tuple[float, float]],
) -> ContextDrawn:
    """Draw the context inside the frame; return its legend rows and the labels it would like."""
    (x0, x1), (y0, y1) = limits
    frame = shapely.box(x0, y0, x1, y1)
    drawn = ContextDrawn()
    _lines(ax, context.rivers, projection, frame, drawn)
    _lines(ax, context.railways, projection, frame, drawn)
    for feature in context.rivers:
        if feature.name and (feature.scalerank or 99) <= RIVER_LABEL_MAX_SCALERANK:
            _river_label(feature, projection, frame, drawn)
    _towns(ax, context.towns, projection, frame, atlas_points, drawn)
    for feature in context.rivers + context.railways + context.towns:
        if feature.source:
            drawn.sources.add(feature.source)
    return drawn


def _river_label(feature: ContextFeature, projection: Projection, frame: shapely.Polygon, drawn: ContextDrawn) -> None:
    projected = projection.geometries(np.asarray([feature.geometry], dtype=object))[0]
    visible = shapely.line_merge(projected.intersection(frame)) if projected.intersects(frame) else None
    if visible is None or visible.is_empty:
        return
    parts = [p for p in shapely.get_parts(visible) if p.geom_type == "LineString"]
    if not parts:
        return
    longest = max(parts, key=lambda p: p.length)
    if longest.length < 0.12 * (frame.bounds[2] - frame.bounds[0]):
        return  # a stub at the frame's edge: its name would mislead
    anchor = shapely.line_interpolate_point(longest, 0.5, normalized=True)
    style = vocab.CONTEXT_STYLES[feature.kind]
    drawn.labels.append(LabelRequest(
        label_text(str(feature.name), feature.name_ru), anchor.x, anchor.y, priority=RIVER_PRIORITY + (feature.scalerank or 9) / 100,
        radius_pt=1.0, fontsize=5.5, colour=style.label_colour, style="italic",
    ))  # fmt: skip


def _towns(
    ax: Axes,
    towns: list[ContextFeature],
    projection: Projection,
    frame: shapely.Polygon,
    atlas_points: list[tuple[float, float]],
    drawn: ContextDrawn,
) -> None:
    if not towns:
        return
    lonlat = shapely.get_coordinates(np.asarray([t.geometry for t in towns], dtype=object))
    x, y = projection.xy(lonlat[:, 0], lonlat[:, 1])
    (fx0, fy0, fx1, fy1) = frame.bounds
    inside = (x >= fx0) & (x <= fx1) & (y >= fy0) & (y <= fy1)
    if atlas_points:
        ax_xy = np.asarray(atlas_points, dtype=float)
        near = np.min(np.hypot(x[:, None] - ax_xy[None, :, 0], y[:, None] - ax_xy[None, :, 1]), axis=1) < SAME_PLACE_M
        inside &= ~near
    if not inside.any():
        return
    style = vocab.CONTEXT_STYLES["town"]
    population = np.asarray([t.population or 0 for t in towns])
    large = population >= vocab.CONTEXT_LARGE_TOWN
    for mask, size in ((inside & ~large, style.weight * 0.75), (inside & large, style.weight * 1.1)):
        if mask.any():
            ax.plot(x[mask], y[mask], linestyle="none", marker="o", markersize=size, markerfacecolor=style.colour,
                    markeredgecolor="white", markeredgewidth=0.4, zorder=3)  # fmt: skip
    _legend(drawn, "town")
    order = sorted(np.flatnonzero(inside), key=lambda i: -population[i])[:TOWN_LABEL_LIMIT]
    for rank, i in enumerate(order):
        town = towns[i]
        if not town.name:
            continue
        drawn.labels.append(LabelRequest(
            label_text(town.name, town.name_ru), float(x[i]), float(y[i]), priority=TOWN_PRIORITY + rank / 1000,
            radius_pt=2.0, fontsize=5.5, colour=style.label_colour,
        ))  # fmt: skip
