"""`geo pull`: write a catalog read from the database back as data files, so edits made in GIS
can come home to git.

Guarded like every writer: a lock beside --out (a second pull into the same --out is refused,
naming the first), the files written into a staging directory beside it (`.OUT.pull`), validated
there, then renamed into place in one step. A pull that was killed leaves its staging directory,
which the next pull removes under the lock before it starts.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

import orjson
import shapely
import yaml
from pydantic import BaseModel

from geo.catalog import Catalog, Layer, read_catalog
from geo.errors import DataError, OutputError, UsageError
from geo.outdir import acquire_lock, release_lock
from geo.publish.errors import PublishError
from geo.validate import validated


def _yaml(records: Iterable[BaseModel]) -> bytes:
    dumped = [record.model_dump(mode="json", exclude_none=True) for record in records]
    return yaml.safe_dump(dumped, sort_keys=False, allow_unicode=True, width=100).encode("utf-8")


def _geojson(layer: Layer) -> bytes:
    geometries = shapely.to_geojson([feature.geometry for feature in layer.features])
    features = [
        {
            "type": "Feature",
            "properties": f.properties.model_dump(mode="json", exclude_none=True),
            "geometry": orjson.loads(geometry),
        }
        for f, geometry in zip(layer.features, geometries)
    ]
    return orjson.dumps({"type": "FeatureCollection", "features": features}, option=orjson.OPT_INDENT_2) + b"\n"


def data_files(catalog: Catalog) -> dict[str, bytes]:
    """Every data file of the catalog by its path in the data directory: records as YAML, layers as
    GeoJSON, and the files it keeps byte for byte (atlas.yaml, README.md, base/)."""
    layout = catalog.files
    files: dict[str, bytes] = {
        layout.layers: _yaml(layer.spec for layer in catalog.layers.values()),
        layout.maps: _yaml(catalog.maps.values()),
        **{
            getattr(layout, kind): _yaml(getattr(catalog, kind).values())
            for kind in ("sources", "projects", "events", "figures")
        },
        **{layer.spec.file: _geojson(layer) for layer in catalog.layers.values()},
    }
    files.update(catalog.stored)
    return files


def write_file(path: Path, payload: bytes) -> None:
    """One file of the staging directory (its folders made as needed)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(payload)


def staging_dir(out_dir: Path) -> Path:
    """Where a pull into out_dir writes before it renames: beside it, so the rename stays on one file system."""
    return out_dir.parent / f".{out_dir.name}.pull"


def _lock_path(out_dir: Path) -> Path:
    return out_dir.parent / f".{out_dir.name}.pull.lock"


def _remove_leftovers(out_dir: Path) -> None:
    """The staging of a pull that was killed (and the per-process ones of earlier versions: `.OUT.pull-PID`)."""
    shutil.rmtree(staging_dir(out_dir), ignore_errors=True)
    for leftover in out_dir.parent.glob(f".{out_dir.name}.pull-*"):
        if leftover.is_dir() and not leftover.is_symlink() and leftover.name.rsplit("-", 1)[-1].isdigit():
            shutil.rmtree(leftover, ignore_errors=True)


def write_data_dir(catalog: Catalog, out_dir: Path) -> int:
    """Write every data file of the catalog into out_dir (new, or an empty directory); raise
    DataError if they do not validate, UsageError if out_dir is not empty, OutputBusy while another
    pull holds it. Returns the number of files written."""
    out_dir = Path(os.path.abspath(out_dir))
    files = data_files(catalog)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        lock = acquire_lock(out_dir.parent, "pull", path=_lock_path(out_dir))
    except OSError as exc:
        raise OutputError(f"could not write {exc.filename or out_dir}: {exc.strerror or exc}") from None
    tmp = staging_dir(out_dir)
    try:
        _remove_leftovers(out_dir)
        if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
            raise UsageError(
                f"--out {out_dir} is not empty: pull writes a whole data directory into a new or empty one"
            )
        for name, content in files.items():
            target = tmp / name
            if not target.resolve().is_relative_to(tmp.resolve()):
                raise PublishError(f"file {name!r} would be written outside {out_dir}; not pulled")
            write_file(target, content)
        try:
            validated(read_catalog(tmp))  # a pull that would not validate is not written
        except DataError as exc:  # named as the files will be named, not by the staging directory that is removed
            staged = tmp.name + "/"
            raise DataError(
                [
                    replace(p, file=out_dir.name + "/" + p.file.split(staged, 1)[-1]) if staged in p.file else p
                    for p in exc.problems
                ]
            ) from None
        os.replace(tmp, out_dir)  # an empty directory in the way is replaced in the same step
    except OSError as exc:
        raise OutputError(f"could not write {exc.filename or out_dir}: {exc.strerror or exc}") from None
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
        release_lock(lock)
    return len(files)
