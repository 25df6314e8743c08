"""`geo render --lang ru`: a sheet in Russian (title, legend, scale, credits, labels Russian name first),
and the index page linking every map in each language."""

from __future__ import annotations

import re
from pathlib import Path

from geo.catalog import load_catalog
from geo.static import make_sheet
from geo.static.render import build_sheet, sheet_name

CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def test_a_russian_sheet_says_everything_in_russian_and_names_places_russian_first(data_dir: Path) -> None:
    catalog = load_catalog(data_dir)
    spec = catalog.maps["kazakhstan-tajikistan"]
    fig, info = build_sheet(catalog, spec, make_sheet("A4", landscape=True, dpi=72), "ru")
    title = catalog.translations["ru"].entries[("maps", spec.id, "title")].text
    texts = [t.get_text() for t in fig.texts]
    assert title in texts
    assert info.legend and all(CYRILLIC.search(entry) for entry in info.legend), info.legend
    assert info.credits.startswith("Проекция: равноугольная коническая проекция Ламберта")
    assert "Тексты переведены для атласа" in info.credits and "Данные на" in info.credits
    assert "Худжанд\nKhujand" in info.labels  # the Russian name first, the English under it
    assert any(label.startswith("ТАДЖИКИСТАН") for label in info.labels), info.labels
    axes_texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert "Легенда" in axes_texts and "С" in axes_texts  # the legend's heading, the north arrow
    scale = [c for ax in fig.axes for c in ax.get_children() if type(c).__name__ == "ScaleBar"]
    assert scale and scale[0].scale_formatter(100, "km") == "100 км"
    assert (
        sheet_name(spec.id, "pdf", "ru") == "kazakhstan-tajikistan.ru.pdf"
        and sheet_name(spec.id, "pdf") == "kazakhstan-tajikistan.pdf"
    )


def test_render_refuses_a_language_the_atlas_lacks(geo_cli) -> None:  # type: ignore[no-untyped-def]
    result = geo_cli("render", "--lang", "xx", "--out", "/nonexistent")
    assert result.returncode == 2
    assert "unknown language 'xx'" in result.stderr and "Traceback" not in result.stderr


def test_the_index_links_each_map_in_each_language(built_maps) -> None:  # type: ignore[no-untyped-def]
    out, _ = built_maps
    index = (out / "index.html").read_text(encoding="utf-8")
    catalog = load_catalog(Path(__file__).resolve().parents[1] / "data")
    for spec in catalog.maps.values():
        assert f'href="{spec.id}.html#lang=en" hreflang="en"' in index
        assert (
            f'href="{spec.id}.html#lang=ru" hreflang="ru">{catalog.translations["ru"].entries[("maps", spec.id, "title")].text}</a>'
            in index
        )
    assert 'lang="ru"' in index
