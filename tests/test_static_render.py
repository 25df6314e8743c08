"""`geo render`: static PNG, SVG and PDF sheets of the maps, as a reader and a printer get them.

The four shipped maps are rendered once per session (in-process, through the CLI) in all three
formats; the tests read those files back: PNG size and pixel colours, SVG text, PDF text and fonts.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
import shapely
import yaml
from PIL import Image
from pyproj import Transformer

from geo.catalog import load_catalog
from geo.data_version import data_date
from geo.formatting import format_partial_date
from geo.style import KIND_STYLES
from tests.conftest import DATA, file_digest, run_geo

MAPS = ["overview", "kazakhstan-uzbekistan", "kazakhstan-tajikistan", "corridors"]
FORMATS = ["png", "svg", "pdf"]
DPI = 100
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = "$x^2$ <script>alert(1)</script> & ]]> Ъ"


def render(*args: str, data: Path = DATA):
    return run_geo("--data", str(data), "render", *args)


@pytest.fixture(scope="session")
def sheets(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("render")
    result = render("--out", str(out), "--dpi", str(DPI), *[a for f in FORMATS for a in ("--format", f)])
    assert result.returncode == 0, result.output
    return out


def svg_texts(path: Path) -> list[str]:
    root = ET.parse(path).getroot()  # raises if the SVG is not well-formed XML
    return ["".join(node.itertext()) for node in root.iter(f"{SVG}text")]


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_every_map_in_every_format(sheets: Path):
    images = sorted(p.name for p in sheets.iterdir() if not p.name.startswith("."))  # not the render's ledger
    assert images == sorted(f"{m}.{f}" for m in MAPS for f in FORMATS)


@pytest.mark.parametrize("map_id", MAPS)
def test_png_pixel_size_is_paper_size_times_dpi(sheets: Path, map_id: str):
    with Image.open(sheets / f"{map_id}.png") as image:
        # A4 landscape: 297 mm x 210 mm.
        assert image.size == (int(297 / 25.4 * DPI), int(210 / 25.4 * DPI))


def test_pixel_size_given_in_pixels(tmp_path: Path):
    result = render("corridors", "--out", str(tmp_path), "--size", "900x600px", "--dpi", "100")
    assert result.returncode == 0, result.output
    with Image.open(tmp_path / "corridors.png") as image:
        assert image.size == (900, 600)


def _georeference(map_id: str):
    from geo.static.render import build_sheet
    from geo.static.sheet import make_sheet

    catalog = load_catalog(DATA)
    _, info = build_sheet(catalog, catalog.maps[map_id], make_sheet("A4", dpi=DPI))
    return catalog, info


@pytest.mark.parametrize(("map_id", "feature_id", "colour_of"), [
    ("kazakhstan-tajikistan", "dushanbe", "capital"),  # the capital's centre dot
    ("kazakhstan-tajikistan", "kayrakkum-dam", "dam"),
    ("overview", "astana", "capital"),
])  # fmt: skip
def test_symbol_colour_at_its_projected_pixel(sheets: Path, map_id: str, feature_id: str, colour_of: str):
    catalog, info = _georeference(map_id)
    feature = catalog.feature(feature_id)
    # Independently of the renderer: pyproj from the sheet's stated CRS, then a linear map to pixels.
    x, y = Transformer.from_crs("EPSG:4326", info.crs, always_xy=True).transform(feature.geometry.x, feature.geometry.y)
    left, top, right, bottom = info.frame_px
    px = left + (x - info.xlim[0]) / (info.xlim[1] - info.xlim[0]) * (right - left)
    py = top + (info.ylim[1] - y) / (info.ylim[1] - info.ylim[0]) * (bottom - top)
    with Image.open(sheets / f"{map_id}.png") as image:
        pixel = np.array(image.convert("RGB").getpixel((int(px), int(py))))
    expected = np.array([int(KIND_STYLES[colour_of].colour[i : i + 2], 16) for i in (1, 3, 5)])
    assert np.abs(pixel - expected).max() <= 40, (feature_id, pixel.tolist(), KIND_STYLES[colour_of].colour)


def test_svg_holds_names_legend_and_credits_as_text(sheets: Path):
    texts = svg_texts(sheets / "kazakhstan-tajikistan.svg")
    joined = "\n".join(texts)
    for name in ("Dushanbe", "Душанбе", "Khujand", "Худжанд", "TAJIKISTAN", "Таджикистан"):
        assert name in texts, name
    for entry in ("Capital", "Dam / hydropower station", "Reservoir", "Country outline", "Legend"):
        assert entry in texts, entry
    for credit in (
        "Natural Earth",
        "public domain",
        "Lambert conformal conic",
        f"Data as of {format_partial_date(data_date(load_catalog(DATA)), 'en')}",
        "100 km",
    ):
        assert credit in joined, credit
    assert "Kazakhstan–Tajikistan - Bahri Tojik reservoir, trade and the agreements of 2024" in texts


def test_no_sheet_credit_shows_a_record_id_in_place_of_a_title(sheets: Path):
    """A source whose own title is in a script the sheet's font lacks (the Marathi encyclopedia page
    for Dushanbe) is named by its site, never by the data's record id."""
    catalog = load_catalog(DATA)
    ids = {i for i in catalog.sources if "-" in i}  # record ids (`ref-dushanbe`), not words such as "geonames"
    for map_id in MAPS:
        words = set(re.findall(r"[\w-]+", "\n".join(svg_texts(sheets / f"{map_id}.svg"))))
        assert not words & ids, (map_id, words & ids)
    assert "A page of mr.wikipedia.org" in "\n".join(svg_texts(sheets / "kazakhstan-tajikistan.svg"))


