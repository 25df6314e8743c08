"""Publish the atlas to PostGIS and read it back: `geo publish`, `--data postgresql://…`, `geo pull`."""

from geo.publish.connect import (
    Target,
    is_database_url,
    mask,
    resolve_db,
    split_data_url,
)
from geo.publish.errors import PublishError

__all__ = ["PublishError", "Target", "is_database_url", "mask", "read_catalog", "resolve_db", "split_data_url"]


def read_catalog(target: Target, *, check: bool = True):
    """The catalog published in target.schema (see geo.publish.read); imported lazily, it is heavy."""
    from geo.publish.read import read_catalog as read

    return read(target, check=check)
