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


def base_attribution(catalog: Catalog, lang: str = "en") -> str | None:
    """The credit of the country outlines drawn under every map (None when the data names none),
    in `lang` where data/i18n/<lang>.yaml translates it."""
    base = catalog.atlas.base_source if catalog.atlas else None
    source = catalog.sources.get(base) if base else None
    if source is None or not source.attribution:
        return None
    return _in(catalog, lang, source.id, source.attribution)


def _in(catalog: Catalog, lang: str, source_id: str, line: str) -> str:
    from geo.texts import localized

    return localized(catalog, lang, "sources", source_id, "attribution", line)


def attributions(catalog: Catalog, source_ids: Iterable[str], lang: str = "en") -> list[str]:
    """The distinct attribution lines of these sources, in the order of the sources file, without
    the base layer's (which every output states on its own line); in `lang` where translated."""
    wanted = set(source_ids)
    base = base_attribution(catalog)
    english: list[str] = []
    lines: list[str] = []
    for source in catalog.sources.values():
        line = source.attribution
        if source.id in wanted and line and line != base and line not in english:
            english.append(line)
            lines.append(_in(catalog, lang, source.id, line))
    return lines