def test_line_legend_names_the_dashes(sheets: Path):
    drawn = " ".join(svg_texts(sheets / "corridors.svg"))  # an entry wider than the legend is wrapped
    assert "Railway line — under construction / agreed / proposed" in drawn
    assert "Transport corridor (schematic) — schematic route" in drawn


def test_labels_never_overlap(sheets: Path):
    """Every label's box in the PNG's coordinates is disjoint from every other label's."""
    from matplotlib.text import Text

    from geo.static.render import build_sheet
    from geo.static.sheet import make_sheet

    catalog = load_catalog(DATA)
    for map_id in MAPS:
        fig, _ = build_sheet(catalog, catalog.maps[map_id], make_sheet("A4", dpi=DPI))
        renderer = fig.canvas.get_renderer()
        # The words' boxes (Text's own extent: an Annotation's would include its leader line).
        boxes = []
        for text in fig.axes[0].texts:
            if hasattr(text, "update_positions"):
                text.update_positions(renderer)
            boxes.append(Text.get_window_extent(text, renderer))
        assert len(boxes) >= 4, map_id
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not a.overlaps(b), (map_id, a, b)


def test_pdf_reads_back_with_text_and_embedded_truetype(sheets: Path):
    from pypdf import PdfReader

    path = sheets / "overview.pdf"
    pages = PdfReader(path).pages
    sheet = pages[0].extract_text()
    # A sheet that names only some of its sources says so; the PDF lists them all on the next page.
    assert len(pages) == (2 if "listed on page 2 of this sheet's PDF" in " ".join(sheet.split()) else 1)
    text = pdf_text(path)
    for words in ("Central Asia trade corridors", "Legend", "Natural Earth", "Astana", "Астана", "Lambert"):
        assert words in text, words
    raw = path.read_bytes()
    assert b"/FontFile2" in raw and b"/Type3" not in raw  # TrueType text, not glyph drawings
    # Each face is embedded once for its letters, Cyrillic with Latin (a second subset of a face
    # holds only ligatures such as "fi"), not once more for every 256 characters past Latin-1.
    for font in PdfReader(path).pages[0]["/Resources"]["/Font"].values():
        letters = _unicode_of(font.get_object())
        cyrillic = {c for c in letters if "\u0400" <= c <= "\u04ff"}
        latin = {c for c in letters if c.isascii() and c.isalpha()}
        assert latin or all(len(c) > 1 for c in letters), (font.get_object()["/BaseFont"], sorted(letters))
        assert not cyrillic or latin, (font.get_object()["/BaseFont"], sorted(letters))


def _unicode_of(font) -> set[str]:
    """The texts a PDF font's glyphs stand for, from its ToUnicode map (bfchar and bfrange lines)."""
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    mappings = cmap.split("endcodespacerange", 1)[1]
    texts = set()
    for line in mappings.splitlines():
        codes = re.findall(r"<([0-9a-fA-F]+)>", line)
        targets = codes[2:] if "[" in line else codes[1:2] if len(codes) == 2 else []
        if len(codes) == 3 and "[" not in line:  # <lo> <hi> <first>: consecutive targets
            first = int(codes[2], 16)
            targets = [f"{first + i:04x}" for i in range(int(codes[1], 16) - int(codes[0], 16) + 1)]
        texts |= {bytes.fromhex(code).decode("utf-16-be") for code in targets}
    return texts


