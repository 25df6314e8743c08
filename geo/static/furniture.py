"""Around the map: title, description, legend, scale bar, north arrow, locator inset and credits.

Every string that comes from data is drawn with parse_math=False, so a "$" in a name is a dollar
sign, never mathtext; text stays text in SVG and PDF (the backends escape it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrow, PathPatch, Rectangle

from geo import style as vocab
from geo.formatting import format_value
from geo.messages import N_, translate
from geo.static import fit
from geo.static.draw import (
    MARKERS,
    PRIORITY,
    PT_PER_PX,
    Drawn,
    _compound_path,
    _dashes,
    add_without_limits,
    frame_axes,
    project_array,
)
from geo.static.projection import Extent, Projection, fit_limits

if TYPE_CHECKING:
    from matplotlib.backend_bases import RendererBase
    from matplotlib.backends.backend_agg import FigureCanvasAgg

TEXT = "#1d1d1d"
MUTED = "#5f5f5f"


def draw_header(fig: Figure, title: str, description: str, left: float, top: float, width_in: float) -> float:
    """Title (shrunk to fit one line, down to 10 pt, then wrapped) and the description, wrapped in
    full (shrunk to 6.5 pt past three lines); returns the height they take, in inches."""
    renderer = _renderer(fig)
    width_px = width_in * fig.dpi
    size = 13.0
    while size > 10 and fit.line_width(renderer, title, size, "bold") > width_px * fit.SAFETY:
        size -= 0.5
    title_lines = fit.wrap_to_width(renderer, title, width_px, size, "bold")
    text = fig.text(left, top, "\n".join(title_lines), fontsize=size, fontweight="bold", color=TEXT, va="top",
                    linespacing=1.15, parse_math=False)  # fmt: skip
    title_height_in = text.get_window_extent(renderer).height / fig.dpi
    if not description.strip():
        return title_height_in
    small = 7.5
    lines = fit.wrap_to_width(renderer, description, width_px, small)
    if len(lines) > 3:
        small = 6.5
        lines = fit.wrap_to_width(renderer, description, width_px, small)
    words = fig.text(left, top - (title_height_in + 0.1) / fig.get_figheight(), "\n".join(lines), fontsize=small,
                     color=MUTED, va="top", linespacing=fit.LINESPACING, parse_math=False)  # fmt: skip
    return title_height_in + 0.1 + words.get_window_extent(renderer).height / fig.dpi


def _renderer(fig: Figure) -> RendererBase:
    # build_sheet gives every sheet an Agg canvas; matplotlib leaves FigureCanvasAgg.get_renderer unannotated.
    return cast("FigureCanvasAgg", fig.canvas).get_renderer()  # type: ignore[no-untyped-call,no-any-return]


def dash_label(kind: str, dash: str | None, lang: str = "en") -> str:
    """What a line's dash means, in the legend's words (from the status labels of geo/style.py)."""
    symbol = vocab.kind_style(kind).symbol
    if symbol == "area":
        return translate(lang, N_("schematic outline")) if dash else ""
    if symbol != "line":
        return ""
    if not vocab.dash_follows_status(kind):  # the style dashes this kind whatever its status (corridors)
        return translate(lang, N_("schematic route"))
    statuses = [status for status, pattern in vocab.STATUS_DASH.items() if pattern == dash]
    return " / ".join(translate(lang, vocab.STATUS_LABELS[s]).lower() for s in statuses)


def legend_rows(drawn: Drawn) -> list[tuple[str, str | None, str]]:
    """(kind, dash, text) for each symbol drawn, points first, then lines and areas."""

    def order(key: tuple[str, str | None]) -> tuple[float, str, str]:
        kind, dash = key
        return (PRIORITY.get(vocab.kind_style(kind).symbol, 9), kind, dash or "")

    rows = []
    for kind, dash in sorted(drawn.legend, key=order):
        label = translate(drawn.lang, vocab.kind_style(kind).label)
        meaning = dash_label(kind, dash, drawn.lang)
        rows.append((kind, dash, f"{label} — {meaning}" if meaning else label))
    return rows


Context = list[tuple[str, vocab.ContextStyle]]  # the backdrop's symbols drawn, with their words


def legend_entries(drawn: Drawn, context: Context | None = None) -> list[str]:
    """The legend's words, in order: each symbol drawn, the uncertainty circle, the context's
    symbols once each, the country outline."""
    lang = drawn.lang
    entries = [text for _, _, text in legend_rows(drawn)]
    if drawn.circles:
        entries.append(translate(lang, N_("Approximate position (circle: stated accuracy)")))
    entries += [translate(lang, label) for label, _ in context or []]
    entries.append(translate(lang, N_("Country outline")))
    return entries


LEGEND_SIZES = (6.5, 6.0, 5.5, 5.0)  # points; 5 pt is the floor
SAMPLE_PT = 20.0  # the symbol's width; the words start after it


@dataclass(frozen=True)
class FittedLegend:
    """How the legend fits its box: the font size, each entry's wrapped lines, and columns."""

    size: float
    wrapped: list[list[str]]
    columns: int


