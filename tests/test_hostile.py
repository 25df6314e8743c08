"""Hostile data files: each is a named problem (file, record, field, reason), exit 1, no traceback,
bounded time and memory, and nothing written."""

from __future__ import annotations

import csv
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from geo import readers
from geo.catalog import load_catalog
from geo.errors import DataError
from tests.conftest import ROOT, replace_once, run_geo


def problems_of(data: Path) -> list[str]:
    with pytest.raises(DataError) as caught:
        load_catalog(data)
    return [str(problem) for problem in caught.value.problems]


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def assert_refused(data: Path, tmp_path: Path, expected: str) -> str:
    """`geo build` exits 1 naming the problem, with no traceback, writes nothing, changes no data."""
    before = _tree(data)
    out = tmp_path / "maps"
    result = run_geo("--data", str(data), "build", "--out", str(out))
    assert result.returncode == 1, result.output
    assert expected in result.output, result.output
    assert "Traceback" not in result.output and len(result.output) < 20_000
    assert not out.exists()
    assert _tree(data) == before
    return result.output


def _dam_feature(data: Path) -> dict:
    return json.loads((data / "layers" / "dams.geojson").read_text(encoding="utf-8"))


def _write_dams(data: Path, document: dict | str) -> None:
    text = document if isinstance(document, str) else json.dumps(document, ensure_ascii=False)
    (data / "layers" / "dams.geojson").write_text(text, encoding="utf-8")


# -- values -----------------------------------------------------------------------------------


def test_an_impossible_date_is_a_problem_of_its_record_and_field(data_copy, tmp_path):
    replace_once(data_copy / "metadata" / "sources.yaml", "  published: null\n", "  published: 2024-02-30\n")
    expected = "data/metadata/sources.yaml: art-kz-uz-igc-20: field 'published': '2024-02-30' is not a calendar date"
    assert any(problem.startswith(expected) for problem in problems_of(data_copy))
    assert_refused(data_copy, tmp_path, "is not a calendar date")


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x85"])
def test_control_characters_in_text_are_refused(data_copy, tmp_path, char):
    document = _dam_feature(data_copy)
    document["features"][0]["properties"]["name"] = f"Kayrakkum{char}[31m dam"
    _write_dams(data_copy, document)
    problem = f"data/layers/dams.geojson: kayrakkum-dam: field 'name': contains the control character U+{ord(char):04X}"
    assert any(p.startswith(problem) for p in problems_of(data_copy))
    output = assert_refused(data_copy, tmp_path, "control character")
    assert char not in output  # the report itself is safe for a terminal


def test_tabs_and_line_breaks_stay_allowed_in_text(data_copy):
    document = _dam_feature(data_copy)
    document["features"][0]["properties"]["note"] = "line one\nline two\ttabbed\r\n"
    _write_dams(data_copy, document)
    load_catalog(data_copy)


def test_duplicate_keys_in_geojson_properties_are_named(data_copy, tmp_path):
    text = (data_copy / "layers" / "dams.geojson").read_text(encoding="utf-8")
    _write_dams(data_copy, text.replace('"kind":"dam"', '"kind":"dam","name":"A second name"', 1))
    assert "data/layers/dams.geojson: kayrakkum-dam: field 'name': duplicate key" in " ".join(problems_of(data_copy))
    assert_refused(data_copy, tmp_path, "duplicate key")


@pytest.mark.parametrize(
    "edit",
    [
        ('"kind":"dam"', '"kind" : "dam","kind":"dam"'),  # a space before a colon hides one '":'
        ('"kind":"dam"', '"kind":"dam","note2":"x\\":","kind":"dam"'),  # a '":' inside a string
        ('"type":"Feature"', '"type":"Feature","extra":{"a":1,"a":2}'),  # in a nested object
    ],
)
def test_a_repeated_key_is_found_however_the_text_is_laid_out(data_copy, edit):
    text = (data_copy / "layers" / "dams.geojson").read_text(encoding="utf-8")
    _write_dams(data_copy, text.replace(*edit, 1))
    assert "duplicate key" in " ".join(problems_of(data_copy))


