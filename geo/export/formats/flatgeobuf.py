"""FlatGeobuf, one file per layer, through GDAL: TITLE and DESCRIPTION carry the provenance.

FlatGeobuf has no other metadata slot that GDAL writes, so DESCRIPTION holds the provenance
document as JSON (sorted keys, so the bytes are stable); TITLE is the layer's title.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from geo.export.formats.base import Format, per_layer
from geo.export.formats.ogr import write_ogr
from geo.jsontext import to_json

if TYPE_CHECKING:
    from geo.export.context import ExportContext


def write_fgb(ctx: ExportContext, layer_id: str, temps: list[Path]) -> None:
    spec = ctx.catalog.layers[layer_id].spec
    write_ogr(
        ctx.flat[layer_id],
        temps[0],
        driver="FlatGeobuf",
        layer=layer_id,
        geometry_type=ctx.geometry_type(layer_id),
        layer_options={
            "SPATIAL_INDEX": "YES",
            "TITLE": spec.title,
            "DESCRIPTION": to_json(ctx.layer_provenance(layer_id)),
        },
    )


FLATGEOBUF = Format("fgb", "FlatGeobuf, one file per layer", per_layer("fgb", "fgb", (".fgb",), write_fgb))
