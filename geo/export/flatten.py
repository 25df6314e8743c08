"""One way to flatten nested metadata, used by every format so that they all agree.

A feature joins lists (countries, sources, projects, events, figures) and several names. Formats
such as Shapefile, CSV or FlatGeobuf hold only scalar columns, so each list becomes one text
column with its items joined by "; " in their catalog order. Ids cannot contain ";" (see
geo.models.RecordId), so id lists split back losslessly; the GeoPackage also keeps them as link
tables. An empty list or a missing value becomes null; enums become their value; booleans and
numbers stay typed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from enum import Enum
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from geo.fields import FEATURE_FIELDS

if TYPE_CHECKING:
    import geopandas

LIST_SEPARATOR = "; "

Scalar = str | bool | int | float | None


# The columns of every exported layer, in order: the field dictionary's (geo/fields.py).
FIELDS = FEATURE_FIELDS
FIELD_NAMES = tuple(field.name for field in FIELDS)


def _is_missing(value: Any) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def flatten_value(value: Any) -> Scalar:
    """The scalar every format stores for one value: lists joined with '; ', empty/missing as null."""
    if isinstance(value, (list, tuple, np.ndarray)):
        items = [flatten_value(item) for item in value]
        return LIST_SEPARATOR.join(str(item) for item in items if item is not None) or None
    if _is_missing(value):
        return None
    if isinstance(value, Enum):
        member: Scalar = value.value
        return member
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (np.integer, np.floating)):
        return value.item()
    if isinstance(value, (str, int, float)):
        return value
    return str(value)


def flatten_record(record: Mapping[str, Any]) -> dict[str, Scalar]:
    """A record (a model dump or a joined row) with every value flattened."""
    return {key: flatten_value(value) for key, value in record.items()}


def flatten_layer(
    joined: geopandas.GeoDataFrame, project_names: Mapping[str, str], project_names_ru: Mapping[str, str] | None = None
) -> geopandas.GeoDataFrame:
    """The joined layer frame (list columns, as Catalog.layer_frame gives, with the Russian texts
    as *_ru columns) as FIELDS columns plus geometry."""
    import geopandas

    names_ru = project_names_ru or project_names
    source = joined.assign(
        project_names=[[project_names[i] for i in ids] for ids in joined["projects"]],
        project_names_ru=[[names_ru[i] for i in ids] for ids in joined["projects"]],
    )
    for name in ("note_ru", "geometry_source_ru"):
        if name not in source:
            source[name] = None
    columns: dict[str, pd.Series] = {}
    for field in FIELDS:
        values = [flatten_value(value) for value in source[field.name].tolist()]
        if field.type == "bool":
            columns[field.name] = pd.Series(values, dtype=bool, index=joined.index)
        elif field.type == "float":
            columns[field.name] = pd.Series(values, dtype="float64", index=joined.index)
        else:
            # object, not pandas' string dtype: None stays None in every writer and in to_dict().
            columns[field.name] = pd.Series(values, dtype=object, index=joined.index)
    frame = pd.DataFrame(columns, index=joined.index).reset_index(drop=True)
    return geopandas.GeoDataFrame(frame, geometry=joined.geometry.to_numpy(), crs=joined.crs)