def fit_legend(fig: Figure, drawn: Drawn, context: Context, width_px: float, height_px: float) -> FittedLegend | None:
    """The largest size down to the floor, in one column or else two, at which every entry,
    wrapped to its column, fits the box; None when none does."""
    renderer = _renderer(fig)
    px_per_pt = fig.dpi / 72
    for columns in (1, 2):
        words_px = width_px / columns - (SAMPLE_PT + 6) * px_per_pt
        if words_px < 40 * px_per_pt:
            continue
        for size in LEGEND_SIZES:
            wrapped = [fit.wrap_to_width(renderer, entry, words_px, size) for entry in legend_entries(drawn, context)]
            if max(_legend_height_pt(size, part) for part in _split(wrapped, columns)) * px_per_pt <= height_px:
                return FittedLegend(size, wrapped, columns)
    return None


def _split(wrapped: list[list[str]], columns: int) -> list[list[list[str]]]:
    """The entries in columns of about equal height, in reading order (down, then across)."""
    if columns == 1:
        return [wrapped]
    total = sum(len(lines) + 1 for lines in wrapped)
    first, height = [], 0
    for lines in wrapped:
        if height >= total / 2:
            break
        first.append(lines)
        height += len(lines) + 1
    return [first, wrapped[len(first) :]]


def _row_pt(size: float, lines: int) -> float:
    return max(size * 1.75, size * fit.LINESPACING * lines + size * 0.45)


def _legend_height_pt(size: float, wrapped: list[list[str]]) -> float:
    return size * 2.2 + sum(_row_pt(size, len(lines)) for lines in wrapped)


def draw_legend(
    ax: Axes, drawn: Drawn, small_points: bool, fitted: FittedLegend, context: Context | None = None
) -> list[str]:
    """The legend as its own axes, in points from its top left: a sample of each symbol beside its
    words (as fit_legend wrapped them), the context's symbols once each under them; returns the entries."""
    ax.set_axis_off()
    rows = legend_rows(drawn)
    context = context or []
    first_context = len(rows) + (1 if drawn.circles else 0) + 1
    figure = ax.figure
    assert isinstance(figure, Figure)
    box = ax.get_position()
    width_pt, height_pt = box.width * figure.get_figwidth() * 72, box.height * figure.get_figheight() * 72
    ax.set_xlim(0, width_pt)
    ax.set_ylim(height_pt, 0)
    size = fitted.size
    scale = size / 6.5  # samples keep their proportion to the words
    ax.text(
        0,
        size * 1.1,
        translate(drawn.lang, N_("Legend")),
        fontsize=size + 1.5,
        fontweight="bold",
        color=TEXT,
        va="center",
    )
    row = 0
    for column, part in enumerate(_split(fitted.wrapped, fitted.columns)):
        x0 = column * width_pt / fitted.columns
        y_top = size * 2.2
        for lines in part:
            row += 1
            row_pt = _row_pt(size, len(lines))
            y = y_top + row_pt / 2
            y_top += row_pt
            if row <= len(rows):
                kind, dash, _ = rows[row - 1]
                _legend_sample(ax, kind, dash, x0, y, small_points, scale)
            elif first_context <= row < first_context + len(context):
                _context_sample(ax, context[row - first_context][1], x0, y, scale)
            elif drawn.circles and row == len(rows) + 1:
                circle = vocab.UNCERTAINTY_CIRCLE
                ax.plot([x0 + SAMPLE_PT / 2], [y], marker="o", markersize=9 * scale, markerfacecolor="none",
                        markeredgecolor=circle["colour"], markeredgewidth=circle["weight"] * PT_PER_PX, linestyle="none")  # fmt: skip
            else:
                base = vocab.BASE_OUTLINE
                ax.add_patch(Rectangle((x0 + 2, y - 4 * scale), SAMPLE_PT - 4, 8 * scale, facecolor=base["fill"],
                                       edgecolor=base["colour"], linewidth=base["weight"] * PT_PER_PX))  # fmt: skip
            ax.text(x0 + SAMPLE_PT + 4, y, "\n".join(lines), fontsize=size, color=TEXT, va="center",
                    linespacing=fit.LINESPACING, wrap=False, parse_math=False)  # fmt: skip
    return legend_entries(drawn, context)


