"""GeoJSON, one file per layer, written directly so that its bytes are under our control.

RFC 7946: WGS84 lon/lat, no "crs" member, outer rings counter-clockwise (geometry.py orients
them), coordinates with 6 decimals. The provenance travels as the foreign member "atlas" of the
FeatureCollection, and "name" is the layer id (GDAL and QGIS show it as the layer name). Each
feature has its id both as the Feature "id" member and in properties, one feature per line so
that diffs of two exports stay readable. Geometry text comes from GEOS for all features at once.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shapely

from geo.export.formats.base import Format, per_layer
from geo.jsontext import to_json

if TYPE_CHECKING:
    from geo.export.context import ExportContext


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"), default=_plain)


def _plain(value: Any) -> Any:
    """numpy scalars that pandas may hand over."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} to GeoJSON")


def geojson_text(ctx: ExportContext, layer_id: str) -> str:
    frame = ctx.flat[layer_id]
    geometries = shapely.to_geojson(frame.geometry.to_numpy())
    properties = frame.drop(columns=frame.geometry.name).to_dict("records")
    provenance = to_json(ctx.layer_provenance(layer_id))
    head = f'{{"type":"FeatureCollection","name":{_json(layer_id)},"atlas":{provenance},"features":['
    features = [
        f'{{"type":"Feature","id":{_json(props["id"])},"properties":{_json(props)},"geometry":{geometry}}}'
        for props, geometry in zip(properties, geometries)
    ]
    return head + ("\n" + ",\n".join(features) + "\n" if features else "") + "]}\n"


def write_geojson(ctx: ExportContext, layer_id: str, temps: list[Path]) -> None:
    temps[0].write_text(geojson_text(ctx, layer_id), encoding="utf-8", newline="\n")


GEOJSON = Format(
    "geojson", "GeoJSON (RFC 7946), one file per layer", per_layer("geojson", "geojson", (".geojson",), write_geojson)
)
