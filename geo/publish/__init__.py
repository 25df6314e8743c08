"""Publish the atlas to PostGIS and read it back: `geo publish`, `--data postgresql://…`, `geo pull`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.publish.connect import (
    Target,
    is_database_url,
    mask,
    resolve_db,
    split_data_url,
)
from geo.publish.errors import PublishError

if TYPE_CHECKING:
    from geo.catalog import Catalog
    from geo.errors import Problem

__all__ = ["PublishError", "Target", "is_database_url", "mask", "read_catalog", "resolve_db", "split_data_url"]


def read_catalog(target: Target) -> tuple[Catalog, list[Problem]]:
    """The catalog published in target.schema and the problems met reading it (see geo.publish.read).

    Imported lazily: psycopg is heavy. Validation is the caller's, as for a catalog read from data/.
    """
    from geo.publish.read import read_catalog as read

    return read(target)
