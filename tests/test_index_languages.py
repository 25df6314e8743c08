"""The index page links every map in each language (maps/index.html)."""

from __future__ import annotations

from pathlib import Path

from geo.catalog import load_catalog


def test_the_index_links_each_map_in_each_language(built_maps) -> None:  # type: ignore[no-untyped-def]
    out, _ = built_maps
    index = (out / "index.html").read_text(encoding="utf-8")
    catalog = load_catalog(Path(__file__).resolve().parents[1] / "data")
    for spec in catalog.maps.values():
        assert f'href="{spec.id}.html#lang=en" hreflang="en"' in index
        title = catalog.translations["ru"].entries[("maps", spec.id, "title")].text
        assert f'href="{spec.id}.html#lang=ru" hreflang="ru">{title}</a>' in index
    assert 'lang="ru"' in index
