"""The usage error an export raises on its own (kept as a name for callers of earlier versions)."""

from __future__ import annotations

from geo.errors import UsageError


class ExportUsageError(UsageError):
    """Wrong usage of `geo export` (e.g. --out inside data/, a foreign file in the way): exit 2, nothing written."""