def _context_sample(ax: Axes, style: vocab.ContextStyle, x0: float, y: float, scale: float) -> None:
    if style.label.startswith("Town"):
        ax.plot([x0 + SAMPLE_PT / 2], [y], marker="o", markersize=style.weight * 0.9 * scale, markerfacecolor=style.colour,
                markeredgecolor="white", markeredgewidth=0.4, linestyle="none")  # fmt: skip
        return
    ax.add_line(Line2D([x0 + 1, x0 + SAMPLE_PT - 1], [y, y], color=style.colour, alpha=style.opacity,
                       linewidth=style.weight * PT_PER_PX, linestyle=_dashes(style.dash), solid_capstyle="butt",
                       dash_capstyle="butt"))  # fmt: skip


def _legend_sample(
    ax: Axes, kind: str, dash: str | None, x0: float, y: float, small_points: bool, scale: float
) -> None:
    style = vocab.kind_style(kind)
    if style.symbol == "line":
        ax.add_line(Line2D([x0 + 1, x0 + SAMPLE_PT - 1], [y, y], color=style.colour, alpha=style.opacity or vocab.DEFAULT_LINE_OPACITY,
                           linewidth=(style.weight or vocab.DEFAULT_LINE_WEIGHT) * PT_PER_PX, linestyle=_dashes(dash),
                           solid_capstyle="butt", dash_capstyle="butt"))  # fmt: skip
    elif style.symbol == "area":
        ax.add_patch(Rectangle((x0 + 2, y - 4 * scale), SAMPLE_PT - 4, 8 * scale, facecolor=style.fill or style.colour, alpha=vocab.AREA_FILL_OPACITY,
                               edgecolor=style.colour, linewidth=1.5, linestyle=_dashes(dash)))  # fmt: skip
    else:
        marker, size, face, edge, edge_width = MARKERS.get(style.symbol if small_points else "dot", MARKERS["dot"])
        ax.plot([x0 + SAMPLE_PT / 2], [y], linestyle="none", marker=marker, markersize=size * scale, markerfacecolor=face or style.colour,
                markeredgecolor=edge or style.colour, markeredgewidth=edge_width)  # fmt: skip
        if style.symbol == "capital" and small_points:
            ax.plot(
                [x0 + SAMPLE_PT / 2],
                [y],
                linestyle="none",
                marker="o",
                markersize=2.6 * scale,
                markerfacecolor=style.colour,
                markeredgewidth=0,
            )


