"""The map frame's content: country outlines, each layer in the web maps' symbols, uncertainty circles.

Every layer is drawn as a few artists, not one per feature: points of a kind are one marker line
(Agg stamps one cached marker per point), lines and areas of a kind and dash are one compound
path. A layer over LARGE_LAYER features is rasterised inside SVG and PDF so the files stay small.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.patches import PathPatch
from matplotlib.path import Path as MplPath
from pyproj import Geod

from geo import style as vocab
from geo.static.labels import LabelRequest
from geo.static.projection import Projection

if TYPE_CHECKING:
    from geo.base_layer import Country

PT_PER_PX = 0.75  # a CSS pixel is 1/96 in, a point 1/72 in
LARGE_LAYER = 10_000  # features: drawn as one rasterised collection in vector output
SMALL_LAYER = 2_000  # features: web-map symbols, uncertainty circles and labels (as the page's DOM limit)
LABEL_LIMIT = 400
LARGE_DOT_PT = 1.8  # marker size of a point in a layer over SMALL_LAYER features
MIN_AREA_LABEL_IN = 0.2  # an area smaller than this on the sheet gets no label  # labels tried per layer; more would not fit on a sheet anyway
CIRCLE_VERTICES = 73
GEOD = Geod(ellps="WGS84")

# matplotlib marker, size (pt), fill, edge, edge width (pt) for each point symbol of geo/style.py.
MARKERS = {
    "diamond": ("D", 6.0, None, "white", 0.9),
    "square": ("s", 6.5, None, "white", 0.9),
    "station": ("o", 6.5, "white", None, 1.6),
    "triangle": ("^", 8.0, None, "white", 0.6),
    "capital": ("o", 8.0, "white", None, 1.2),
    "dot": ("o", 5.5, None, "white", 0.9),
}
# The symbols' stacking and legend order (lower first: on top, listed first). Which label is placed
# first is geo.style.label_priority's, shared with the web maps.
PRIORITY = {"capital": 0, "diamond": 1, "square": 2, "triangle": 2.5, "dot": 3, "line": 3.5, "station": 4, "area": 7}


@dataclass
class Drawn:
    """What the frame holds, for the legend, the credits and the label placement."""

    legend: dict[tuple[str, str | None], int] = field(default_factory=dict)  # (kind, dash) -> count
    symbol_boxes: list[tuple[float, float, float, float]] = field(default_factory=list)
    labels: list[LabelRequest] = field(default_factory=list)
    circles: int = 0
    rasterised: list[str] = field(default_factory=list)  # layer titles drawn as images in SVG/PDF
    sources: set[str] = field(default_factory=set)
    features: int = 0
    # Features drawn whose status is over a year old at build time: (name, status, as-of date).
    stale: list[tuple[str, str, str]] = field(default_factory=list)
    reference: str | None = None  # the date statuses are judged at (geo/status_age.py)
    lang: str = "en"  # the sheet's language: its words, and which name of a place comes first


def label_text(name: str, name_ru: str | None) -> str:
    """The Latin name, and the Cyrillic one under it when it differs."""
    return f"{name}\n{name_ru}" if name_ru and name_ru != name else name


def _compound_path(geometries: np.ndarray, closed: bool) -> MplPath | None:
    """One matplotlib path for many lines or polygon rings (MOVETO starts each part)."""
    parts = shapely.get_parts(geometries)
    if closed:
        parts = shapely.get_rings(parts)
    if len(parts) == 0:
        return None
    coords, index = shapely.get_coordinates(parts, return_index=True)
    codes = np.full(len(coords), MplPath.LINETO, dtype=MplPath.code_type)
    starts = np.searchsorted(index, np.arange(len(parts)))
    codes[starts[starts < len(coords)]] = MplPath.MOVETO
    return MplPath(coords, codes)


@dataclass(frozen=True)
class ProjectedShapes:
    """Every vertex of a line or area layer, projected once, with its path code and its feature."""

    x: np.ndarray
    y: np.ndarray
    codes: np.ndarray
    feature: np.ndarray  # index of the feature each vertex belongs to (non-decreasing)
    count: int  # features in the layer

    def visible(self, limits: tuple[tuple[float, float], tuple[float, float]]) -> np.ndarray:
        """Per feature: whether its bounding box meets the frame (no shapely object per feature)."""
        (x0, x1), (y0, y1) = limits
        starts = np.searchsorted(self.feature, np.arange(self.count))
        has: np.ndarray = np.diff(np.r_[starts, len(self.x)]) > 0
        if not len(self.x):
            return has
        at = np.minimum(starts, len(self.x) - 1)
        xmin, xmax = np.minimum.reduceat(self.x, at), np.maximum.reduceat(self.x, at)
        ymin, ymax = np.minimum.reduceat(self.y, at), np.maximum.reduceat(self.y, at)
        meets: np.ndarray = has & (xmax >= x0) & (xmin <= x1) & (ymax >= y0) & (ymin <= y1)
        return meets


def project_shapes(projection: Projection, geometries: np.ndarray, closed: bool) -> ProjectedShapes:
    """Lines or polygon rings as vertex arrays in the sheet's metres: one pyproj call, no new geometries.

    Projected in place and without a per-vertex index: at 10^7 vertices every extra array is
    80 MB of peak memory.
    """
    parts, owner = shapely.get_parts(geometries, return_index=True)
    if closed:
        rings, ring_owner = shapely.get_rings(parts, return_index=True)
        parts, owner = rings, owner[ring_owner]
    counts = shapely.get_num_coordinates(parts)
    coords = shapely.get_coordinates(parts)
    del parts
    lon, lat = np.ascontiguousarray(coords[:, 0]), np.ascontiguousarray(coords[:, 1])
    del coords
    x, y = projection.xy(lon, lat, inplace=True)
    codes = np.full(len(x), MplPath.LINETO, dtype=MplPath.code_type)
    starts = np.cumsum(counts) - counts
    codes[starts[counts > 0]] = MplPath.MOVETO
    feature = np.repeat(owner.astype(np.int32), counts)
    return ProjectedShapes(x, y, codes, feature, len(geometries))


def project_array(projection: Projection, geometries: list[Any]) -> np.ndarray:
    """Geometries projected to the sheet's metres, all coordinates in one pyproj call."""
    array = np.asarray(geometries, dtype=object)
    return projection.geometries(array) if len(array) else array


