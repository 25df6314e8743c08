"""Around the map: title, description, legend, scale bar, north arrow, locator inset and credits.

Every string that comes from data is drawn with parse_math=False, so a "$" in a name is a dollar
sign, never mathtext; text stays text in SVG and PDF (the backends escape it).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrow, PathPatch, Rectangle

from geo import style as vocab
from geo.static.draw import (
    MARKERS,
    PRIORITY,
    PT_PER_PX,
    Drawn,
    _compound_path,
    _dashes,
    frame_axes,
    project_array,
)
from geo.static.projection import Extent, Projection, fit_limits

if TYPE_CHECKING:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

TEXT = "#1d1d1d"
MUTED = "#5f5f5f"


def wrap(text: str, width_in: float, fontsize: float) -> str:
    """Wrap to a width (DejaVu Sans averages about 0.55 em a character)."""
    chars = max(20, int(width_in * 72 / (fontsize * 0.55)))
    return "\n".join(textwrap.wrap(text, chars)) or text


def draw_header(fig: Figure, title: str, description: str, left: float, top: float, width_in: float) -> None:
    """Title (shrunk to fit one line, down to 10 pt, then wrapped) and up to two lines of description."""
    # build_sheet gives every sheet an Agg canvas; matplotlib leaves FigureCanvasAgg.get_renderer unannotated.
    renderer = cast("FigureCanvasAgg", fig.canvas).get_renderer()  # type: ignore[no-untyped-call]
    text = fig.text(left, top, title, fontsize=13, fontweight="bold", color=TEXT, va="top", parse_math=False)
    width_px = width_in * fig.dpi
    while text.get_window_extent(renderer).width > width_px and float(text.get_fontsize()) > 10:
        text.set_fontsize(float(text.get_fontsize()) - 0.5)
    measured = text.get_window_extent(renderer).width
    if measured > width_px:  # still too long: two lines, cut where the words allow
        chars = max(20, int(len(title) * width_px / measured) - 1)
        text.set_text("\n".join(textwrap.wrap(title, chars)[:2]))
    title_height_in = text.get_window_extent(renderer).height / fig.dpi
    lines = wrap(description, width_in, 7.5).split("\n")
    if len(lines) > 2:  # the header has room for two lines: cut at a word, say so with an ellipsis
        lines = [lines[0], lines[1].rstrip(" ,.;") + " …"]
    fig.text(left, top - (title_height_in + 0.1) / fig.get_figheight(), "\n".join(lines), fontsize=7.5, color=MUTED,
             va="top", linespacing=1.35, parse_math=False)  # fmt: skip


def dash_label(kind: str, dash: str | None) -> str:
    """What a line's dash means, in the legend's words (from the status labels of geo/style.py)."""
    symbol = vocab.kind_style(kind).symbol
    if symbol == "area":
        return "schematic outline" if dash else ""
    if symbol != "line":
        return ""
    if dash == vocab.CORRIDOR_DASH:
        return "schematic route"
    statuses = [status for status, pattern in vocab.STATUS_DASH.items() if pattern == dash]
    return " / ".join(vocab.STATUS_LABELS[s].lower() for s in statuses)


def legend_rows(drawn: Drawn) -> list[tuple[str, str | None, str]]:
    """(kind, dash, text) for each symbol drawn, points first, then lines and areas."""
    def order(key: tuple[str, str | None]) -> tuple[float, str, str]:
        kind, dash = key
        return (PRIORITY.get(vocab.kind_style(kind).symbol, 9), kind, dash or "")

    rows = []
    for kind, dash in sorted(drawn.legend, key=order):
        label = vocab.kind_style(kind).label
        meaning = dash_label(kind, dash)
        rows.append((kind, dash, f"{label} — {meaning}" if meaning else label))
    return rows


def draw_legend(
    ax: Axes, drawn: Drawn, small_points: bool, context: list[tuple[str, vocab.ContextStyle]] | None = None
) -> list[str]:
    """The legend as its own axes: a sample of each symbol beside its words, the context's symbols
    once each under them; returns the entries."""
    ax.set_axis_off()
    rows = legend_rows(drawn)
    entries = [text for _, _, text in rows]
    if drawn.circles:
        entries.append("Approximate position (circle: stated accuracy)")
    context = context or []
    first_context = len(entries) + 1
    entries += [label for label, _ in context]
    entries.append("Country outline")
    slots = max(len(entries) + 1.5, 14)
    ax.set_xlim(0, 1)
    ax.set_ylim(slots, 0)
    ax.text(0, 0.5, "Legend", fontsize=8, fontweight="bold", color=TEXT, va="center")
    for row, entry in enumerate(entries, start=1):
        y = row + 0.5
        if row <= len(rows):
            kind, dash, _ = rows[row - 1]
            _legend_sample(ax, kind, dash, y, small_points)
        elif first_context <= row < first_context + len(context):
            _context_sample(ax, context[row - first_context][1], y)
        elif drawn.circles and row == len(rows) + 1:
            circle = vocab.UNCERTAINTY_CIRCLE
            ax.plot([0.07], [y], marker="o", markersize=9, markerfacecolor="none", markeredgecolor=circle["colour"],
                    markeredgewidth=circle["weight"] * PT_PER_PX, linestyle="none")  # fmt: skip
        else:
            base = vocab.BASE_OUTLINE
            ax.add_patch(Rectangle((0.02, y - 0.3), 0.1, 0.6, facecolor=base["fill"], edgecolor=base["colour"],
                                   linewidth=base["weight"] * PT_PER_PX))  # fmt: skip
        ax.text(0.17, y, entry, fontsize=6.5, color=TEXT, va="center", wrap=False)
    return entries


def _context_sample(ax: Axes, style: vocab.ContextStyle, y: float) -> None:
    if style.label.startswith("Town"):
        ax.plot([0.07], [y], marker="o", markersize=style.weight * 0.9, markerfacecolor=style.colour,
                markeredgecolor="white", markeredgewidth=0.4, linestyle="none")  # fmt: skip
        return
    ax.add_line(Line2D([0.01, 0.13], [y, y], color=style.colour, alpha=style.opacity, linewidth=style.weight * PT_PER_PX,
                       linestyle=_dashes(style.dash), solid_capstyle="butt", dash_capstyle="butt"))  # fmt: skip


def _legend_sample(ax: Axes, kind: str, dash: str | None, y: float, small_points: bool) -> None:
    style = vocab.kind_style(kind)
    if style.symbol == "line":
        ax.add_line(Line2D([0.01, 0.13], [y, y], color=style.colour, alpha=style.opacity or vocab.DEFAULT_LINE_OPACITY,
                           linewidth=(style.weight or vocab.DEFAULT_LINE_WEIGHT) * PT_PER_PX, linestyle=_dashes(dash),
                           solid_capstyle="butt", dash_capstyle="butt"))  # fmt: skip
    elif style.symbol == "area":
        ax.add_patch(Rectangle((0.02, y - 0.3), 0.1, 0.6, facecolor=style.fill or style.colour, alpha=vocab.AREA_FILL_OPACITY,
                               edgecolor=style.colour, linewidth=1.5, linestyle=_dashes(dash)))  # fmt: skip
    else:
        marker, size, face, edge, edge_width = MARKERS.get(style.symbol if small_points else "dot", MARKERS["dot"])
        ax.plot([0.07], [y], linestyle="none", marker=marker, markersize=size, markerfacecolor=face or style.colour,
                markeredgecolor=edge or style.colour, markeredgewidth=edge_width)  # fmt: skip
        if style.symbol == "capital" and small_points:
            ax.plot([0.07], [y], linestyle="none", marker="o", markersize=2.6, markerfacecolor=style.colour, markeredgewidth=0)


def draw_scale_bar(ax: Axes, projection: Projection, extent: Extent) -> None:
    """A scale bar in km, true at the map's centre (the conic's scale factor there is applied)."""
    from matplotlib_scalebar.dimension import _Dimension
    from matplotlib_scalebar.scalebar import ScaleBar

    factor = projection.scale_factor(*extent.centre)
    kilometres = _Dimension("km")  # km only: the package's SI dimension would write 1000 km as "1 Mm"
    ax.add_artist(ScaleBar(
        1 / factor / 1000, units="km", dimension=kilometres, location="lower left", length_fraction=0.22,
        box_alpha=0.75, color=TEXT, font_properties={"size": 6.5}, scale_loc="top", border_pad=0.8,
    ))  # fmt: skip


def draw_north_arrow(ax: Axes, projection: Projection, extent: Extent) -> None:
    """An arrow pointing to true north at the frame's upper right (a conic's meridians converge)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    fx, fy = 0.955, 0.86
    to_lonlat = projection.inverse
    lon, lat = to_lonlat(x0 + fx * (x1 - x0), y0 + fy * (y1 - y0))
    px, py = projection.xy(np.array([lon, lon]), np.array([lat, lat + 0.05]))
    angle = np.arctan2(px[1] - px[0], py[1] - py[0])
    dx, dy = 0.06 * np.sin(angle), 0.06 * np.cos(angle)
    ax.add_patch(FancyArrow(fx, fy, dx, dy, width=0.006, head_width=0.025, head_length=0.025, length_includes_head=True,
                            transform=ax.transAxes, color=TEXT, zorder=30))  # fmt: skip
    ax.text(fx + dx * 1.35, fy + dy * 1.35, "N", transform=ax.transAxes, fontsize=8, fontweight="bold", ha="center",
            va="center", color=TEXT, zorder=30)  # fmt: skip


