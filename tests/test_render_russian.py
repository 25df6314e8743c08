"""`geo render --lang ru`: a sheet in Russian — title, description, legend, scale, north arrow,
locator, credits and dates in Russian, each place's Russian name first — beside the English one."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from geo.static.render import build_sheet, sheet_name
from geo.static.sheet import make_sheet
from geo.static.write import sheet_rc
from tests.conftest import run_geo

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
SVG = "{http://www.w3.org/2000/svg}"
MAP = "kazakhstan-tajikistan"


@pytest.fixture(scope="module")
def sheets(catalog):
    """The same map as an A4 sheet in English and in Russian."""
    sheet = make_sheet("A4", landscape=True, dpi=72)
    with sheet_rc():
        return {lang: build_sheet(catalog, catalog.maps[MAP], sheet, lang) for lang in ("en", "ru")}


def test_a_russian_sheet_says_everything_in_russian_and_names_places_russian_first(catalog, sheets):
    fig, info = sheets["ru"]
    english_fig, english = sheets["en"]
    title = catalog.translations["ru"].entries[("maps", MAP, "title")].text
    assert title in [t.get_text() for t in fig.texts]
    # Every legend entry is Russian and none is left as its English words.
    assert info.legend and all(CYRILLIC.search(entry) for entry in info.legend), info.legend
    assert not set(info.legend) & set(english.legend), set(info.legend) & set(english.legend)
    assert info.credits.startswith("Проекция: равноугольная коническая проекция Ламберта")
    assert "Данные на " in info.credits and " г.; сделано geo-atlas" in info.credits  # a CLDR date
    assert ".." not in info.credits
    assert "Контуры стран: Natural Earth" in info.credits  # the licence line as data/i18n/ru.yaml gives it
    # A place's Russian name first, its English one under it; countries as the atlas cites them.
    assert "Худжанд\nKhujand" in info.labels and "Khujand\nХуджанд" in english.labels
    assert any(label.startswith("ТАДЖИКИСТАН\n") for label in info.labels), info.labels
    assert any(label.startswith("КЫРГЫЗСТАН\n") for label in info.labels), info.labels  # not «Киргизия»
    texts = [t.get_text() for ax in fig.axes for t in ax.texts] + [ax.get_title(loc="left") for ax in fig.axes]
    assert "Легенда" in texts and "С" in texts and "Обзорная карта" in texts
    scale = [c for ax in fig.axes for c in ax.get_children() if type(c).__name__.endswith("ScaleBar")]
    assert scale and scale[0].scale_formatter(100, "km") == "100 км"
    english_scale = [c for ax in english_fig.axes for c in ax.get_children() if type(c).__name__.endswith("ScaleBar")]
    assert english_scale[0].scale_formatter(100, "km") == "100 km"


def test_render_ru_writes_the_russian_files_beside_the_english_ones(tmp_path: Path):
    assert sheet_name(MAP, "pdf", "ru") == f"{MAP}.ru.pdf" and sheet_name(MAP, "pdf") == f"{MAP}.pdf"
    result = run_geo("render", MAP, "--lang", "ru", "--format", "svg", "--dpi", "50", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [f"{MAP}.ru.svg"]
    texts = ["".join(n.itertext()) for n in ET.parse(tmp_path / f"{MAP}.ru.svg").getroot().iter(f"{SVG}text")]
    words = " ".join(texts)
    for russian in ("Легенда", "Душанбе", "Водохранилище", "Проекция:", "100 км"):
        assert russian in words, russian
    # No word of the sheet's own stays English (source titles are the sources' own, never translated).
    for english in ("Legend", "Locator", "Reservoir", "Capital", "Country outline", "N", "100 km"):
        assert english not in texts, english
    for english in ("Projection:", "Data as of", "Sources of the features drawn"):
        assert english not in words, english


def test_render_refuses_a_language_the_atlas_lacks(tmp_path: Path):
    result = run_geo("render", "--lang", "xx", "--out", str(tmp_path / "out"))
    assert result.returncode == 2
    assert "unknown language 'xx'" in result.stderr and "en, ru" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "out").exists()
