"""The registry of export formats, in the order they are written and listed."""

from __future__ import annotations

from geo.export.formats.base import Format, Job
from geo.export.formats.csv import CSV
from geo.export.formats.flatgeobuf import FLATGEOBUF
from geo.export.formats.geojson import GEOJSON
from geo.export.formats.gpkg import GPKG
from geo.export.formats.kml import KML, KMZ
from geo.export.formats.parquet import PARQUET
from geo.export.formats.shapefile import SHAPEFILE
from geo.format_names import EXPORT_FORMATS, check_registry

_WRITERS = {fmt.name: fmt for fmt in (GPKG, GEOJSON, FLATGEOBUF, PARQUET, SHAPEFILE, KML, KMZ, CSV)}
check_registry("export", EXPORT_FORMATS, _WRITERS)
# name -> Format in geo.format_names' order; a plain dict (a test may swap one writer out).
FORMATS: dict[str, Format] = {name: _WRITERS[name] for name in EXPORT_FORMATS}

__all__ = ["FORMATS", "Format", "Job"]