def test_pdftotext_reads_cyrillic(sheets: Path):
    if not shutil.which("pdftotext") and os.environ.get("CI") != "true":
        pytest.skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
    out = subprocess.run(["pdftotext", str(sheets / "corridors.pdf"), "-"], capture_output=True, text=True, check=True)
    assert "Алматы" in out.stdout and "Almaty" in out.stdout


def test_two_renders_are_byte_identical(sheets: Path, tmp_path: Path):
    # The map with the most on it (dashed corridors, every kind of symbol): the sheets fixture's copy.
    result = render("corridors", "--out", str(tmp_path), "--dpi", str(DPI),
                    "--format", "png", "--format", "svg", "--format", "pdf")  # fmt: skip
    assert result.returncode == 0, result.output
    for path in tmp_path.iterdir():
        if not path.name.startswith("."):  # the ledger lists what each directory holds
            assert file_digest(path) == file_digest(sheets / path.name), path.name


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    """A data copy whose map title, description and a city's names are hostile strings, rendered."""
    root = tmp_path_factory.mktemp("hostile")
    data = root / "data"
    shutil.copytree(DATA, data)
    maps = yaml.safe_load((data / "maps.yaml").read_text(encoding="utf-8"))
    for spec in maps:
        if spec["id"] == "kazakhstan-tajikistan":
            spec["title"] = f"Title {HOSTILE}"
            spec["description"] = f"Description {HOSTILE}"
    (data / "maps.yaml").write_text(yaml.safe_dump(maps, allow_unicode=True), encoding="utf-8")
    cities = json.loads((data / "layers" / "cities.geojson").read_text(encoding="utf-8"))
    for feature in cities["features"]:
        if feature["properties"]["id"] == "dushanbe":
            feature["properties"]["name"] = "$D$ <b>&amp;"
    (data / "layers" / "cities.geojson").write_text(json.dumps(cities, ensure_ascii=False), encoding="utf-8")
    out = root / "out"
    result = render("kazakhstan-tajikistan", "--out", str(out), "--format", "svg", "--format", "pdf", data=data)
    assert result.returncode == 0, result.output
    return out


def test_hostile_strings_stay_text_in_svg(hostile: Path):
    path = hostile / "kazakhstan-tajikistan.svg"
    texts = svg_texts(path)
    assert f"Title {HOSTILE}" in texts  # one text element, characters as given: no mathtext, no markup
    assert "$D$ <b>&amp;" in texts
    root = ET.parse(path).getroot()
    assert not list(root.iter(f"{SVG}script"))
    assert "<script>" not in path.read_text(encoding="utf-8")  # escaped as &lt;script&gt;


def test_hostile_strings_stay_text_in_pdf(hostile: Path):
    text = pdf_text(hostile / "kazakhstan-tajikistan.pdf")
    assert "$x^2$ <script>alert(1)</script> & ]]>" in text
    assert "$D$ <b>&amp;" in text


@pytest.mark.parametrize(("args", "message"), [
    (["nowhere"], "unknown map nowhere"),
    (["--format", "gif"], "'gif' is not one of 'png', 'svg', 'pdf'"),
    (["--dpi", "1201"], "--dpi 1201 is out of range"),
    (["--dpi", "10"], "--dpi 10 is out of range"),
    (["--size", "A2"], "--size 'A2' is not A4, A3, letter"),
    (["--size", "30000x1000px", "--dpi", "100"], "over the limit of 20,000 px"),
    (["--size", "A3", "--dpi", "1200"], None),  # 19,842 px: allowed (checked without rendering)
])  # fmt: skip
def test_usage_errors_exit_2_with_the_reason(tmp_path: Path, args: list[str], message: str | None):
    if message is None:
        from geo.static.sheet import make_sheet

        assert make_sheet("A3", dpi=1200).pixels == (19842, 14031)
        return
    result = run_geo("--data", str(DATA), "render", "--out", str(tmp_path / "out"), *args)
    assert result.returncode == 2, result.output
    assert message in result.output
    assert not (tmp_path / "out").exists()


