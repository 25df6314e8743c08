"""The shipped data is right, and broken data gets one exact, readable line per problem.

The first half checks every shipped feature and record; the second breaks a copy of data/ and
runs `geo --data <copy> validate` as a user would, asserting the exact lines printed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from itertools import combinations
from pathlib import Path

import pytest
import shapely
import yaml
from shapely.geometry import Point

from geo.catalog import Catalog, load_catalog
from geo.references import reference_problems
from geo.validate import (
    CHECKPOINT_MAX_FROM_BORDER_M,
    GEOD,
    distance_m,
    geodesic_size,
    validate_catalog,
)
from tests.conftest import edit_feature, replace_once, run_geo, set_coordinates, set_properties

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def _raw_yaml(name: str) -> list[dict]:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8")) or []


def _raw_features() -> list[tuple[str, dict]]:
    """(layer id, feature) for every shipped feature, read at collection time for parametrization."""
    return [
        (spec["id"], feature)
        for spec in _raw_yaml("layers.yaml")
        for feature in json.loads((DATA / spec["file"]).read_text(encoding="utf-8"))["features"]
    ]


FEATURE_IDS = [feature["properties"]["id"] for _, feature in _raw_features()]
RECORDS = [
    (kind, record["id"]) for kind in ("projects", "events", "figures") for record in _raw_yaml(f"metadata/{kind}.yaml")
]
ARTICLES = [source["id"] for source in _raw_yaml("metadata/sources.yaml") if source["kind"] == "article"]
MEASURED = [figure["id"] for figure in _raw_yaml("metadata/figures.yaml") if figure.get("measure")]


def km_between(a: Point, b: Point) -> float:
    return GEOD.inv(a.x, a.y, b.x, b.y)[2] / 1000


# --- the shipped data ----------------------------------------------------------------------------


def test_shipped_data_has_no_problems(catalog: Catalog) -> None:
    assert reference_problems(catalog) == []
    assert validate_catalog(catalog) == []


# id, layer, kind, countries, geometry type, a word of its name
PLACES = [
    ("atameken-checkpoint", "border_checkpoints", "border_checkpoint", ["KZ"], "Point", "Atameken"),
    ("gulistan-checkpoint", "border_checkpoints", "border_checkpoint", ["UZ"], "Point", "Gulistan"),
    ("icic-kz-section", "industrial_sites", "industrial_site", ["KZ"], "Point", "Kazakh section"),
    ("icic-uz-section", "industrial_sites", "industrial_site", ["UZ"], "Point", "Uzbek section"),
    ("darbaza-maktaaral-railway", "railway_lines", "railway_line", ["KZ"], "LineString", "Darbaza–Maktaaral"),
    ("almaty-railway-bypass", "railway_lines", "railway_line", ["KZ"], "LineString", "Almaty"),
    ("dostyk-station", "railway_stations", "railway_station", ["KZ"], "Point", "Dostyk"),
    ("darbaza-station", "railway_stations", "railway_station", ["KZ"], "Point", "Darbaza"),
    ("maktaaral-station", "railway_stations", "railway_station", ["KZ"], "Point", "Maktaaral"),
    ("bahri-tojik-reservoir", "water_bodies", "reservoir", ["TJ"], "MultiPolygon", "Bahri Tojik"),
    ("aral-sea", "water_bodies", "sea", ["KZ", "UZ"], "MultiPolygon", "Aral"),
    ("kayrakkum-dam", "dams", "dam", ["TJ"], "Point", "Kayrakkum"),
    ("tashkent", "cities", "capital", ["UZ"], "Point", "Tashkent"),
    ("astana", "cities", "capital", ["KZ"], "Point", "Astana"),
    ("dushanbe", "cities", "capital", ["TJ"], "Point", "Dushanbe"),
    ("almaty", "cities", "city", ["KZ"], "Point", "Almaty"),
    ("aktobe", "cities", "city", ["KZ"], "Point", "Aktobe"),
    ("khujand", "cities", "city", ["TJ"], "Point", "Khujand"),
    (
        "china-kazakhstan-uzbekistan-route",
        "corridors",
        "corridor",
        ["CN", "KG", "KZ", "UZ"],
        "MultiLineString",
        "China",
    ),
    ("north-south-corridor", "corridors", "corridor", ["KZ", "TM", "IR"], "MultiLineString", "North–South"),
]


@pytest.mark.parametrize(("fid", "layer", "kind", "countries", "geom_type", "name"), PLACES, ids=[p[0] for p in PLACES])
def test_named_place_exists_with_the_right_kind(
    catalog: Catalog, fid: str, layer: str, kind: str, countries: list[str], geom_type: str, name: str
) -> None:
    feature = catalog.feature(fid)
    assert feature.layer == layer
    assert feature.properties.kind.value == kind
    assert feature.properties.country == countries
    assert feature.geometry.geom_type == geom_type
    assert name in feature.properties.name


# Well-known city centres (lon, lat); the shipped points must be within a city's reach of them.
CITY_CENTRES = {
    "tashkent": (69.2797, 41.3111),
    "astana": (71.4460, 51.1801),
    "dushanbe": (68.7870, 38.5598),
    "almaty": (76.9286, 43.2567),
    "aktobe": (57.2072, 50.2839),
    "khujand": (69.6220, 40.2826),
}


@pytest.mark.parametrize("fid", list(CITY_CENTRES))
def test_city_is_where_the_city_is(catalog: Catalog, fid: str) -> None:
    assert km_between(catalog.feature(fid).geometry, Point(CITY_CENTRES[fid])) < 15


def test_the_center_sits_between_its_two_checkpoints(catalog: Catalog) -> None:
    geometry = {fid: catalog.feature(fid).geometry for fid in
                ("atameken-checkpoint", "gulistan-checkpoint", "icic-kz-section", "icic-uz-section")}  # fmt: skip
    # The two checkpoints face each other across the border; each section is "near" its checkpoint.
    assert km_between(geometry["atameken-checkpoint"], geometry["gulistan-checkpoint"]) < 5
    assert km_between(geometry["icic-kz-section"], geometry["atameken-checkpoint"]) < 5
    assert km_between(geometry["icic-uz-section"], geometry["gulistan-checkpoint"]) < 5
    for fid in ("atameken-checkpoint", "gulistan-checkpoint", "icic-kz-section", "icic-uz-section"):
        assert "central-asia-icic" in catalog.feature(fid).properties.projects


@pytest.mark.parametrize("fid", ["atameken-checkpoint", "gulistan-checkpoint"])
def test_checkpoint_is_at_its_border(catalog: Catalog, data_dir: Path, fid: str) -> None:
    feature = catalog.feature(fid)
    (code,) = feature.properties.country
    outline = load_catalog(data_dir).countries[code].geometry
    assert outline.contains(feature.geometry)
    assert distance_m(outline.boundary, feature.geometry) < CHECKPOINT_MAX_FROM_BORDER_M


def test_darbaza_maktaaral_line_runs_between_its_stations(catalog: Catalog) -> None:
    # Darbaza – Maktaaral – the Uzbek border toward Syrdarya station (stage 1 as the references give it).
    line = catalog.feature("darbaza-maktaaral-railway").geometry
    assert Point(line.coords[0]).equals(catalog.feature("darbaza-station").geometry)
    assert Point(line.coords[1]).equals(catalog.feature("maktaaral-station").geometry)
    kz = catalog.countries["KZ"].geometry
    assert distance_m(kz.boundary, Point(line.coords[-1])) < 10


def test_dam_is_at_its_reservoir(catalog: Catalog) -> None:
    reservoir = catalog.feature("bahri-tojik-reservoir").geometry
    assert distance_m(reservoir, catalog.feature("kayrakkum-dam").geometry) < 3_000


def test_three_gulistans_are_three_places(catalog: Catalog) -> None:
    trio = [catalog.feature(fid) for fid in ("gulistan-checkpoint", "gulistan-uz", "guliston-tj")]
    assert len({feature.id for feature in trio}) == 3
    assert [(f.properties.kind.value, f.properties.country) for f in trio] == [
        ("border_checkpoint", ["UZ"]),
        ("city", ["UZ"]),
        ("city", ["TJ"]),
    ]
    for a, b in combinations(trio, 2):
        assert km_between(a.geometry, b.geometry) > 20, f"{a.id} and {b.id} are too close to tell apart"


@pytest.mark.parametrize("fid", FEATURE_IDS)
def test_feature_sources_and_projects_resolve(catalog: Catalog, fid: str) -> None:
    props = catalog.feature(fid).properties
    assert props.sources, "every feature cites a source"
    for source_id in props.sources:
        assert source_id in catalog.sources
    for project_id in props.projects:
        assert project_id in catalog.projects
    assert props.geometry_source.strip(), "every geometry says where it comes from"


@pytest.mark.parametrize(("kind", "rid"), RECORDS, ids=[f"{k}:{r}" for k, r in RECORDS])
def test_record_references_resolve(catalog: Catalog, kind: str, rid: str) -> None:
    record = getattr(catalog, kind)[rid]
    assert record.sources
    for source_id in record.sources:
        assert source_id in catalog.sources
    for project_id in getattr(record, "projects", []):
        assert project_id in catalog.projects
    for feature_id in getattr(record, "features", []):
        catalog.feature(feature_id)


# The source articles are kept outside this repository, in the workspace's seeds directory (see
# metadata/sources.yaml); a test reads nothing outside the repository and its tmp dir, so it checks
# the names: one file per article, by its number and content hash, in that directory itself.
SEED_FILE = re.compile(r"^\d{3}_[0-9a-f]{16}\.txt$")


@pytest.mark.parametrize("sid", ARTICLES)
def test_article_source_names_a_seed_file(catalog: Catalog, sid: str) -> None:
    source = catalog.sources[sid]
    assert source.file, f"article {sid} names the file it is kept in"
    assert SEED_FILE.match(source.file), f"{source.file!r} is not a seed file name (NNN_<16 hex>.txt, no directory)"
    assert [s.id for s in catalog.sources.values() if s.file == source.file] == [sid], f"{source.file} is named twice"


@pytest.mark.parametrize("fid", FEATURE_IDS)
def test_coordinates_are_lon_lat_inside_the_region(catalog: Catalog, fid: str) -> None:
    west, south, east, north = yaml.safe_load((DATA / "atlas.yaml").read_text(encoding="utf-8"))["region_bounds"]
    coordinates = shapely.get_coordinates(catalog.feature(fid).geometry)
    assert len(coordinates)
    for lon, lat in coordinates:
        assert west <= lon <= east and south <= lat <= north, f"({lon}, {lat}) is not lon/lat in the region"


@pytest.mark.parametrize("fid", FEATURE_IDS)
def test_schematic_geometry_is_marked(catalog: Catalog, fid: str) -> None:
    props = catalog.feature(fid).properties
    if props.kind.value == "corridor":
        assert props.schematic, "corridors are drawn schematically and say so"
    if props.schematic:
        assert props.geometry_source.startswith("Schematic"), "a schematic geometry says so in geometry_source"


@pytest.mark.parametrize("figure_id", MEASURED)
def test_geodesic_size_agrees_with_the_stated_figure(catalog: Catalog, figure_id: str) -> None:
    figure = catalog.figures[figure_id]
    (feature_id,) = figure.features
    computed = geodesic_size(catalog.feature(feature_id).geometry, figure.measure)
    assert computed == pytest.approx(figure.value, rel=figure.tolerance_pct / 100)


def test_geodesic_size_of_known_shapes() -> None:
    from shapely.geometry import LineString, Polygon

    from geo.models import Measure

    # One degree of longitude along the equator on WGS84 is 111.32 km.
    assert geodesic_size(LineString([(0, 0), (1, 0)]), Measure.length_km) == pytest.approx(111.32, abs=0.01)
    # A 1° x 1° cell at the equator is about 12,308 km²; the orientation does not change the size.
    cell = Polygon([(0, 0), (1, 0), (1, 1), (0, 1)])
    assert geodesic_size(cell, Measure.area_km2) == pytest.approx(12_308, rel=1e-3)
    assert geodesic_size(cell.reverse(), Measure.area_km2) == pytest.approx(12_308, rel=1e-3)


# --- broken copies, validated through the CLI ----------------------------------------------------


def tree_state(root: Path) -> dict[str, str]:
    """Every path under root with the sha256 of files ('dir' for directories)."""
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
        for path in sorted(root.rglob("*"))
    }


def validate_copy(data: Path) -> list[str]:
    """Run `geo --data <copy> validate` from the copy's parent; return the problem lines.

    Asserts what every failed run must show: exit 1, nothing on stdout, a header counting the
    problems, and nothing written — the copy is byte-identical and no file appears beside it.
    """
    workdir = data.parent
    before, around = tree_state(data), sorted(p.name for p in workdir.iterdir())
    result = run_geo("--data", str(data), "validate", cwd=workdir)
    assert result.returncode == 1, result.stderr
    assert result.stdout == ""
    assert tree_state(data) == before
    assert sorted(p.name for p in workdir.iterdir()) == around
    head, *lines = result.stderr.splitlines()
    count = len(lines)
    assert head == f"{count} problem{'s' if count != 1 else ''} found in the atlas data:"
    assert all(line.startswith("  - ") for line in lines), result.stderr
    return [line.removeprefix("  - ") for line in lines]


SWAPPED = (
    "data/layers/cities.geojson: tashkent: field 'geometry.coordinates': lies outside the atlas region "
    "(40.0, 30.0, 95.0, 58.0) (lon/lat bounds 41.267, 69.217, 41.267, 69.217) — it looks like lat/lon are "
    "swapped (RFC 7946 order is lon, lat)"
)
UNKNOWN_SOURCE = "data/layers/dams.geojson: kayrakkum-dam: field 'sources[1]': unknown source id 'ref-nope'"
BOW_TIE = "data/layers/water_bodies.geojson: aral-sea: field 'geometry': invalid geometry: Self-intersection[59.5 45.5]"
MEASURE_OFF = (
    "data/metadata/figures.yaml: darbaza-maktaaral-length: field 'value': states 400 km for "
    "'darbaza-maktaaral-railway' but its geometry measures 97.3 km (76% off, tolerance 40%)"
)
BAD_ENUM = (
    "data/metadata/events.yaml: kz-tj-treaty-signed: field 'kind': Input should be 'signed', 'ratified', "
    "'visit', 'meeting', 'adopted', 'assumed_chairmanship', 'cultural_event', 'construction_started' or "
    "'status_reported' (got 'sealed')"
)
BAD_MAPS_YAML = "data/maps.yaml: (file): malformed YAML at line 9, column 2: did not find expected '-' indicator"


def swap_tashkent(data: Path) -> None:
    edit_feature(data, "cities", "tashkent", set_coordinates([41.267, 69.217]))


def unknown_source(data: Path) -> None:
    edit_feature(data, "dams", "kayrakkum-dam", set_properties(sources=["ref-wikipedia-kayrakkum-dam", "ref-nope"]))


def bow_tie(data: Path) -> None:
    # Two triangles meeting at (59.5, 45.5): a self-intersecting ring.
    ring = [[59.0, 45.0], [60.0, 46.0], [60.0, 45.0], [59.0, 46.0], [59.0, 45.0]]
    edit_feature(data, "water_bodies", "aral-sea", set_coordinates([[ring]]))


def measure_off(data: Path) -> None:
    replace_once(data / "metadata" / "figures.yaml", "  value: 152\n", "  value: 400\n")


def bad_enum(data: Path) -> None:
    record = "- id: kz-tj-treaty-signed\n  kind: "
    replace_once(data / "metadata" / "events.yaml", record + "signed", record + "sealed")


def bad_maps_yaml(data: Path) -> None:
    # The second map's dash is indented one space too far.
    replace_once(data / "maps.yaml", "\n- id: kazakhstan-uzbekistan\n", "\n - id: kazakhstan-uzbekistan\n")


def test_shipped_data_validates_through_the_cli(data_copy: Path) -> None:
    before = tree_state(data_copy)
    result = run_geo("--data", str(data_copy), "validate", cwd=data_copy.parent)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("data is valid: 8 layers, ")
    assert result.stderr == ""
    assert tree_state(data_copy) == before


@pytest.mark.parametrize(
    ("breakage", "expected"),
    [
        pytest.param(swap_tashkent, SWAPPED, id="swapped-coordinates"),
        pytest.param(unknown_source, UNKNOWN_SOURCE, id="unknown-source"),
        pytest.param(bow_tie, BOW_TIE, id="bow-tie-polygon"),
        pytest.param(measure_off, MEASURE_OFF, id="measure-off"),
        pytest.param(bad_enum, BAD_ENUM, id="wrong-enum"),
        pytest.param(bad_maps_yaml, BAD_MAPS_YAML, id="malformed-yaml"),
        pytest.param(
            lambda data: edit_feature(data, "dams", "kayrakkum-dam", set_properties(id="khujand")),
            "data/layers/cities.geojson: khujand: field 'id': duplicate feature id (also in data/layers/dams.geojson)",
            id="duplicate-feature-id",
        ),
        pytest.param(
            lambda data: (data / "layers" / "dams.geojson").write_text(
                '{"type":"FeatureCollection","features":[\n{"type":"Feature",}\n]}\n', encoding="utf-8"
            ),
            "data/layers/dams.geojson: (file): malformed JSON at line 2, column 19: "
            "Expecting property name enclosed in double quotes",
            id="malformed-json",
        ),
        pytest.param(
            lambda data: edit_feature(data, "cities", "aktobe", set_properties(accuracy_m="far")),
            "data/layers/cities.geojson: aktobe: field 'accuracy_m': Input should be a valid number (got 'far')",
            id="wrong-type",
        ),
        pytest.param(
            lambda data: edit_feature(data, "border_checkpoints", "gulistan-checkpoint", set_properties(status="open")),
            "data/layers/border_checkpoints.geojson: gulistan-checkpoint: field 'status': Input should be "
            "'proposed', 'agreed', 'under_construction', 'operational' or 'unknown' (got 'open')",
            id="wrong-feature-enum",
        ),
        pytest.param(
            # 150 km north-north-west, deep in Kazakhstan: about 100 km from any border.
            lambda data: edit_feature(
                data, "border_checkpoints", "atameken-checkpoint", set_coordinates([68.08, 42.1116])
            ),
            "data/layers/border_checkpoints.geojson: atameken-checkpoint: field 'geometry': "
            "a border checkpoint 101.9 km from the KZ border (at most 6.5 km)",
            id="checkpoint-far-from-border",
        ),
        pytest.param(
            lambda data: edit_feature(data, "cities", "khujand", set_properties(country=["UZ"])),
            "data/layers/cities.geojson: khujand: field 'country': lies 26.5 km outside UZ (allowed: 2.0 km from accuracy_m)",
            id="wrong-country",
        ),
        pytest.param(
            lambda data: edit_feature(
                data,
                "water_bodies",
                "bahri-tojik-reservoir",
                lambda f: f["geometry"].__setitem__(
                    "coordinates", [[ring[::-1] for ring in polygon] for polygon in f["geometry"]["coordinates"]]
                ),
            ),
            "data/layers/water_bodies.geojson: bahri-tojik-reservoir: field 'geometry.coordinates': "
            "ring orientation breaks the RFC 7946 right-hand rule (outer rings counter-clockwise)",
            id="clockwise-outer-ring",
        ),
        pytest.param(
            lambda data: edit_feature(data, "cities", "aktobe", lambda f: f["properties"].pop("local_lang")),
            "data/layers/cities.geojson: aktobe: name_local is given without local_lang (the language of the local name)",
            id="record-level-rule",
        ),
        pytest.param(
            lambda data: edit_feature(data, "cities", "aktobe", set_properties(name="   ")),
            "data/layers/cities.geojson: aktobe: field 'name': is blank (only spaces or invisible characters): "
            "give the text, or leave out an optional field (got '   ')",
            id="blank-name",
        ),
        pytest.param(
            lambda data: replace_once(
                data / "metadata" / "events.yaml",
                'date: "2024-08"\n  date_precision: month\n  place: Dushanbe',
                'date: "2024-08"\n  date_precision: month\n  place: "\\u200B\\u3000 "',
            ),
            "data/metadata/events.yaml: kz-tj-business-forum: field 'place': is blank (only spaces or invisible "
            "characters): give the text, or leave out an optional field (got '\\u200b\\u3000 ')",
            id="blank-text-of-invisible-characters",
        ),
        pytest.param(
            lambda data: edit_feature(data, "cities", "aktobe", set_properties(colour="red")),
            "data/layers/cities.geojson: aktobe: field 'colour': unknown field (not in the schema; see data/README.md)",
            id="unknown-field",
        ),
        pytest.param(
            lambda data: replace_once(
                data / "metadata" / "events.yaml",
                'date: "2024-08"\n  date_precision: month\n  place: Dushanbe',
                'date: "2024-8"\n  date_precision: month\n  place: Dushanbe',
            ),
            "data/metadata/events.yaml: kz-tj-business-forum: field 'date': "
            "'2024-8' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)",
            id="bad-partial-date",
        ),
        pytest.param(
            lambda data: replace_once(
                data / "maps.yaml", "[water_bodies, dams, cities]", "[water_bodies, dam, cities]"
            ),
            "data/maps.yaml: kazakhstan-tajikistan: field 'layers[1]': unknown layer id 'dam'",
            id="unknown-layer-in-map",
        ),
        pytest.param(
            lambda data: edit_feature(data, "cities", "khujand", set_coordinates([69.6167])),
            "data/layers/cities.geojson: khujand: field 'geometry.coordinates': malformed coordinates: "
            "a position must be [lon, lat] in decimal degrees, got [69.6167]",
            id="malformed-position",
        ),
        pytest.param(
            lambda data: edit_feature(
                data,
                "water_bodies",
                "aral-sea",
                lambda f: f["geometry"]["coordinates"][0][0].pop(),
            ),
            "data/layers/water_bodies.geojson: aral-sea: field 'geometry.coordinates': malformed "
            "coordinates: a polygon ring must be closed (its first position repeated last) with at least 4 positions",
            id="open-ring",
        ),
        pytest.param(
            lambda data: edit_feature(
                data, "corridors", "north-south-corridor", set_coordinates([[[52.85528, 43.33778]]])
            ),
            "data/layers/corridors.geojson: north-south-corridor: field 'geometry.coordinates': "
            "malformed coordinates: a line must have at least 2 positions",
            id="one-point-line",
        ),
    ],
)
def test_broken_copy_reports_the_exact_problem(
    data_copy: Path, breakage: Callable[[Path], None], expected: str
) -> None:
    breakage(data_copy)
    assert validate_copy(data_copy) == [expected]


@pytest.mark.parametrize(
    ("geometry", "problem"),
    [
        (
            {"type": "Polygon", "coordinates": []},
            "field 'geometry.type': layer 'cities' holds Point geometries, got 'Polygon'",
        ),
        (None, "field 'geometry': missing geometry (null geometries are not allowed)"),
    ],
    ids=["wrong-geometry-type", "null-geometry"],
)
def test_a_feature_that_fails_drops_out_and_references_to_it_are_reported(
    data_copy: Path, geometry: dict | None, problem: str
) -> None:
    # Astana leaves the catalog; the event held there then names an unknown feature.
    edit_feature(data_copy, "cities", "astana", lambda f: f.__setitem__("geometry", geometry))
    assert validate_copy(data_copy) == [
        f"data/layers/cities.geojson: astana: {problem}",
        "data/metadata/events.yaml: mazhilis-ratifies-icic-agreement: field 'features[0]': unknown feature id 'astana'",
    ]


def test_every_problem_is_reported_in_one_run(data_copy: Path) -> None:
    for breakage in (swap_tashkent, unknown_source, bow_tie, measure_off, bad_enum, bad_maps_yaml):
        breakage(data_copy)
    assert validate_copy(data_copy) == sorted([SWAPPED, UNKNOWN_SOURCE, BOW_TIE, MEASURE_OFF, BAD_ENUM, BAD_MAPS_YAML])


def test_missing_base_layer_is_reported_not_a_crash(data_copy: Path) -> None:
    (data_copy / "base" / "countries.geojson").unlink()
    assert validate_copy(data_copy) == ["data/base/countries.geojson: (file): country outlines missing"]


def test_malformed_base_layer_is_reported_not_a_crash(data_copy: Path) -> None:
    (data_copy / "base" / "countries.geojson").write_text('{"type":"FeatureCollection","features":[', encoding="utf-8")
    assert validate_copy(data_copy) == [
        "data/base/countries.geojson: (file): malformed JSON at line 1, column 41: Expecting value"
    ]
