"""The one error `geo publish` and the database reader raise: a readable cause, exit 1."""

from __future__ import annotations

from geo.errors import AtlasError


class PublishError(AtlasError):
    """The database cannot be used (unreachable, refused, not PostGIS, not ours) or the write failed."""
