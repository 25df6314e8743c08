"""`geo pull`: write a catalog read from the database back as data files, so edits made in GIS
can come home to git. Written into a temporary sibling directory, validated, then renamed."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from pathlib import Path

import orjson
import shapely
import yaml
from pydantic import BaseModel

from geo.catalog import Catalog, Layer, read_catalog
from geo.publish.errors import PublishError
from geo.publish.rows import stored_files
from geo.validate import validated


def _yaml(records: Iterable[BaseModel]) -> bytes:
    dumped = [record.model_dump(mode="json", exclude_none=True) for record in records]
    return yaml.safe_dump(dumped, sort_keys=False, allow_unicode=True, width=100).encode("utf-8")


def _geojson(layer: Layer) -> bytes:
    geometries = shapely.to_geojson([feature.geometry for feature in layer.features])
    features = [
        {"type": "Feature", "properties": f.properties.model_dump(mode="json", exclude_none=True),
         "geometry": orjson.loads(geometry)}
        for f, geometry in zip(layer.features, geometries)
    ]
    return orjson.dumps({"type": "FeatureCollection", "features": features}, option=orjson.OPT_INDENT_2) + b"\n"


def write_data_dir(catalog: Catalog, out_dir: Path) -> int:
    """Write every data file of the catalog into out_dir; raise DataError if they do not validate."""
    layout = catalog.files
    files: dict[str, bytes] = {
        layout.layers: _yaml(layer.spec for layer in catalog.layers.values()),
        layout.maps: _yaml(catalog.maps.values()),
        **{getattr(layout, kind): _yaml(getattr(catalog, kind).values()) for kind in ("sources", "projects", "events", "figures")},
        **{layer.spec.file: _geojson(layer) for layer in catalog.layers.values()},
    }
    root = Path(catalog.root)
    for path in stored_files(root):  # atlas.yaml and base/, byte for byte
        files[path.relative_to(root).as_posix()] = path.read_bytes()
    out_dir = Path(out_dir)
    tmp = out_dir.parent / f".{out_dir.name}.pull-{os.getpid()}"
    try:
        for name, content in files.items():
            target = tmp / name
            if not target.resolve().is_relative_to(tmp.resolve()):
                raise PublishError(f"layer file {name!r} would be written outside {out_dir}; not pulled")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        validated(read_catalog(tmp))  # a pull that would not validate is not written
        if out_dir.exists():
            out_dir.rmdir()  # checked empty by the caller
        os.replace(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return len(files)
