"""Shapefile, one zip per layer, with the mapping from column names to 10-character DBF names.

DBF limits field names to 10 characters and text to 254 bytes, and has no null for text. Long
column names are mapped by the fixed table SHORT_NAMES; the mapping is written as
<layer>.fields.csv both next to the zip and inside it, so it travels with the data. Text longer
than 254 bytes (UTF-8) is cut at a character boundary and ends with "…" so the cut is visible;
the full text is in every other format. The .cpg file declares UTF-8 (GDAL's ENCODING=UTF-8).
Dates are not DBF dates: the atlas's partial dates ("2023-11") stay ISO text. The DBF header's
last-update date is the data date (as the GeoPackage's timestamps), never the day of the run.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas

from geo.export.flatten import FIELDS
from geo.export.formats.base import Format, per_layer
from geo.export.formats.ogr import write_ogr
from geo.export.ziputil import write_zip

if TYPE_CHECKING:
    from geo.export.context import ExportContext

DBF_NAME_LIMIT = 10
DBF_TEXT_LIMIT = 254  # bytes
ELLIPSIS = "…"
PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
DBF_TYPES = {"str": "C (text, UTF-8)", "bool": "L (logical)", "float": "N (real)"}

# Columns whose names do not fit in 10 characters; every other column keeps its name.
SHORT_NAMES = {
    "geometry_source": "geom_src",
    "project_names": "proj_names",
    "all_sources": "all_srcs",
    "status_as_of": "status_on",
    "status_sources": "status_src",
    "status_stale": "status_old",
}


def short_name(column: str) -> str:
    return SHORT_NAMES.get(column, column)


def _check_mapping() -> None:
    names = [short_name(field.name) for field in FIELDS]
    too_long = [name for name in names if len(name) > DBF_NAME_LIMIT]
    if too_long or len(set(names)) != len(names):
        raise ValueError(f"shapefile field names must be unique and at most 10 characters: {names}")


def clip_text(value: str | None, limit: int = DBF_TEXT_LIMIT) -> str | None:
    """Text cut to `limit` UTF-8 bytes at a character boundary, marked with '…' when cut."""
    if value is None or len(value.encode("utf-8")) <= limit:
        return value
    room = limit - len(ELLIPSIS.encode("utf-8"))
    return value.encode("utf-8")[:room].decode("utf-8", errors="ignore") + ELLIPSIS


def fields_csv() -> bytes:
    """The column -> shapefile field mapping as CSV (UTF-8), the same for every layer."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["shapefile_field", "column", "dbf_type", "max_bytes", "description"])
    for field in FIELDS:
        limit = str(DBF_TEXT_LIMIT) if field.type == "str" else ""
        writer.writerow([short_name(field.name), field.name, DBF_TYPES[field.type], limit, field.description])
    return out.getvalue().encode("utf-8")


def shapefile_frame(frame: geopandas.GeoDataFrame) -> geopandas.GeoDataFrame:
    """The flat layer with short names and text clipped to what DBF holds."""
    renamed = frame.rename(columns={field.name: short_name(field.name) for field in FIELDS})
    for field in FIELDS:
        if field.type == "str":
            column = short_name(field.name)
            renamed[column] = renamed[column].map(clip_text).astype(object)
    return renamed


def write_shapefile(ctx: ExportContext, layer_id: str, temps: list[Path]) -> None:
    _check_mapping()
    zip_temp, fields_temp = temps
    scratch = zip_temp.parent / "parts"
    scratch.mkdir()
    write_ogr(
        shapefile_frame(ctx.flat[layer_id]),
        scratch / f"{layer_id}.shp",
        driver="ESRI Shapefile",
        layer=layer_id,
        geometry_type=ctx.geometry_type(layer_id),
        # The DBF header holds a "last update" date, by default the day of the run: take the
        # data date instead, so that the same data gives the same bytes on any day.
        layer_options={"ENCODING": "UTF-8", "DBF_DATE_LAST_UPDATE": ctx.provenance.timestamp[:10]},
    )
    mapping = fields_csv()
    members = [(f"{layer_id}{suffix}", (scratch / f"{layer_id}{suffix}").read_bytes()) for suffix in PARTS]
    write_zip(zip_temp, [*members, (f"{layer_id}.fields.csv", mapping)])
    fields_temp.write_bytes(mapping)


SHAPEFILE = Format(
    "shp",
    "ESRI Shapefile, one zip per layer, with its field-name mapping",
    per_layer("shp", "shp", (".shp.zip", ".fields.csv"), write_shapefile),
)