# The scale bar's measures (matplotlib-scalebar draws it at draw time and reports no extent, so
# the room it takes is computed from the same numbers): at most this share of the frame's width,
# its text size, its distance from the corner and its box's padding (both in units of the text size).
SCALE_BAR_LENGTH = 0.22
SCALE_BAR_FONT_PT = 6.5
SCALE_BAR_BORDER_PAD = 0.8
SCALE_BAR_PAD = 0.2
SCALE_BAR_SEP_PT = 5.0  # matplotlib-scalebar's default gap between the bar and its text
SCALE_BAR_WIDTH_FRACTION = 0.01  # the bar's thickness, a share of the frame's height (the package's default)
NORTH_ARROW_AT = (0.955, 0.86)  # the arrow's foot, in frame fractions
NORTH_ARROW_LENGTH = 0.06
NORTH_ARROW_FONT_PT = 8.0


def furniture_boxes(frame_px: tuple[float, float, float, float], dpi: float) -> list[tuple[float, float, float, float]]:
    """The display-pixel boxes the scale bar (lower left) and the north arrow (upper right) take
    inside the frame, with a margin: labels keep clear of them at every sheet size and dpi."""
    left, bottom, right, top = frame_px
    width, height = right - left, top - bottom
    px = dpi / 72.0
    margin = 2.0 * px
    font = SCALE_BAR_FONT_PT * px
    inset = (SCALE_BAR_BORDER_PAD + SCALE_BAR_PAD) * font
    bar_w = SCALE_BAR_LENGTH * width + 2 * SCALE_BAR_PAD * font
    bar_h = 2 * SCALE_BAR_PAD * font + 1.3 * font + SCALE_BAR_SEP_PT * px + SCALE_BAR_WIDTH_FRACTION * height
    scale_bar = (left, bottom, left + SCALE_BAR_BORDER_PAD * font + bar_w + margin, bottom + inset + bar_h + margin)
    fx, fy = NORTH_ARROW_AT
    letter = NORTH_ARROW_FONT_PT * px
    arrow_x, arrow_y = left + fx * width, bottom + fy * height
    reach = NORTH_ARROW_LENGTH * 1.35 * max(width, height)  # the arrow turns with the meridian: either way
    north = (
        arrow_x - 0.04 * width - letter,
        arrow_y - 0.02 * height - margin,
        right,
        min(top, arrow_y + reach + letter + margin),
    )
    return [scale_bar, north]


def draw_scale_bar(ax: Axes, projection: Projection, extent: Extent, lang: str = "en") -> None:
    """A scale bar in km, true at the map's centre (the conic's scale factor there is applied)."""
    from matplotlib_scalebar.dimension import _Dimension
    from matplotlib_scalebar.scalebar import ScaleBar

    factor = projection.scale_factor(*extent.centre)
    kilometres = _Dimension("km")  # km only: the package's SI dimension would write 1000 km as "1 Mm"

    class NamedScaleBar(ScaleBar):  # type: ignore[misc]
        """matplotlib-scalebar opens no group of its own: one named by its gid, as other artists get."""

        def draw(self, renderer: RendererBase, *args: Any, **kwargs: Any) -> None:
            renderer.open_group("scalebar", gid=self.get_gid())
            super().draw(renderer, *args, **kwargs)
            renderer.close_group("scalebar")

    bar = NamedScaleBar(
        1 / factor / 1000, units="km", dimension=kilometres, location="lower left", length_fraction=SCALE_BAR_LENGTH,
        box_alpha=0.75, color=TEXT, font_properties={"size": SCALE_BAR_FONT_PT}, scale_loc="top",
        border_pad=SCALE_BAR_BORDER_PAD, pad=SCALE_BAR_PAD, sep=SCALE_BAR_SEP_PT, width_fraction=SCALE_BAR_WIDTH_FRACTION,
        scale_formatter=lambda value, unit: format_value(value, "km", None, lang),  # "750 km", «750 км» (CLDR)
    )  # fmt: skip
    bar.set_gid("scale-bar")  # the SVG names it: the sheet tests measure labels against it
    ax.add_artist(bar)