def test_duplicate_keys_in_yaml_are_named_with_their_line(data_copy, tmp_path):
    replace_once(data_copy / "maps.yaml", "- id: overview\n", "- id: overview\n  title: A first title\n")
    problems = problems_of(data_copy)
    assert any("data/maps.yaml: (file): malformed YAML at line" in p and "duplicate key 'title'" in p for p in problems)
    assert_refused(data_copy, tmp_path, "duplicate key 'title'")


# -- structure --------------------------------------------------------------------------------


def test_json_nested_100000_deep_is_a_problem_not_a_recursion_error(data_copy, tmp_path):
    _write_dams(data_copy, "[" * 100_000 + "]" * 100_000)
    assert "data/layers/dams.geojson: (file): malformed JSON" in " ".join(problems_of(data_copy))
    assert_refused(data_copy, tmp_path, "data/layers/dams.geojson")


def test_deep_nesting_inside_properties_is_a_problem(data_copy, tmp_path):
    document = _dam_feature(data_copy)
    document["features"][0]["properties"]["note"] = "@"
    _write_dams(data_copy, json.dumps(document).replace('"@"', "[" * 50_000 + "]" * 50_000))
    assert "data/layers/dams.geojson: (file): malformed JSON: nested too deeply" in problems_of(data_copy)


def test_yaml_nested_deep_is_a_problem(data_copy, tmp_path):
    (data_copy / "maps.yaml").write_text("- id: x\n  title: " + "[" * 20_000 + "]" * 20_000 + "\n", encoding="utf-8")
    # libyaml stops at its own depth limit; the pure-Python parser would recurse until Python stops it
    assert problems_of(data_copy) in (
        ["data/maps.yaml: (file): malformed YAML at line 2, column 1008: exceeded maximum nesting depth"],
        ["data/maps.yaml: (file): malformed YAML: nested too deeply"],
    )


BOMB = "\n".join(
    [
        "- id: bomb",
        '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
        *(f"  {chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]" for i in range(8)),
        "  title: *i",
        "",
    ]
)


