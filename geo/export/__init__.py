"""`geo export`: every layer with its joined metadata in the formats GIS people use.

GeoPackage (one file with record and link tables), GeoJSON (RFC 7946), FlatGeobuf, GeoParquet,
zipped Shapefile, KML/KMZ and CSV, all from one flattening of the metadata (flatten.py) and one
set of rounded geometries (geometry.py), with provenance in each file and a manifest.json.
"""

from __future__ import annotations

from geo.export.errors import ExportUsageError
from geo.export.flatten import FIELDS, LIST_SEPARATOR, flatten_value
from geo.export.formats import FORMATS
from geo.export.geometry import COORDINATE_DECIMALS, CRS
from geo.export.manifest import MANIFEST
from geo.export.run import ExportReport, export_catalog

__all__ = [
    "COORDINATE_DECIMALS",
    "CRS",
    "FIELDS",
    "FORMATS",
    "LIST_SEPARATOR",
    "MANIFEST",
    "ExportReport",
    "ExportUsageError",
    "export_catalog",
    "flatten_value",
]