def draw_north_arrow(ax: Axes, projection: Projection, extent: Extent, lang: str = "en") -> None:
    """An arrow pointing to true north at the frame's upper right (a conic's meridians converge)."""
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    fx, fy = NORTH_ARROW_AT
    to_lonlat = projection.inverse
    lon, lat = to_lonlat(x0 + fx * (x1 - x0), y0 + fy * (y1 - y0))
    px, py = projection.xy(np.array([lon, lon]), np.array([lat, lat + 0.05]))
    angle = np.arctan2(px[1] - px[0], py[1] - py[0])
    dx, dy = NORTH_ARROW_LENGTH * np.sin(angle), NORTH_ARROW_LENGTH * np.cos(angle)
    ax.add_patch(FancyArrow(fx, fy, dx, dy, width=0.006, head_width=0.025, head_length=0.025, length_includes_head=True,
                            transform=ax.transAxes, color=TEXT, zorder=30, gid="north-arrow"))  # fmt: skip
    ax.text(fx + dx * 1.35, fy + dy * 1.35, translate(lang, N_("N")), transform=ax.transAxes, fontsize=NORTH_ARROW_FONT_PT, fontweight="bold",
            ha="center", va="center", color=TEXT, zorder=30, gid="north-arrow-letter")  # fmt: skip


def draw_inset(ax: Axes, outlines: list[Any], extent: Extent, lang: str = "en") -> None:
    """The whole base region small, with the map's extent outlined in red."""

    region = Extent(44.0, 30.0, 92.0, 56.0)
    projection = Projection.fitted(region)
    path = _compound_path(project_array(projection, outlines), closed=True)
    if path is not None:
        base = vocab.BASE_OUTLINE
        add_without_limits(ax, PathPatch(path, facecolor=base["fill"], edgecolor=base["colour"], linewidth=0.4))
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
    ax.set_title(translate(lang, N_("Locator")), fontsize=6.5, color=MUTED, loc="left", pad=2)


def draw_credits(fig: Figure, credits: fit.Credits, rect: tuple[float, float, float, float]) -> str:
    """The credit lines as fit_credits wrapped them, from the footer's top edge."""
    left, bottom, _, height = rect
    text = "\n".join(credits.lines)
    fig.text(left, bottom + height, text, fontsize=credits.fontsize, color=MUTED, va="top", linespacing=fit.LINESPACING,
             parse_math=False)  # fmt: skip
    return text


def source_pages(
    width_in: float, height_in: float, dpi: int, title: str, sources: list[str], lang: str = "en"
) -> list[Figure]:
    """The full list of a sheet's sources on pages of the same paper, for the PDF when the sheet
    itself names only some (it says so); as many pages as the list needs."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    pages: list[Figure] = []
    margin = min(0.5, 0.06 * min(width_in, height_in))
    size = 7.0
    remaining = [f"{number}. {source}" for number, source in enumerate(sources, start=1)]
    while remaining:
        page = Figure(figsize=(width_in, height_in), dpi=dpi)
        FigureCanvasAgg(page)
        renderer = _renderer(page)
        heading = translate(lang, N_("Sources of the features drawn on the sheet “{title}”")).format(title=title)
        if pages:
            heading += " " + translate(lang, N_("(continued)"))
        head_lines = fit.wrap_to_width(renderer, heading, (width_in - 2 * margin) * dpi, 10, "bold")
        page.text(margin / width_in, 1 - margin / height_in, "\n".join(head_lines), fontsize=10, fontweight="bold",
                  color=TEXT, va="top", parse_math=False)  # fmt: skip
        top_in = margin + fit.block_height(page, renderer, head_lines, 10, "bold") / dpi + 0.15
        room_px = (height_in - top_in - margin) * dpi
        lines: list[str] = []
        while remaining:
            entry = fit.wrap_to_width(renderer, remaining[0], (width_in - 2 * margin) * dpi, size)
            if lines and fit.block_height(page, renderer, [*lines, *entry], size) > room_px:
                break
            lines += entry
            remaining.pop(0)
        page.text(margin / width_in, 1 - top_in / height_in, "\n".join(lines), fontsize=size, color=TEXT, va="top",
                  linespacing=fit.LINESPACING, parse_math=False)  # fmt: skip
        pages.append(page)
    return pages