def test_refuses_to_write_into_data(data_copy: Path):
    result = run_geo("--data", str(data_copy), "render", "corridors", "--out", str(data_copy / "img"))
    assert result.returncode == 2, result.output
    assert "inside the data directory" in result.output
    assert not (data_copy / "img").exists()


def test_failing_write_leaves_no_file_and_names_the_map(tmp_path: Path, monkeypatch):
    from pathlib import Path as RealPath

    def full_disk(self, payload):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(RealPath, "write_bytes", full_disk)  # staging an image fails as on a full disk
    result = run_geo("--data", str(DATA), "render", "corridors", "--out", str(tmp_path), "--dpi", "50")
    assert result.returncode == 1, result.output
    assert "map corridors" in result.output and "No space left on device" in result.output
    assert [p.name for p in tmp_path.iterdir() if p.name != ".geo.lock"] == []  # neither the file nor a temporary one


def test_failing_render_leaves_no_file_and_names_the_map(tmp_path: Path, monkeypatch):
    import geo.static.render as static_render

    def broken(fig, fmt, dpi, *more_pages):
        if fmt == "pdf":
            raise RuntimeError("the PDF backend broke")
        return b"image"

    monkeypatch.setattr(static_render, "sheet_bytes", broken)
    result = run_geo("--data", str(DATA), "render", "overview", "--out", str(tmp_path),
                                      "--format", "png", "--format", "pdf", "--dpi", "50")  # fmt: skip
    assert result.returncode == 1, result.output
    assert "map overview" in result.output and "the PDF backend broke" in result.output
    assert [p.name for p in tmp_path.iterdir() if p.name != ".geo.lock"] == []  # not even the PNG that rendered


def test_one_failing_map_does_not_stop_the_others(tmp_path: Path, monkeypatch):
    import geo.static.render as static_render

    real = static_render.build_sheet

    def fails_for_overview(catalog, spec, sheet, *args):
        if spec.id == "overview":
            raise ValueError("broken projection")
        return real(catalog, spec, sheet, *args)

    monkeypatch.setattr(static_render, "build_sheet", fails_for_overview)
    result = run_geo("--data", str(DATA), "render", "overview", "corridors", "--out", str(tmp_path),
                                      "--dpi", "50")  # fmt: skip
    assert result.returncode == 1, result.output
    assert "map overview: could not render it: broken projection" in result.output
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["corridors.png"]