def test_a_yaml_alias_bomb_is_refused_in_little_memory(data_copy, tmp_path):
    assert len(BOMB) < 2500  # the 2.4 KB file that expanded to 9**9 strings
    (data_copy / "maps.yaml").write_text(BOMB, encoding="utf-8")
    assert "data/maps.yaml: (file): aliases expand to more than 1000000 values (an alias bomb?)" in problems_of(
        data_copy
    )
    # `python -m geo` in a process of its own, to measure its peak memory (RSS): on exit it also
    # writes its VmHWM (not ru_maxrss: Linux carries ru_maxrss over from the parent, pytest, through exec).
    script = (
        "import atexit, runpy, sys\n"
        "atexit.register(lambda: sys.stderr.write('VmHWM ' + next(l for l in open('/proc/self/status')"
        " if l.startswith('VmHWM')).split()[1] + '\\n'))\n"
        f"sys.argv = ['geo', '--data', {str(data_copy)!r}, 'validate']\n"
        "runpy.run_module('geo', run_name='__main__', alter_sys=True)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    max_rss_kb = done.stderr.rsplit("VmHWM ", 1)[1].split()[0]
    assert done.returncode == 1 and len(done.stdout + done.stderr) < 2000, done.stderr
    assert "aliases expand to more than 1000000 values" in done.stdout + done.stderr
    # Expanding the aliases took 22 s and 1.6 GB; the refusal comes before (time is bench/'s to measure).
    assert int(max_rss_kb) < 250_000, done.stderr


def test_many_aliases_are_refused(data_copy):
    lines = ["- id: many", "  x: &x 1", *(f"  y{i}: *x" for i in range(101))]
    (data_copy / "maps.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert any("more than 100 aliases" in p for p in problems_of(data_copy))


def test_a_long_value_is_quoted_as_a_short_excerpt(data_copy):
    replace_once(
        data_copy / "maps.yaml",
        "  layers: [border_checkpoints, industrial_sites, railway_lines, railway_stations, corridors, water",
        "  layers: ["
        + "x" * 100_000
        + ", border_checkpoints, industrial_sites, railway_lines, railway_stations, corridors, water",
    )
    problems = problems_of(data_copy)
    assert problems and max(len(p) for p in problems) < 600


# -- where a layer file may be ----------------------------------------------------------------


@pytest.mark.parametrize("file", ["../../etc/passwd", "/etc/passwd", "layers/../../outside.geojson", "~/x.geojson"])
def test_a_layer_file_outside_data_is_refused(data_copy, tmp_path, file):
    (tmp_path / "outside.geojson").write_text((data_copy / "layers" / "dams.geojson").read_text(encoding="utf-8"))
    replace_once(data_copy / "layers.yaml", "file: layers/dams.geojson", f"file: {file}")
    problems = problems_of(data_copy)
    assert any(p.startswith("data/layers.yaml: dams: field 'file': ") for p in problems), problems
    assert_refused(data_copy, tmp_path, "data/layers.yaml: dams: field 'file'")


def test_a_symlink_out_of_data_is_not_followed(data_copy, tmp_path):
    outside = tmp_path / "outside.geojson"
    outside.write_text((data_copy / "layers" / "dams.geojson").read_text(encoding="utf-8"))
    (data_copy / "layers" / "dams.geojson").unlink()
    (data_copy / "layers" / "dams.geojson").symlink_to(outside)
    problems = problems_of(data_copy)
    assert any(
        p.startswith("data/layers/dams.geojson: (file): resolves to") and "outside the data directory" in p
        for p in problems
    )


def test_a_symlink_inside_data_is_fine(data_copy):
    (data_copy / "layers" / "dams-real.geojson").write_bytes((data_copy / "layers" / "dams.geojson").read_bytes())
    (data_copy / "layers" / "dams.geojson").unlink()
    (data_copy / "layers" / "dams.geojson").symlink_to("dams-real.geojson")
    load_catalog(data_copy)


def test_a_fifo_is_refused_without_hanging(data_copy, tmp_path):
    (data_copy / "layers" / "dams.geojson").unlink()
    os.mkfifo(data_copy / "layers" / "dams.geojson")
    assert "data/layers/dams.geojson: (file): cannot be read: not a regular file (a FIFO)" in problems_of(data_copy)
    assert_refused(data_copy, tmp_path, "a FIFO")


@pytest.mark.skipif(os.geteuid() != 0, reason="making a character device (a /dev/zero) needs root")
def test_a_device_like_dev_zero_is_refused(data_copy):
    (data_copy / "metadata" / "events.yaml").unlink()
    os.mknod(data_copy / "metadata" / "events.yaml", stat.S_IFCHR | 0o644, os.makedev(1, 5))
    assert (
        "data/metadata/events.yaml: (file): cannot be read: not a regular file (a device or special file)"
        in problems_of(data_copy)
    )


def test_a_symlink_to_dev_zero_is_refused(data_copy):
    (data_copy / "metadata" / "events.yaml").unlink()
    (data_copy / "metadata" / "events.yaml").symlink_to("/dev/zero")
    assert any(
        "events.yaml: (file): resolves to /dev/zero, outside the data directory" in p for p in problems_of(data_copy)
    )


def test_an_oversize_file_is_refused(data_copy, monkeypatch):
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 3000)  # layers.yaml fits, cities.geojson not
    problems = problems_of(data_copy)
    assert any(p.startswith("data/layers/cities.geojson: (file): file is too large (") for p in problems), problems


# -- the base layer ---------------------------------------------------------------------------


def _countries(data: Path) -> dict:
    return json.loads((data / "base" / "countries.geojson").read_text(encoding="utf-8"))


def test_a_duplicate_country_code_in_the_base_layer_is_named(data_copy, tmp_path):
    document = _countries(data_copy)
    document["features"].append(document["features"][0])
    (data_copy / "base" / "countries.geojson").write_text(json.dumps(document), encoding="utf-8")
    assert "data/base/countries.geojson: AF: field 'iso_a2': duplicate country code (also feature #1)" in problems_of(
        data_copy
    )


def test_a_self_intersecting_country_outline_is_named(data_copy):
    document = _countries(data_copy)
    bowtie = [[[60.0, 40.0], [61.0, 41.0], [61.0, 40.0], [60.0, 41.0], [60.0, 40.0]]]
    feature = next(f for f in document["features"] if f["properties"]["iso_a2"] == "TM")
    feature["geometry"] = {"type": "Polygon", "coordinates": bowtie}
    (data_copy / "base" / "countries.geojson").write_text(json.dumps(document), encoding="utf-8")
    problems = problems_of(data_copy)
    assert any(
        p.startswith("data/base/countries.geojson: TM: field 'geometry': invalid outline: Self-intersection")
        for p in problems
    )


@pytest.mark.parametrize("name", [42, "", "   ", "Turkmen\nistan", "T" * 101, {"en": "Turkmenistan"}])
def test_a_country_name_that_is_not_one_line_of_text_is_named(data_copy, name):
    document = _countries(data_copy)
    feature = next(f for f in document["features"] if f["properties"]["iso_a2"] == "TM")
    feature["properties"]["name"] = name
    (data_copy / "base" / "countries.geojson").write_text(json.dumps(document), encoding="utf-8")
    problems = problems_of(data_copy)
    assert any(
        p.startswith("data/base/countries.geojson: TM: field 'name': a country name must be one line") for p in problems
    ), problems


# -- spreadsheets and terminals ---------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://evil.example/","click")', "+1+2", "-2+3", "@SUM(A1)", "\tx", "\rx"]


@pytest.mark.parametrize("raw", [False, True], ids=["neutralised", "csv-raw"])
def test_csv_cells_a_spreadsheet_would_run_are_neutralised(data_copy, tmp_path, raw):
    path = data_copy / "layers" / "cities.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    assert len(document["features"]) > len(FORMULAS)
    for feature, formula in zip(document["features"], FORMULAS):
        feature["properties"]["note"] = formula
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "dist"
    args = [
        "--data",
        str(data_copy),
        "export",
        "--out",
        str(out),
        "--format",
        "csv",
        "--format",
        "geojson",
        "--layer",
        "cities",
    ]
    result = run_geo(*args, *(["--csv-raw"] if raw else []))
    assert result.returncode == 0, result.output
    with open(out / "csv" / "cities.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    by_id = {row["id"]: row["note"] for row in rows}
    for feature, formula in zip(document["features"], FORMULAS):
        assert by_id[feature["properties"]["id"]] == (formula if raw else "'" + formula)
    exported = json.loads((out / "geojson" / "cities.geojson").read_text(encoding="utf-8"))
    notes = {f["properties"]["id"]: f["properties"]["note"] for f in exported["features"]}
    assert all(notes[f["properties"]["id"]] == formula for f, formula in zip(document["features"], FORMULAS))
    assert all(not row["WKT"].startswith("'") for row in rows)


def test_geo_list_escapes_control_characters_from_data():
    from geo.cli import terminal_safe as _terminal_safe

    assert _terminal_safe("Tash\x1b[2Jkent\n") == "Tash\\x1b[2Jkent\\n"
    assert _terminal_safe("Ташкент – ok") == "Ташкент – ok"


def test_a_polygon_of_100000_vertices_validates_builds_exports_and_renders(data_copy, tmp_path):
    """The Aral Sea's outline densified to over 100,000 vertices (same shape, same area): no hang,
    no traceback, every vertex exported."""
    import shapely
    from shapely.geometry import mapping, shape

    path = data_copy / "layers" / "water_bodies.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    for feature in document["features"]:
        if feature["properties"]["id"] == "aral-sea":
            outline = shape(feature["geometry"])
            dense = shapely.segmentize(outline, outline.length / 100_000)
            feature["geometry"] = json.loads(json.dumps(mapping(dense)))
    assert shapely.get_num_coordinates(dense) > 100_000
    path.write_text(json.dumps(document), encoding="utf-8")
    assert run_geo("--data", str(data_copy), "validate").returncode == 0
    built = run_geo("--data", str(data_copy), "build", "--out", str(tmp_path / "maps"), "overview")
    assert built.returncode == 0, built.stderr
    exported = run_geo("--data", str(data_copy), "export", "--out", str(tmp_path / "gis"), "--layer", "water_bodies",
                       "--format", "geojson")  # fmt: skip
    assert exported.returncode == 0, exported.stderr
    written = json.loads((tmp_path / "gis" / "geojson" / "water_bodies.geojson").read_text(encoding="utf-8"))
    aral = next(f for f in written["features"] if f["id"] == "aral-sea")
    assert shapely.get_num_coordinates(shape(aral["geometry"])) > 100_000
    rendered = run_geo("--data", str(data_copy), "render", "overview", "--out", str(tmp_path / "sheet"), "--dpi", "50",
                       "--format", "svg")  # fmt: skip
    assert rendered.returncode == 0, rendered.stderr
