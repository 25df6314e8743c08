"""The one error an export raises on its own: the user asked for something it must not do."""

from __future__ import annotations


class ExportUsageError(Exception):
    """Wrong usage (e.g. --out inside data/, a foreign file in the way): the CLI exits 2, nothing is written."""