def draw_base(
    ax: Axes, base_countries: Mapping[str, Country], projection: Projection, highlight: set[str]
) -> list[tuple[str, str | None, Any]]:
    """Country outlines (the map's own countries a shade lighter); returns (name, name_ru, projected shape)."""
    base = vocab.BASE_OUTLINE
    countries = []
    shapes, fills = [], []
    for iso, country in base_countries.items():
        shape = project_array(projection, [country.geometry])[0]
        countries.append((country.name, country.name_ru, shape))
        shapes.append(shape)
        fills.append(iso in highlight)
    for lit in (False, True):
        group = np.asarray([s for s, f in zip(shapes, fills) if f == lit], dtype=object)
        path = _compound_path(group, closed=True) if len(group) else None
        if path is None:
            continue
        add_without_limits(ax, PathPatch(
            path, facecolor="#fbf8f1" if lit else base["fill"], alpha=None, edgecolor=base["colour"],
            linewidth=base["weight"] * PT_PER_PX, zorder=1,
        ))  # fmt: skip
    return countries


def frame_axes(ax: Axes, xlim: tuple[float, float], ylim: tuple[float, float]) -> None:
    """A map frame (the sheet's or the locator's): projected limits, true shape, no ticks, sea colour."""
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal", adjustable="box")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_facecolor("#f4f7fa")


def add_without_limits(ax: Axes, patch: PathPatch) -> None:
    """Add without Axes.add_patch's data-limit update: it walks every vertex in Python (a minute at
    10^5 lines) and the limits are set from the map's extent anyway."""
    ax.add_artist(patch)


def _dashes(pattern: str | None) -> Literal["solid"] | tuple[float, tuple[float, ...]]:
    numbers = vocab.dash_numbers(pattern)
    return "solid" if numbers is None else (0, tuple(n * PT_PER_PX for n in numbers))


