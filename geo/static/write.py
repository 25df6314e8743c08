"""Saving a sheet: deterministic bytes per format, written atomically, never into data/.

Determinism: matplotlib stamps a creation date into PDF and SVG and a random salt into SVG ids;
the rcParams and metadata here remove both, and the PNG's 'Software' text is fixed, so the same
data and library versions give byte-identical files.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import matplotlib
from matplotlib.figure import Figure

from geo import __version__
from geo.atomic import write_bytes_atomic
from geo.static.sheet import RenderUsageError

SOFTWARE = f"geo-atlas {__version__} (matplotlib {matplotlib.__version__})"
RC = {
    "svg.fonttype": "none",  # SVG text as <text>, selectable and searchable
    "pdf.fonttype": 42,  # TrueType: PDF text stays text
    "svg.hashsalt": "geo-atlas",  # fixed ids in SVG
    "svg.id": None,
    "text.usetex": False,  # never hand a data string to LaTeX
    "font.family": "DejaVu Sans",  # ships with matplotlib; covers Latin and Cyrillic
    "lines.scale_dashes": False,  # dash lengths are points, as in geo/style.py, not multiples of the width
    "path.simplify": True,
    "agg.path.chunksize": 20_000,  # very long paths are drawn in chunks instead of overflowing Agg
    "savefig.facecolor": "white",
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


def sheet_bytes(fig: Figure, fmt: str, dpi: int) -> bytes:
    """The whole file in memory first: a failure mid-render never leaves part of a file on disk."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format=fmt, dpi=dpi, metadata=METADATA[fmt])
    return buffer.getvalue()


def check_out_dir(out_dir: Path, data_dir: Path) -> None:
    """Refuse an output directory inside data/ (the shared rule of geo build and geo export)."""
    from geo.export.errors import ExportUsageError
    from geo.export.guard import check_out_dir as guard

    try:
        guard(out_dir, data_dir)
    except ExportUsageError as exc:
        raise RenderUsageError(str(exc).replace("exports never write", "renders never write")) from None


def write_sheet(path: Path, payload: bytes) -> None:
    write_bytes_atomic(path, payload)
