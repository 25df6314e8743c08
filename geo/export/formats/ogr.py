"""Writing through GDAL (pyogrio): one place that fixes the options every OGR-based format shares."""

from __future__ import annotations

import warnings
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import pyogrio

from geo.jsontext import to_json


@contextmanager
def gdal_config(**options: str) -> Iterator[None]:
    """Set GDAL config options for the block and restore the previous values after it."""
    previous = {name: pyogrio.get_gdal_config_option(name) for name in options}
    pyogrio.set_gdal_config_options(options)
    try:
        yield
    finally:
        pyogrio.set_gdal_config_options(previous)


def write_ogr(
    frame: pd.DataFrame,
    path: Path,
    *,
    driver: str,
    layer: str,
    geometry_type: str | None = None,
    layer_options: Mapping[str, str] | None = None,
    dataset_options: Mapping[str, str] | None = None,
    layer_metadata: Mapping[str, str] | None = None,
    dataset_metadata: Mapping[str, str] | None = None,
) -> None:
    """Write one layer (or, without a geometry column, one attribute table) with pyogrio.

    The geometry type is always given, so an empty selection (a --bbox that keeps nothing) still
    writes a layer of the declared type. GDAL warnings (truncated or renamed fields) are turned
    into errors: the export prepares its columns so that none should occur, and a silent change
    of the data is worse than a failed format.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("error", RuntimeWarning)
        pyogrio.write_dataframe(
            frame,
            path,
            layer=layer,
            driver=driver,
            geometry_type=geometry_type,
            promote_to_multi=False,
            layer_options=dict(layer_options or {}),
            dataset_options=dict(dataset_options or {}),
            layer_metadata=dict(layer_metadata) if layer_metadata else None,
            dataset_metadata=dict(dataset_metadata) if dataset_metadata else None,
            append=False,
        )


def ogr_metadata(document: Mapping[str, Any]) -> dict[str, str]:
    """GDAL metadata items are strings: nested values as sorted JSON."""
    return {key: value if isinstance(value, str) else to_json(value) for key, value in sorted(document.items())}
