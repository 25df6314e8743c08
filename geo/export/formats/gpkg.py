"""GeoPackage: one atlas.gpkg with a table per layer, the record tables and the link tables.

Provenance is in the GeoPackage metadata extension: one 'dataset' row in gpkg_metadata holding
the provenance document as JSON (referenced with scope 'geopackage'), and per layer GDAL layer
metadata (also in gpkg_metadata, referenced to the table) plus a readable gpkg_contents
description. The dataset row is inserted with sqlite3 rather than through GDAL's dataset
metadata, because GDAL then writes an atlas.gpkg.aux.xml beside the file whenever it is merely
opened read-only. GeoPackage stamps tables with the current time; GDAL takes that time from
OGR_CURRENT_DATE, set from the data date, so the same data gives the same bytes.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.export.formats.base import Format, Job
from geo.export.formats.ogr import gdal_config, ogr_metadata, write_ogr
from geo.export.tables import TABLE_NAMES, gpkg_tables
from geo.jsontext import to_json

if TYPE_CHECKING:
    from geo.export.context import ExportContext

FILE = "atlas.gpkg"
# GeoPackage 1.2 rather than GDAL's newest default (1.4): GDAL before 3.8, ArcGIS and QGIS LTRs of
# recent years warn about or refuse newer versions, and the atlas needs nothing 1.3/1.4 added.
DATASET_OPTIONS = {"VERSION": "1.2"}
METADATA_URI = "urn:geo-atlas:provenance"  # the "standard" of our JSON document: this project's own


def _description(ctx: ExportContext, layer_id: str) -> str:
    """gpkg_contents.description: the layer's description and a readable provenance line."""
    spec = ctx.catalog.layers[layer_id].spec
    prov = ctx.provenance
    sources = "; ".join(ctx.layer_sources(layer_id)) or "none"
    return (
        f"{spec.description} Sources: {sources} (table 'sources'). Data date {prov.data_date or 'unknown'}; "
        f"data hash {prov.data_hash}. {prov.base_licence}"
    )


def write_gpkg(ctx: ExportContext, path: Path) -> None:
    clashes = sorted(set(ctx.layer_ids) & set(TABLE_NAMES))
    if clashes:
        raise ValueError(f"layer ids {', '.join(clashes)} clash with the GeoPackage's record/link table names")
    # The file is a staged temporary that the export syncs to disk once, whole, before it moves
    # into place (geo.outdir): SQLite's own sync at each of the 25 tables' commits bought nothing
    # and cost a third of the write (300 -> 190 ms for the shipped data).
    with gdal_config(OGR_CURRENT_DATE=ctx.provenance.timestamp, OGR_SQLITE_SYNCHRONOUS="OFF"):
        for layer_id in ctx.layer_ids:
            spec = ctx.catalog.layers[layer_id].spec
            write_ogr(
                ctx.flat[layer_id],
                path,
                driver="GPKG",
                layer=layer_id,
                geometry_type=ctx.geometry_type(layer_id),
                layer_options={"IDENTIFIER": spec.title, "DESCRIPTION": _description(ctx, layer_id), "FID": "fid"},
                layer_metadata=ogr_metadata({"provenance": ctx.layer_provenance(layer_id)}),
                dataset_options=DATASET_OPTIONS,
            )
        for name, table in gpkg_tables(ctx).items():
            write_ogr(
                table, path, driver="GPKG", layer=name, layer_options={"FID": "fid"}, dataset_options=DATASET_OPTIONS
            )
    add_dataset_metadata(path, ctx.dataset_provenance(), ctx.provenance.timestamp)


def add_dataset_metadata(path: Path, document: dict[str, Any], timestamp: str) -> None:
    """Insert the provenance as the GeoPackage's dataset-scope metadata row (JSON), with a fixed timestamp."""
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("PRAGMA synchronous = OFF")  # synced with the whole file when staged (write_gpkg)
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not {"gpkg_metadata", "gpkg_metadata_reference"} <= tables:
            raise RuntimeError("GDAL did not create the GeoPackage metadata tables (layer metadata missing?)")
        cursor = db.execute(
            "INSERT INTO gpkg_metadata (md_scope, md_standard_uri, mime_type, metadata) VALUES ('dataset', ?, ?, ?)",
            (METADATA_URI, "application/json", to_json(document)),
        )
        db.execute(
            "INSERT INTO gpkg_metadata_reference"
            " (reference_scope, table_name, column_name, row_id_value, timestamp, md_file_id)"
            " VALUES ('geopackage', NULL, NULL, NULL, ?, ?)",
            (timestamp, cursor.lastrowid),
        )


def plan(ctx: ExportContext) -> list[Job]:
    return [Job("gpkg", None, (FILE,), lambda temps: write_gpkg(ctx, temps[0]))]


GPKG = Format("gpkg", "GeoPackage (all layers, records and link tables in one file)", plan)