def draw_inset(ax: Axes, outlines: list[Any], extent: Extent) -> None:
    """The whole base region small, with the map's extent outlined in red."""

    region = Extent(44.0, 30.0, 92.0, 56.0)
    projection = Projection.fitted(region)
    path = _compound_path(project_array(projection, outlines), closed=True)
    if path is not None:
        base = vocab.BASE_OUTLINE
        ax.add_patch(PathPatch(path, facecolor=base["fill"], edgecolor=base["colour"], linewidth=0.4))
    ring = np.concatenate([
        np.column_stack([np.linspace(extent.west, extent.east, 20), np.full(20, extent.south)]),
        np.column_stack([np.full(20, extent.east), np.linspace(extent.south, extent.north, 20)]),
        np.column_stack([np.linspace(extent.east, extent.west, 20), np.full(20, extent.north)]),
        np.column_stack([np.full(20, extent.west), np.linspace(extent.north, extent.south, 20)]),
    ])  # fmt: skip
    x, y = projection.xy(ring[:, 0], ring[:, 1])
    ax.fill(x, y, facecolor=(0.75, 0.16, 0.16, 0.15), edgecolor="#c0392b", linewidth=1.0, zorder=5)
    bbox = ax.get_position()
    figure = ax.figure
    assert isinstance(figure, Figure)  # an inset axes of the sheet's own figure, not of a subfigure
    aspect = bbox.width * figure.get_figwidth() / (bbox.height * figure.get_figheight())
    xlim, ylim = fit_limits(Extent(50.0, 34.0, 88.0, 55.0), projection, aspect)
    frame_axes(ax, xlim, ylim)
    for spine in ax.spines.values():
        spine.set_edgecolor("#9a9a9a")
        spine.set_linewidth(0.6)
    ax.set_title("Locator", fontsize=6.5, color=MUTED, loc="left", pad=2)


def draw_credits(fig: Figure, lines: list[str], rect: tuple[float, float, float, float]) -> str:
    left, bottom, width, height = rect
    width_in = width * fig.get_figwidth()
    text = "\n".join(wrap(line, width_in, 5.5) for line in lines)
    fig.text(left, bottom + height, text, fontsize=5.5, color=MUTED, va="top", linespacing=1.3, parse_math=False)
    return text
