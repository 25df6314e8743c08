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
        raise RenderUsageError(f"a {name} sheet at {dpi} dpi is {width_px}x{height_px} px, under {MIN_PIXELS} px a side")
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
    inset: Rect
    legend: Rect
    footer: Rect


def layout_for(sheet: Sheet) -> Layout:
    """Landscape: the map left, a column with the locator inset and legend right. Portrait: stacked."""
    margin_x = 0.35 / sheet.width_in  # a 9 mm margin whatever the paper
    margin_y = 0.35 / sheet.height_in
    header = 0.95 / sheet.height_in  # title and two lines of description
    footer = 0.62 / sheet.height_in  # credits
    top = 1 - margin_y - header
    bottom = margin_y + footer
    if sheet.landscape:
        column = 0.26
        map_w = 1 - 2 * margin_x - column - 0.015
        right = margin_x + map_w + 0.015
        inset_h = min(0.24, column * sheet.width_in / sheet.height_in * 0.75)
        return Layout(
            header_top=1 - margin_y,
            map=(margin_x, bottom, map_w, top - bottom),
            inset=(right, top - inset_h, column, inset_h),
            legend=(right, bottom, column, top - inset_h - bottom - 0.02),
            footer=(margin_x, margin_y, 1 - 2 * margin_x, footer - 0.01),
        )
    below = 0.24
    map_bottom = bottom + below + 0.015
    half = (1 - 2 * margin_x - 0.02) / 2
    return Layout(
        header_top=1 - margin_y,
        map=(margin_x, map_bottom, 1 - 2 * margin_x, top - map_bottom),
        inset=(margin_x, bottom, half * 0.8, below),
        legend=(margin_x + half * 0.8 + 0.02, bottom, half * 1.2, below),
        footer=(margin_x, margin_y, 1 - 2 * margin_x, footer - 0.01),
    )
