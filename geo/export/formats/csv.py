"""CSV, one file per layer: a WKT geometry column first, then the flat columns, UTF-8.

"WKT" is the column name GDAL's CSV driver (and QGIS's delimited-text import) recognise as
geometry without options. Nulls are empty cells, booleans "true"/"false", numbers as Python
writes them (shortest round-trip form). Coordinates are lon/lat WGS84 (EPSG:4326, stated in
manifest.json: CSV has nowhere to say it) with at most 6 decimals. No byte-order mark: GIS tools
read UTF-8 without one; spreadsheet users should import the file as UTF-8.

Text cells that start with = + - @ tab or carriage return get a leading ' (the OWASP advice
against CSV injection): a spreadsheet shows them as text instead of running them as formulas
(`=HYPERLINK(...)`). Numbers are not text cells and keep their sign. `geo export --csv-raw`
writes the cells unchanged; every other format always keeps the text as it is.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import shapely

from geo.export.flatten import FIELDS
from geo.export.formats.base import Format, per_layer
from geo.export.geometry import COORDINATE_DECIMALS

if TYPE_CHECKING:
    from geo.export.context import ExportContext

GEOMETRY_COLUMN = "WKT"


def _cell(value: Any) -> str:
    if value is None or value != value:  # None or NaN
        return ""
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    return str(value)


# What a spreadsheet may run as a formula when a cell starts with it (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(cell: str) -> str:
    """A cell a spreadsheet would take for a formula, prefixed with ' so that it shows as text."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def write_csv(ctx: ExportContext, layer_id: str, temps: list[Path]) -> None:
    frame = ctx.flat[layer_id]
    wkt = shapely.to_wkt(frame.geometry.to_numpy(), rounding_precision=COORDINATE_DECIMALS, trim=True)
    raw = ctx.csv_raw
    columns = [
        [
            _cell(value) if raw or field.type != "str" else neutralise(_cell(value))
            for value in frame[field.name].tolist()
        ]
        for field in FIELDS
    ]
    with temps[0].open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow([GEOMETRY_COLUMN, *(field.name for field in FIELDS)])
        writer.writerows(zip(wkt.tolist(), *columns))


CSV = Format("csv", "CSV with a WKT geometry column, one file per layer", per_layer("csv", "csv", (".csv",), write_csv))
