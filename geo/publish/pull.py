"""`geo pull`: write a catalog read from the database back as data files, so edits made in GIS
can come home to git. Written into a temporary sibling directory, validated, then renamed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import orjson
import shapely
import yaml

from geo.catalog import LAYERS_FILE, MAPS_FILE, METADATA_FILES, Catalog, load_catalog
from geo.publish.errors import PublishError


def _yaml(records) -> bytes:
    dumped = [record.model_dump(mode="json", exclude_none=True) for record in records]
    return yaml.safe_dump(dumped, sort_keys=False, allow_unicode=True, width=100).encode("utf-8")


def _geojson(layer) -> bytes:
    geometries = shapely.to_geojson([feature.geometry for feature in layer.features])
    features = [
        {"type": "Feature", "properties": f.properties.model_dump(mode="json", exclude_none=True),
         "geometry": orjson.loads(geometry)}
        for f, geometry in zip(layer.features, geometries)
    ]
    return orjson.dumps({"type": "FeatureCollection", "features": features}, option=orjson.OPT_INDENT_2) + b"\n"


def write_data_dir(catalog: Catalog, out_dir: Path) -> int:
    """Write every data file of the catalog into out_dir; raise DataError if they do not validate."""
    files: dict[str, bytes] = {
        LAYERS_FILE: _yaml(layer.spec for layer in catalog.layers.values()),
        MAPS_FILE: _yaml(catalog.maps.values()),
        **{path: _yaml(getattr(catalog, kind).values()) for kind, path in METADATA_FILES.items()},
        **{layer.spec.file: _geojson(layer) for layer in catalog.layers.values()},
    }
    base = Path(catalog.root) / "base"
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        files[f"base/{path.relative_to(base).as_posix()}"] = path.read_bytes()
    out_dir = Path(out_dir)
    tmp = out_dir.parent / f".{out_dir.name}.pull-{os.getpid()}"
    try:
        for name, content in files.items():
            target = tmp / name
            if not target.resolve().is_relative_to(tmp.resolve()):
                raise PublishError(f"layer file {name!r} would be written outside {out_dir}; not pulled")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
        load_catalog(tmp)  # a pull that would not validate is not written
        if out_dir.exists():
            out_dir.rmdir()  # checked empty by the caller
        os.replace(tmp, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return len(files)
