"""`geo render` lays every sheet size out inside the image: nothing runs past an edge or is cut.

The overview (every layer: the most legend entries and sources) is rendered at each size the
command offers, as SVG; Chromium measures each text element of the file (its extent as drawn with
the file's own font), so the check does not trust the layout's own arithmetic. Every legend entry
and every credit line must be in the file and inside the sheet; a sheet that names only some of
its sources says where the rest are, and its PDF lists them all on a page of their own.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geo.static.render import build_sheet
from geo.static.sheet import make_sheet
from geo.static.write import sheet_bytes, sheet_rc
from tests.conftest import run_geo

# Every size the command offers in English; Russian (words a third longer) at the smallest and at A4.
SIZES = [
    ("A4", True, "en"), ("A3", True, "en"), ("letter", True, "en"), ("1600x1000px", True, "en"),
    ("800x600px", True, "en"), ("A4", False, "en"), ("A4", True, "ru"), ("800x600px", True, "ru"),
    ("1600x1000px", True, "ru"),
]  # fmt: skip
MAP = "overview"

# The labels' words (each label is an SVG group `label-N`) and the scale bar's and north arrow's
# boxes, as Chromium draws them.
LABEL_AND_FURNITURE_BOXES = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const labels = [...document.querySelectorAll('g[id^="label-"]')].map(g => {
    const lines = [...g.querySelectorAll('text')].map(box);  // a label of two lines is two <text>s
    return [[...g.querySelectorAll('text')].map(t => t.textContent).join(' / '),
            Math.min(...lines.map(b => b[0])), Math.min(...lines.map(b => b[1])),
            Math.max(...lines.map(b => b[2])), Math.max(...lines.map(b => b[3]))];
  });
  const furniture = ['scale-bar', 'north-arrow', 'north-arrow-letter'].map(id => [id, ...box(document.getElementById(id))]);
  return {labels, furniture};
}"""

# Each <text>'s box as Chromium draws it, against the sheet's own box.
TEXT_BOXES = """() => {
  const svg = document.querySelector('svg');
  const sheet = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].map(t => {
    const r = t.getBoundingClientRect();
    return [t.textContent, r.left - sheet.left, r.top - sheet.top, r.right - sheet.left, r.bottom - sheet.top,
            sheet.width, sheet.height];
  });
}"""


@pytest.fixture(scope="module")
def svg_page(browser):
    """One tab for every sheet of this file: a new tab costs Chromium a renderer process and
    about 0.4 CPU-seconds more than taking the next SVG into the same one."""
    page = browser.new_page()
    yield page
    page.close()


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("size", "landscape", "lang"), SIZES, ids=[f"{s}-{'landscape' if o else 'portrait'}-{g}" for s, o, g in SIZES]
)
def test_every_text_of_the_sheet_lies_inside_it(
    svg_page, catalog, tmp_path: Path, size: str, landscape: bool, lang: str
):
    # A pixel size at the command's default dpi (150), the smallest sheet it makes of one; paper at 100.
    sheet = make_sheet(size, landscape=landscape, dpi=150 if size.endswith("px") else 100)
    with sheet_rc():
        fig, info = build_sheet(catalog, catalog.maps[MAP], sheet, lang)
        svg = sheet_bytes(fig, "svg", sheet.dpi)
    path = tmp_path / f"{MAP}.svg"
    path.write_bytes(svg)
    svg_page.goto(path.resolve().as_uri())
    boxes = svg_page.evaluate(TEXT_BOXES)
    placed = svg_page.evaluate(LABEL_AND_FURNITURE_BOXES)
    assert boxes
    _labels_apart(placed, size)
    for text, left, top, right, bottom, width, height in boxes:
        inside = left >= -0.5 and top >= -0.5 and right <= width + 0.5 and bottom <= height + 0.5
        assert inside, (size, text, left, top, right, bottom)
    drawn = _words(" ".join(text for text, *_ in boxes))
    for entry in info.legend:  # wrapped or not, each entry's words follow one another
        assert _words(entry) in drawn, (size, entry)
    lines = [text for text, *_ in boxes]
    for line in info.credits.split("\n"):
        assert line in lines, (size, line)
    assert ("Data as of " if lang == "en" else "Данные на ") in info.credits and "Natural Earth" in info.credits
    if info.source_pages:  # the sheet names some sources and says where all of them are
        where = (
            "are listed on page 2 of this sheet's PDF" if lang == "en" else "перечислены на странице 2 PDF этого листа"
        )
        assert f" {len(info.source_pages)} {where}" in _words(info.credits)


def _labels_apart(placed: dict, size: str) -> None:
    """Labels keep apart from one another and off the scale bar and the north arrow."""
    labels, furniture = placed["labels"], placed["furniture"]
    assert len(labels) >= 5, labels
    assert all(right - left > 5 for _, left, _, right, _ in furniture), furniture  # each is in the file
    for i, (text, *a) in enumerate(labels):
        for other, *b in labels[i + 1 :] + furniture:
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            assert apart, (size, text, other, a, b)


@pytest.mark.browser
@pytest.mark.parametrize("map_id", ["kazakhstan-uzbekistan", "kazakhstan-tajikistan", "corridors"])
def test_on_every_map_at_small_sizes_labels_keep_off_each_other_and_the_furniture(svg_page, catalog, tmp_path, map_id):
    for size in ("800x600px", "1600x1000px", "A4"):  # pixel sizes at the command's default dpi: the smallest
        sheet = make_sheet(size, landscape=True, dpi=150)
        with sheet_rc():
            fig, _ = build_sheet(catalog, catalog.maps[map_id], sheet)
            path = tmp_path / f"{map_id}-{size}.svg"
            path.write_bytes(sheet_bytes(fig, "svg", sheet.dpi))
        svg_page.goto(path.resolve().as_uri())
        _labels_apart(svg_page.evaluate(LABEL_AND_FURNITURE_BOXES), size)


def test_a_small_sheet_moves_its_sources_to_the_pdf_s_second_page(tmp_path: Path):
    from pypdf import PdfReader

    result = run_geo("render", MAP, "--out", str(tmp_path), "--size", "800x600px", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    reader = PdfReader(tmp_path / f"{MAP}.pdf")
    assert len(reader.pages) >= 2
    sheet = reader.pages[0].extract_text()
    match = re.search(r"all (\d+) are listed on\s+page 2 of this sheet's PDF", sheet)
    assert match, sheet
    rest = " ".join(page.extract_text() for page in reader.pages[1:])
    assert "Sources of the features drawn on the sheet" in rest
    assert re.search(rf"\b{match.group(1)}\. ", rest) and not re.search(rf"\b{int(match.group(1)) + 1}\. [A-Z]", rest)
