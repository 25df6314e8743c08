"""Byte counts as people read them in progress lines (decimal units, as file managers show them)."""

from __future__ import annotations


def human_size(size: float) -> str:
    """'812 B', '3.4 kB', '23.8 MB', '1.2 GB'."""
    for unit in ("B", "kB", "MB"):
        if size < 1000:
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"
