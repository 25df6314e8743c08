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

# name -> Format; a plain dict keeps insertion order (and lets a test swap one writer out).
FORMATS: dict[str, Format] = {fmt.name: fmt for fmt in (GPKG, GEOJSON, FLATGEOBUF, PARQUET, SHAPEFILE, KML, KMZ, CSV)}

__all__ = ["FORMATS", "Format", "Job"]