def test_index_links_rendered_images(built: Path, tmp_path: Path):
    out = tmp_path / "maps"
    shutil.copytree(built, out)  # the maps as the session's build left them (a copy is up to date)
    plain = (out / "index.html").read_text(encoding="utf-8")
    assert ".png" not in plain and "Static map" not in plain
    assert file_digest(out / "index.html") == file_digest(DATA.parent / "maps" / "index.html")
    result = render("corridors", "--out", str(out), "--dpi", "50", "--format", "png", "--format", "pdf")
    assert result.returncode == 0, result.output
    # The images are new inputs of the index: the next build (no --force) links them.
    again = run_geo("--data", str(DATA), "build", "--out", str(out))
    assert again.returncode == 0 and "up to date" not in again.output, again.output
    linked = (out / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a class="download" href="corridors\.png" download>PNG</a>', linked)
    assert 'href="corridors.pdf"' in linked and 'href="corridors.svg"' not in linked
    assert 'href="overview.png"' not in linked
    rebuilt = run_geo("--data", str(DATA), "build", "--out", str(out), "--force")
    assert rebuilt.returncode == 0, rebuilt.output
    assert (out / "index.html").read_text(encoding="utf-8") == linked  # the build reproduces the links


def test_render_runs_as_a_command(tmp_path: Path):
    result = run_geo("render", "kazakhstan-uzbekistan", "--out", str(tmp_path), "--size", "letter", "--portrait",
                     "--dpi", "60", "--format", "svg")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "wrote" in result.stdout and (tmp_path / "kazakhstan-uzbekistan.svg").is_file()


def test_large_layer_is_one_image_inside_the_svg(tmp_path: Path):
    """Over 10^4 points: drawn as a raster inside the vector file, not 10^4 SVG elements."""
    from bench import synth

    synth.generate(tmp_path / "data", 10_500, lines=20, polygons=5)
    out = tmp_path / "out"
    result = render(
        "bench", "--out", str(out), "--dpi", "72", "--format", "svg", "--format", "pdf", data=tmp_path / "data"
    )
    assert result.returncode == 0, result.output
    svg = out / "bench.svg"
    root = ET.parse(svg).getroot()
    assert len(list(root.iter(f"{SVG}image"))) >= 1
    assert len(list(root.iter(f"{SVG}use"))) < 1000  # markers are not drawn one element per point
    assert svg.stat().st_size < 3_000_000
    texts = "\n".join(svg_texts(svg))
    assert "Drawn as an image inside vector files" in texts and "Legend" in texts
    assert b"/Subtype /Image" in (out / "bench.pdf").read_bytes()


def _pixels_of(info, lon, lat):
    """Sheet pixels of lon/lat arrays, from the sheet's stated CRS (independently of the renderer)."""
    x, y = Transformer.from_crs("EPSG:4326", info.crs, always_xy=True).transform(lon, lat)
    left, top, right, bottom = info.frame_px
    px = left + (np.asarray(x) - info.xlim[0]) / (info.xlim[1] - info.xlim[0]) * (right - left)
    py = top + (info.ylim[1] - np.asarray(y)) / (info.ylim[1] - info.ylim[0]) * (bottom - top)
    inside = (px > left + 3) & (px < right - 3) & (py > top + 3) & (py < bottom - 3)
    return px[inside], py[inside]


@pytest.mark.parametrize(("map_id", "layer", "feature_id", "kind"), [
    ("kazakhstan-tajikistan", "rivers", "river-syr-darya", "river"),
    ("corridors", "railways", "osm-railway-ways", "railway"),
    ("overview", "rivers", "river-amu-darya", "river"),
])  # fmt: skip
def test_context_lines_at_their_place_on_the_png(sheets: Path, map_id: str, layer: str, feature_id: str, kind: str):
    from geo.style import CONTEXT_STYLES

    catalog, info = _georeference(map_id)
    feature = next(f for f in catalog.context().layer(layer) if f.id == feature_id)
    coords = shapely.get_coordinates(shapely.segmentize(feature.geometry, 0.05))
    px, py = _pixels_of(info, coords[:, 0], coords[:, 1])
    assert len(px) > 20, "the line is not inside the frame"
    expected = np.array([int(CONTEXT_STYLES[kind].colour[i : i + 2], 16) for i in (1, 3, 5)])
    with Image.open(sheets / f"{map_id}.png") as image:
        rgb = np.asarray(image.convert("RGB"), dtype=int)
    hits = 0
    for x, y in zip(px.astype(int), py.astype(int)):
        window = rgb[y - 1 : y + 2, x - 1 : x + 2].reshape(-1, 3)
        hits += int(np.abs(window - expected).max(axis=1).min() <= 45)
    # Labels (with their pale boxes) and the atlas's own symbols cover some of it; most must show.
    assert hits >= 0.6 * len(px), (feature_id, hits, len(px))


def test_context_names_and_legend_are_text_in_svg_and_pdf(sheets: Path):
    texts = svg_texts(sheets / "kazakhstan-tajikistan.svg")
    joined = "\n".join(texts)
    for name in ("Syr Darya\nСырдарья", "River (Natural Earth)", "Town (Natural Earth; larger dot: more people)"):
        assert name in joined, name
    assert sum(text.startswith("River (Natural Earth)") for text in texts) == 1  # the legend names it once
    assert "© OpenStreetMap contributors" in "\n".join(svg_texts(sheets / "corridors.svg"))
    corridors = "\n".join(svg_texts(sheets / "corridors.svg"))
    assert "Railway, existing network (OpenStreetMap)" in corridors
    pdf = pdf_text(sheets / "kazakhstan-tajikistan.pdf")
    assert "Syr Darya" in pdf and "Сырдарья" in pdf


def test_sheet_credits_give_each_stale_status_with_its_as_of_date(sheets: Path):
    from geo.formatting import format_partial_date
    from geo.status_age import reference_date

    words = " ".join("\n".join(svg_texts(sheets / "corridors.svg")).split())
    reference = format_partial_date(reference_date(load_catalog(DATA)), "en")
    assert f"Statuses over a year old at {reference}:" in words
    assert "Dostyk station: status unknown, status as of 5 May 2023" in words
    # The reservoir and the dam are operational, which does not go stale: no such line.
    assert "Statuses over a year old" not in " ".join(svg_texts(sheets / "kazakhstan-tajikistan.svg"))
