"""Static maps for print and reports: `geo render` draws each map as PNG, SVG or PDF with matplotlib."""

from geo.static.render import RenderError, render_maps
from geo.static.sheet import FORMATS, RenderUsageError, make_sheet

__all__ = ["FORMATS", "RenderError", "RenderUsageError", "make_sheet", "render_maps"]
