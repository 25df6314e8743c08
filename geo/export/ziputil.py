"""Zip archives with stable bytes: fixed member order, timestamps and permissions."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

# The earliest time a zip can store: any constant would do, this one says "no real timestamp".
ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)


def zip_info(name: str) -> zipfile.ZipInfo:
    """A member header with a constant time, Unix attributes (whatever OS writes it) and deflate."""
    info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = 0o644 << 16
    return info


def write_zip(path: Path, members: Sequence[tuple[str, bytes]]) -> None:
    """Write members (name, bytes) in the order given, deflated, with no wall-clock time in them."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, payload in members:
            archive.writestr(zip_info(name), payload)
