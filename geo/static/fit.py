"""Text that fits its place on the sheet: wrapped by measured width, shrunk down to a floor, never cut.

Widths are measured with the sheet's own renderer (the font the file is drawn with), not estimated,
so a line wrapped here ends inside its box at every paper or pixel size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from matplotlib.font_manager import FontProperties

from geo.formatting import format_number
from geo.messages import N_, translate

if TYPE_CHECKING:
    from matplotlib.backend_bases import RendererBase
    from matplotlib.figure import Figure

LINESPACING = 1.3
# Agg measures text unhinted (write.RC), as a vector viewer draws it; a viewer's own text layout
# still differs by up to a few per cent (measured: 4 % at 100 dpi in Chromium, with hinting).
# Lines are wrapped to this share of the room.
SAFETY = 0.94


# Each character's advance by (dpi, font size, weight): measured once, then summed in C.
_ADVANCES: dict[tuple[float, float, str], dict[str, float]] = {}
_LINE_HEIGHTS: dict[tuple[float, float, str], tuple[float, float]] = {}


def _advances(renderer: RendererBase, text: str, fontsize: float, weight: str) -> dict[str, float]:
    """The advances of one font size and weight, holding at least every character of `text`."""
    table = _ADVANCES.setdefault((float(renderer.dpi), fontsize, weight), {})  # type: ignore[attr-defined]
    missing = set(text).difference(table)
    if missing:
        props = FontProperties(size=fontsize, weight=weight)
        pair = renderer.get_text_width_height_descent("xx", props, ismath=False)[0]
        for char in sorted(missing):
            # A character's advance: "x" + char + "x" less "xx" keeps the side bearings of a glyph in a word.
            table[char] = float(renderer.get_text_width_height_descent(f"x{char}x", props, ismath=False)[0] - pair)
    return table


def line_width(renderer: RendererBase, text: str, fontsize: float, weight: str = "normal") -> float:
    """The width in pixels of one line of text as the sheet draws it: the sum of each character's
    advance in the sheet's font, measured once per character and size (a long line measured whole
    costs milliseconds, and wrapping measures hundreds)."""
    return sum(map(_advances(renderer, text, fontsize, weight).__getitem__, text))


def wrap_to_width(
    renderer: RendererBase, text: str, width_px: float, fontsize: float, weight: str = "normal"
) -> list[str]:
    """Lines of `text` (its own line breaks kept) each at most width_px wide (less SAFETY); a word
    longer than a line is broken inside it, so nothing runs past the edge."""
    width_px *= SAFETY
    space = _advances(renderer, " ", fontsize, weight)[" "]
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for word in paragraph.split():
            size = line_width(renderer, word, fontsize, weight)
            if line and used + space + size <= width_px:
                line, used = f"{line} {word}", used + space + size
                continue
            if line:
                lines.append(line)
            line, used = "", 0.0
            while size > width_px and len(word) > 1:  # a word wider than the line: broken where it must
                cut = 1
                while cut < len(word) and line_width(renderer, word[: cut + 1], fontsize, weight) <= width_px:
                    cut += 1
                lines.append(word[:cut])
                word = word[cut:]
                size = line_width(renderer, word, fontsize, weight)
            line, used = word, size
        lines.append(line)
    return lines


def block_height(
    fig: Figure, renderer: RendererBase, lines: list[str], fontsize: float, weight: str = "normal"
) -> float:
    """The height in pixels of these lines drawn as one text at LINESPACING (from the measured
    heights of one and two lines, once per size)."""
    key = (float(fig.dpi), fontsize, weight)
    if key not in _LINE_HEIGHTS:
        heights = []
        for probe_text in ("Ág", "Ág\nÁg"):
            probe = fig.text(0, 0, probe_text, fontsize=fontsize, fontweight=weight, linespacing=LINESPACING,
                             parse_math=False)  # fmt: skip
            heights.append(float(probe.get_window_extent(renderer).height))
            probe.remove()
        _LINE_HEIGHTS[key] = (heights[0], heights[1] - heights[0])
    first, step = _LINE_HEIGHTS[key]
    return first + step * (max(len(lines), 1) - 1)


@dataclass(frozen=True)
class Credits:
    """The credit lines as drawn: text, font size, height, and how many sources it lists by name."""

    lines: list[str]
    fontsize: float
    height_px: float
    listed: int  # sources named on the sheet; the rest are on the PDF's source pages


CREDIT_SIZES = (5.5, 5.0)  # points; 5 pt is the floor (about 10 px at 150 dpi)


def fit_credits(
    fig: Figure, renderer: RendererBase, before: list[str], sources: list[str], after: list[str],
    width_px: float, max_height_px: float, lang: str = "en",
) -> Credits:  # fmt: skip
    """The credits in at most max_height_px: every source named if that fits at a size down to the
    floor, else the first sources that fit and a line saying where the full list is.

    `before` and `after` (projection, licences, data date) are always drawn in full: if even they
    exceed the height, the result is taller than asked and the sheet makes room for it.
    """

    def attempt(count: int, fontsize: float) -> Credits:
        lines = [*before, sources_line(sources, count, lang), *after]
        wrapped = [part for line in lines for part in wrap_to_width(renderer, line, width_px, fontsize)]
        return Credits(wrapped, fontsize, block_height(fig, renderer, wrapped, fontsize), count)

    for fontsize in CREDIT_SIZES:
        full = attempt(len(sources), fontsize)
        if full.height_px <= max_height_px:
            return full
    floor = CREDIT_SIZES[-1]
    low, high = 0, len(sources) - 1  # the most sources that fit: fewer never take more lines
    best = attempt(0, floor)
    while low <= high:
        middle = (low + high) // 2
        candidate = attempt(middle, floor)
        if candidate.height_px <= max_height_px:
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    return best


ALL_SOURCES = N_("Sources of the features drawn: {sources}.")
ON_PAGE_TWO = N_(
    "Sources of the features drawn: all {total} are listed on page 2 of this sheet's PDF (geo render --format pdf)."
)
SOME_SOURCES = N_(
    "Sources of the features drawn: {sources}; and {more} more: all {total} are listed on page 2 of this sheet's PDF "
    "(geo render --format pdf)."
)


def sources_line(sources: list[str], count: int, lang: str = "en") -> str:
    """The sources line naming the first `count` sources, and where the others are if any are left."""
    if not sources:
        return translate(lang, N_("No features drawn."))
    total = format_number(len(sources), lang)
    if count >= len(sources):
        return translate(lang, ALL_SOURCES).format(sources="; ".join(sources))
    if count == 0:
        return translate(lang, ON_PAGE_TWO).format(total=total)
    more = format_number(len(sources) - count, lang)
    return translate(lang, SOME_SOURCES).format(sources="; ".join(sources[:count]), more=more, total=total)
