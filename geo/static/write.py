"""Saving a sheet: deterministic bytes per format (geo.outdir writes them, never into data/).

Determinism: matplotlib stamps a creation date into PDF and SVG and a random salt into SVG ids;
the rcParams and metadata here remove both, and the PNG's 'Software' text is fixed, so the same
data and library versions give byte-identical files.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.typing import RcKeyType

from geo import __version__

SOFTWARE = f"geo-atlas {__version__} (matplotlib {matplotlib.__version__})"
RC: dict[RcKeyType, Any] = {
    "svg.fonttype": "none",  # SVG text as <text>, selectable and searchable
    "pdf.fonttype": 42,  # TrueType: PDF text stays text
    # matplotlib sizes a PDF font's subsets by ps.fonttype (256 glyphs for its default, Type 3): at 42 a
    # font is embedded once, Cyrillic with Latin, instead of once per 256 characters (a subset each).
    "ps.fonttype": 42,
    "svg.hashsalt": "geo-atlas",  # fixed ids in SVG
    "svg.id": None,
    "text.usetex": False,  # never hand a data string to LaTeX
    "font.family": "DejaVu Sans",  # ships with matplotlib; covers Latin and Cyrillic
    "lines.scale_dashes": False,  # dash lengths are points, as in geo/style.py, not multiples of the width
    "path.simplify": True,
    "agg.path.chunksize": 20_000,  # very long paths are drawn in chunks instead of overflowing Agg
    "savefig.facecolor": "white",
    # Text unhinted in the PNG too, as SVG and PDF viewers draw it: the same widths in each format,
    # and the three formats of a sheet written a tenth faster (FreeType hints glyph by glyph).
    "text.hinting": "no_hinting",
}
METADATA = {
    "png": {"Software": SOFTWARE},
    "svg": {"Date": None, "Creator": SOFTWARE},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": SOFTWARE, "Producer": SOFTWARE},
}


@contextmanager
def sheet_rc() -> Iterator[None]:
    with matplotlib.rc_context(RC):
        yield


def sheet_bytes(fig: Figure, fmt: str, dpi: int, *more_pages: Figure) -> bytes:
    """The whole file in memory first: a failure mid-render never leaves part of a file on disk.

    A PDF may have more pages after the sheet (its full source list)."""
    buffer = io.BytesIO()
    if fmt == "pdf" and more_pages:
        from matplotlib.backends.backend_pdf import PdfPages

        with PdfPages(buffer, metadata=METADATA["pdf"]) as pdf:
            for page in (fig, *more_pages):
                pdf.savefig(page, dpi=dpi)
        return buffer.getvalue()
    fig.savefig(buffer, format=fmt, dpi=dpi, metadata=METADATA[fmt])
    return buffer.getvalue()
