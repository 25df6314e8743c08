"""The sheet: paper size, orientation and resolution, checked against the limits, and its layout."""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.errors import UsageError
from geo.format_names import RENDER_FORMATS

MM_PER_INCH = 25.4
# ISO 216 and US letter, in millimetres, portrait (width, height).
PAPER_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0), "letter": (215.9, 279.4)}
FORMATS = RENDER_FORMATS  # the image formats, named in geo.format_names
DEFAULT_DPI = 150
MIN_DPI, MAX_DPI = 36, 1200
MAX_PIXELS = 20_000  # per side: a larger PNG is hundreds of MB in memory while it is drawn
MIN_PIXELS = 400  # below this the title, legend and credits no longer fit
_PIXEL_SIZE = re.compile(r"^(\d+)x(\d+)px$")


class RenderUsageError(UsageError):
    """A render asked for something impossible (unknown format, a size out of range): exit 2."""


@dataclass(frozen=True)
class Sheet:
    """A sheet of width_in × height_in inches drawn at dpi (PNG pixels = inches × dpi)."""

    width_in: float
    height_in: float
    dpi: int
    name: str

    @property
    def pixels(self) -> tuple[int, int]:
        return int(self.width_in * self.dpi), int(self.height_in * self.dpi)  # as matplotlib's canvas

    @property
    def landscape(self) -> bool:
        return self.width_in >= self.height_in


def make_sheet(size: str = "A4", *, landscape: bool = True, dpi: int = DEFAULT_DPI) -> Sheet:
    """Parse --size (A4, A3, letter or WxHpx) with orientation and dpi; RenderUsageError if out of range."""
    if not MIN_DPI <= dpi <= MAX_DPI:
        raise RenderUsageError(f"--dpi {dpi} is out of range ({MIN_DPI} to {MAX_DPI})")
    match = _PIXEL_SIZE.match(size)
    paper = {name.lower(): mm for name, mm in PAPER_MM.items()}.get(size.lower())
    if match:  # pixel sizes are taken as given: orientation follows from width and height
        width_in, height_in = int(match.group(1)) / dpi, int(match.group(2)) / dpi
        name = size
    elif paper:
        short, long = (mm / MM_PER_INCH for mm in paper)
        width_in, height_in = (long, short) if landscape else (short, long)
        name = f"{next(n for n in PAPER_MM if n.lower() == size.lower())} {'landscape' if landscape else 'portrait'}"
    else:
        raise RenderUsageError(f"--size {size!r} is not A4, A3, letter or WIDTHxHEIGHTpx (e.g. 1600x1000px)")
    sheet = Sheet(width_in, height_in, dpi, name)
    width_px, height_px = sheet.pixels
    if max(width_px, height_px) > MAX_PIXELS:
        raise RenderUsageError(
            f"a {name} sheet at {dpi} dpi is {width_px}x{height_px} px, over the limit of {MAX_PIXELS:,} px a side; "
            "lower --dpi or choose a smaller --size"
        )
    if min(width_px, height_px) < MIN_PIXELS:
        raise RenderUsageError(
            f"a {name} sheet at {dpi} dpi is {width_px}x{height_px} px, under {MIN_PIXELS} px a side"
        )
    return sheet


def check_formats(formats: list[str]) -> list[str]:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise RenderUsageError(f"unknown format {', '.join(unknown)} (formats: {', '.join(FORMATS)})")
    return list(dict.fromkeys(formats)) or ["png"]


Rect = tuple[float, float, float, float]  # left, bottom, width, height in figure fractions


@dataclass(frozen=True)
class Layout:
    """Where each part of the sheet goes, in figure fractions."""

    header_top: float  # the title's top edge
    map: Rect
    inset: Rect | None  # the locator; None when the legend needs the whole column
    legend: Rect
    footer: Rect


def margin_in(sheet: Sheet) -> float:
    """A 9 mm margin on paper; less on a small pixel sheet, so the map keeps its room."""
    return min(0.35, 0.045 * min(sheet.width_in, sheet.height_in))


def layout_for(
    sheet: Sheet, *, header_in: float, footer_in: float, column_scale: float = 1.0, inset: bool = True
) -> Layout:
    """Landscape: the map left, a column with the locator inset and legend right. Portrait: stacked.

    header_in and footer_in are what the title, description and credits measured (fit.py), so the
    map takes what is left and nothing runs past the sheet's edge.
    """
    margin = margin_in(sheet)
    margin_x, margin_y = margin / sheet.width_in, margin / sheet.height_in
    gap_y = 0.1 / sheet.height_in
    top = 1 - margin_y - header_in / sheet.height_in - gap_y
    bottom = margin_y + footer_in / sheet.height_in + gap_y
    footer = (margin_x, margin_y, 1 - 2 * margin_x, footer_in / sheet.height_in)
    title_room = 0.16 / sheet.height_in  # the locator's title, above its frame
    if sheet.landscape:
        # A quarter of the width, at least 1.8 in where the sheet is small (legend words need it).
        # The last resort (column_scale above 1.7, long words on a small sheet) may take half the width.
        column = min(0.4 if column_scale <= 1.7 else 0.5, max(0.26, 1.8 / sheet.width_in) * column_scale)
        gap_x = 0.15 / sheet.width_in
        map_w = 1 - 2 * margin_x - column - gap_x
        right = margin_x + map_w + gap_x
        inset_h = min(0.24, column * sheet.width_in / sheet.height_in * 0.75)
        legend_top = top - title_room - inset_h - 0.02 if inset else top
        return Layout(
            header_top=1 - margin_y,
            map=(margin_x, bottom, map_w, top - bottom),
            inset=(right, top - title_room - inset_h, column, inset_h) if inset else None,
            legend=(right, bottom, column, legend_top - bottom),
            footer=footer,
        )
    below = min(0.4, 0.24 * column_scale)
    map_bottom = bottom + below + title_room
    half = (1 - 2 * margin_x - 0.02) / 2
    inset_w = half * 0.8 if inset else 0.0
    return Layout(
        header_top=1 - margin_y,
        map=(margin_x, map_bottom, 1 - 2 * margin_x, top - map_bottom),
        inset=(margin_x, bottom, inset_w, below) if inset else None,
        legend=(
            margin_x + (inset_w + 0.02 if inset else 0.0),
            bottom,
            1 - 2 * margin_x - (inset_w + 0.02 if inset else 0.0),
            below,
        ),
        footer=footer,
    )
