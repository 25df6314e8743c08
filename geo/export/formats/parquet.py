"""GeoParquet, one file per layer, through geopandas and pyarrow (the GDAL in pip wheels lacks Parquet).

geopandas writes the GeoParquet "geo" metadata (encoding, CRS as PROJJSON, bbox); the
provenance document is added as a second key-value entry, "atlas", in the Parquet footer.
geopandas has no public hook for extra metadata, so the table is built in memory, the key is
added, and pyarrow writes the file once.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow.parquet as pq

from geo.export.formats.base import Format, per_layer
from geo.jsontext import to_json

if TYPE_CHECKING:
    from geo.export.context import ExportContext

METADATA_KEY = b"atlas"


def write_parquet(ctx: ExportContext, layer_id: str, temps: list[Path]) -> None:
    buffer = io.BytesIO()
    ctx.flat[layer_id].to_parquet(buffer, index=False, compression="zstd", schema_version="1.1.0")
    buffer.seek(0)
    table = pq.read_table(buffer)
    metadata = {**(table.schema.metadata or {}), METADATA_KEY: to_json(ctx.layer_provenance(layer_id)).encode("utf-8")}
    pq.write_table(table.replace_schema_metadata(metadata), temps[0], compression="zstd")


PARQUET = Format(
    "parquet", "GeoParquet 1.1, one file per layer", per_layer("parquet", "parquet", (".parquet",), write_parquet)
)