def draw_shapes(
    ax: Axes,
    kinds: np.ndarray,
    dashes: np.ndarray,
    shapes: ProjectedShapes,
    visible: np.ndarray,
    closed: bool,
    rasterise: bool,
    drawn: Drawn,
) -> None:
    """Lines or areas: one compound path per (kind, dash) among the features the frame shows."""
    for kind, dash in sorted(set(zip(kinds[visible], dashes[visible])), key=lambda kd: (kd[0], kd[1] or "")):
        members = (kinds == kind) & (dashes == dash)
        vertices = members[shapes.feature]
        xy = np.empty((int(vertices.sum()), 2))
        np.compress(vertices, shapes.x, out=xy[:, 0])  # into the path's array: no temporary per axis
        np.compress(vertices, shapes.y, out=xy[:, 1])
        path = MplPath(xy, shapes.codes[vertices])
        style = vocab.kind_style(kind)
        weight = (style.weight or vocab.DEFAULT_LINE_WEIGHT) * PT_PER_PX
        patch = PathPatch(
            path,
            facecolor="none",
            edgecolor=style.colour,
            linewidth=weight,
            linestyle=_dashes(dash),
            capstyle="butt",
            joinstyle="round",
            zorder=4 if closed else 5,
            rasterized=rasterise,
        )
        if closed and style.fill:
            patch.set_facecolor(_with_alpha(style.fill, vocab.AREA_FILL_OPACITY))
            patch.set_edgecolor(_with_alpha(style.colour, vocab.DEFAULT_LINE_OPACITY))
        else:
            patch.set_alpha(style.opacity or vocab.DEFAULT_LINE_OPACITY)
        add_without_limits(ax, patch)
        drawn.legend[(kind, dash)] = drawn.legend.get((kind, dash), 0) + int((members & visible).sum())


def _with_alpha(colour: str, alpha: float) -> tuple[float, float, float, float]:
    from matplotlib.colors import to_rgba

    return to_rgba(colour, alpha)


def draw_points(
    ax: Axes, kinds: np.ndarray, x: np.ndarray, y: np.ndarray, small: bool, rasterise: bool, drawn: Drawn
) -> None:
    """One marker artist per kind: the web symbol for small layers, a plain dot for large ones (as the page)."""
    for kind in sorted(set(kinds.tolist())):
        mask = kinds == kind
        style = vocab.kind_style(kind)
        symbol = style.symbol if small else "dot"
        marker, size, face, edge, edge_width = MARKERS.get(symbol, MARKERS["dot"])
        if not small:  # thousands of points: small plain dots, so density reads as density
            size, edge, edge_width = LARGE_DOT_PT, style.colour, 0.0
        ax.plot(
            x[mask], y[mask], linestyle="none", marker=marker, markersize=size,
            markerfacecolor=face or style.colour, markeredgecolor=edge or style.colour,
            markeredgewidth=edge_width, zorder=_point_zorder(symbol), rasterized=rasterise,
        )  # fmt: skip
        if symbol == "capital":  # the double ring of the web symbol: a dot inside the ring
            ax.plot(x[mask], y[mask], linestyle="none", marker="o", markersize=2.6, markerfacecolor=style.colour,
                    markeredgewidth=0, zorder=_point_zorder(symbol) + 0.01)  # fmt: skip
        drawn.legend[(kind, None)] = drawn.legend.get((kind, None), 0) + int(mask.sum())


def _point_zorder(symbol: str) -> float:
    """Important symbols on top: a city dot never hides a dam or a checkpoint beside it."""
    return 8 + (9 - PRIORITY.get(symbol, 5)) / 10


def draw_circles(
    ax: Axes, projection: Projection, lon: np.ndarray, lat: np.ndarray, accuracy_m: np.ndarray, drawn: Drawn
) -> None:
    """Geodesic circles of radius accuracy_m around approximate positions, as one dashed path."""
    keep = accuracy_m >= vocab.UNCERTAINTY_MIN_M
    if not keep.any():
        return
    lon, lat, radius = lon[keep], lat[keep], accuracy_m[keep]
    azimuths = np.linspace(0, 360, CIRCLE_VERTICES)
    count = len(lon)
    ring_lon, ring_lat, _ = GEOD.fwd(
        np.repeat(lon, CIRCLE_VERTICES), np.repeat(lat, CIRCLE_VERTICES),
        np.tile(azimuths, count), np.repeat(radius, CIRCLE_VERTICES),
    )  # fmt: skip
    x, y = projection.xy(ring_lon, ring_lat)
    codes = np.tile(
        np.r_[MplPath.MOVETO, np.full(CIRCLE_VERTICES - 1, MplPath.LINETO)].astype(MplPath.code_type), count
    )
    circle = vocab.UNCERTAINTY_CIRCLE
    add_without_limits(ax, PathPatch(
        MplPath(np.column_stack([x, y]), codes), facecolor=_with_alpha(circle["colour"], circle["fill_opacity"]),
        edgecolor=circle["colour"], linewidth=circle["weight"] * PT_PER_PX, linestyle=_dashes(circle["dash"]), zorder=6,
    ))  # fmt: skip
    drawn.circles += count
