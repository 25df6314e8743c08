"""The credits every output carries, read from the data: each source record's `attribution` (the
line its licence obliges, or the credit the atlas gives it) and the base layer's source, named by
data/atlas.yaml `base_source`. Maps, sheets and exports take their credit lines from here; none
writes a credit of its own or guesses a licence from a source's text.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.catalog import Catalog


def base_attribution(catalog: Catalog) -> str | None:
    """The credit of the country outlines drawn under every map (None when the data names none)."""
    base = catalog.atlas.base_source if catalog.atlas else None
    source = catalog.sources.get(base) if base else None
    return source.attribution if source else None


def attributions(catalog: Catalog, source_ids: Iterable[str]) -> list[str]:
    """The distinct attribution lines of these sources, in the order of the sources file, without
    the base layer's (which every output states on its own line)."""
    wanted = set(source_ids)
    base = base_attribution(catalog)
    lines: list[str] = []
    for source in catalog.sources.values():
        line = source.attribution
        if source.id in wanted and line and line != base and line not in lines:
            lines.append(line)
    return lines
