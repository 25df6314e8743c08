"""The cycle collector paused while a block builds millions of objects that form no cycle."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Run a block that builds millions of objects and no reference cycle without the cycle collector.

    Each full pass walks every live object again: while a large catalog is read, or a map's
    columns are made from it, the passes would cost more than the work itself (a quarter of a
    million-feature build, bench/). Memory is still freed by reference counting; what a block
    leaves in cycles (folium's elements know their parents) is collected once it ends. The
    collector is left as it was found (nothing global outlives the call).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
