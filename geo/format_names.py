"""The names of the output formats, in the order they are written and listed.

Their one home: the command line offers them (click.Choice) without importing the writers, which
pull in GDAL, pyarrow and matplotlib; geo.export.formats and geo.static.sheet register their
writers under exactly these names and refuse to import when a name has no writer or a writer no
name.
"""

from __future__ import annotations

from collections.abc import Iterable

EXPORT_FORMATS = ("gpkg", "geojson", "fgb", "parquet", "shp", "kml", "kmz", "csv")
RENDER_FORMATS = ("png", "svg", "pdf")


def check_registry(kind: str, names: tuple[str, ...], registered: Iterable[str]) -> None:
    """Raise at import time when a registry of writers and its list of names differ."""
    have = set(registered)
    if have != set(names):
        raise RuntimeError(f"{kind} writers {sorted(have)} do not match geo.format_names {list(names)}")
