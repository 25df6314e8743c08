"""The loader: the shipped data loads, records join, layers come out as GeoDataFrames."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from shapely.geometry import shape

from geo.base_layer import _outline
from geo.catalog import Catalog, load_catalog
from geo.errors import DataError, Problem
from geo.geojson_reader import read_geojson
from geo.readers import _DataLoader, read_yaml_list
from geo.validate import validate_catalog
from tests.conftest import DATA


def _yaml(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_shipped_data_loads_completely(catalog: Catalog, data_dir: Path) -> None:
    layer_specs = _yaml(data_dir / "layers.yaml")
    # Layers keep the order of layers.yaml: maps and `geo list` show them in that order.
    assert list(catalog.layers) == [spec["id"] for spec in layer_specs]
    for spec in layer_specs:
        raw = json.loads((data_dir / spec["file"]).read_text(encoding="utf-8"))["features"]
        assert [f.id for f in catalog.layers[spec["id"]].features] == [f["properties"]["id"] for f in raw]
    for name, records in [
        ("sources", catalog.sources),
        ("projects", catalog.projects),
        ("events", catalog.events),
        ("figures", catalog.figures),
    ]:
        assert list(records) == [r["id"] for r in _yaml(data_dir / "metadata" / f"{name}.yaml")]
    assert list(catalog.maps) == [m["id"] for m in _yaml(data_dir / "maps.yaml")]


def test_features_carry_their_layer_and_shapely_geometry(catalog: Catalog) -> None:
    for layer in catalog.layers.values():
        for feature in layer.features:
            assert feature.layer == layer.id
            assert feature.geometry.geom_type == layer.spec.geometry_type.value


def test_feature_lookup(catalog: Catalog) -> None:
    assert catalog.feature("dostyk-station").layer == "railway_stations"
    with pytest.raises(KeyError):
        catalog.feature("no-such-feature")


def test_atameken_checkpoint_joins_its_events_in_date_order(catalog: Catalog) -> None:
    events = catalog.events_of(catalog.feature("atameken-checkpoint"))
    dated = [(event.date, event.kind.value) for event in events if event.date]
    assert ("2023-11-09", "signed") in dated
    assert ("2025-02-05", "ratified") in dated
    assert dated == sorted(dated)
    # Oldest first: the roadmap signed at the 20th commission (5 May 2023, dated by a reference).
    assert [event.id for event in events] == [
        "icic-roadmap-signed",
        "icic-agreement-signed",
        "icic-roadmap-2024-signed",
        "mazhilis-ratifies-icic-agreement",
        "icic-status-2025-11",
    ]


def test_atameken_checkpoint_sources_include_the_mazhilis_article(catalog: Catalog) -> None:
    sources = catalog.sources_of(catalog.feature("atameken-checkpoint"))
    ids = [source.id for source in sources]
    # Its own sources first, then those of its project and joined events.
    assert ids[:2] == ["art-mazhilis-icic-2025", "ref-kazinform-atameken-crossing"]
    assert len(ids) == len(set(ids))
    mazhilis = catalog.sources["art-mazhilis-icic-2025"]
    assert mazhilis.file == "003_183a8b294a59c464.txt"
    assert mazhilis.published == "2025-02-05"
    # The Senate report dates the signing; it reaches the checkpoint through the signing event.
    assert "art-uz-senate-treaty-2023" in ids


def test_reservoir_joins_its_measured_figures(catalog: Catalog) -> None:
    figures = [figure.id for figure in catalog.figures_of(catalog.feature("bahri-tojik-reservoir"))]
    assert {"bahri-tojik-area", "bahri-tojik-length"} <= set(figures)


def test_capital_joins_the_events_held_there(catalog: Catalog) -> None:
    events = [event.id for event in catalog.events_of(catalog.feature("dushanbe"))]
    # Oldest first; the Abai bust (21 August 2024) between the Days of Culture and the treaty's signing.
    assert events == [
        "kz-pm-visit-dushanbe", "kz-tj-business-forum", "kz-culture-days-tajikistan", "abai-monument-dushanbe",
        "kz-tj-treaty-signed",
    ]  # fmt: skip


def test_feature_without_project_has_only_its_own_facts(catalog: Catalog) -> None:
    khujand = catalog.feature("khujand")
    assert catalog.events_of(khujand) == []
    assert catalog.figures_of(khujand) == []
    assert [source.id for source in catalog.sources_of(khujand)] == [
        "ref-khujand",
        "geonames",
        "natural-earth-10m-populated-places",
    ]


def test_a_fact_about_a_feature_does_not_leak_to_a_project_of_the_same_id(data_copy: Path) -> None:
    # The railway line feature and the railway project share the id 'darbaza-maktaaral-railway'.
    # An event about the drawn line alone concerns the line, not every feature of the project.
    events_file = data_copy / "metadata" / "events.yaml"
    events_file.write_text(
        events_file.read_text(encoding="utf-8")
        + "\n- id: line-surveyed\n  kind: meeting\n  title: Survey of the drawn line\n  date: '2024'\n"
        "  date_precision: year\n  countries: [KZ]\n  features: [darbaza-maktaaral-railway]\n"
        "  sources: [ref-kazpravda-darbaza-maktaaral]\n",
        encoding="utf-8",
    )
    catalog = load_catalog(data_copy)
    line = catalog.feature("darbaza-maktaaral-railway")
    station = catalog.feature("darbaza-station")
    assert "darbaza-maktaaral-railway" in station.properties.projects
    assert "line-surveyed" in [event.id for event in catalog.events_of(line)]
    assert "line-surveyed" not in [event.id for event in catalog.events_of(station)]


def test_layer_frame_is_a_geodataframe_in_wgs84(catalog: Catalog) -> None:
    import geopandas

    frame = catalog.layer_frame("border_checkpoints")
    assert isinstance(frame, geopandas.GeoDataFrame)
    assert frame.crs.to_epsg() == 4326
    assert list(frame["id"]) == ["atameken-checkpoint", "gulistan-checkpoint"]
    assert list(frame.geometry.geom_type) == ["Point", "Point"]
    atameken = frame.set_index("id").loc["atameken-checkpoint"]
    assert atameken["layer"] == "border_checkpoints"
    assert atameken["country"] == ["KZ"]
    assert atameken["kind"] == "border_checkpoint"
    assert "mazhilis-ratifies-icic-agreement" in atameken["events"]
    assert "art-mazhilis-icic-2025" in atameken["all_sources"]
    # lon, lat order (RFC 7946): x is the longitude.
    assert atameken.geometry.x == pytest.approx(68.5494)
    assert atameken.geometry.y == pytest.approx(40.80794)


@pytest.mark.parametrize("layer_id", ["railway_lines", "water_bodies", "corridors", "cities"])
def test_every_layer_frame_has_the_layer_ids(catalog: Catalog, layer_id: str) -> None:
    frame = catalog.layer_frame(layer_id)
    assert list(frame["id"]) == [feature.id for feature in catalog.layers[layer_id].features]
    assert frame.crs.to_epsg() == 4326
    assert set(frame.geometry.geom_type) == {catalog.layers[layer_id].spec.geometry_type.value}
    for column in ("events", "figures", "all_sources", "schematic", "accuracy_m", "geometry_source"):
        assert column in frame.columns


def test_missing_data_directory_is_one_problem(tmp_path: Path) -> None:
    with pytest.raises(DataError) as caught:
        load_catalog(tmp_path / "nope")
    assert caught.value.problems == [
        Problem((tmp_path / "nope").as_posix(), "(directory)", "-", "data directory not found")
    ]


def test_empty_data_directory_names_every_missing_file(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    with pytest.raises(DataError) as caught:
        load_catalog(tmp_path / "data")
    missing = {p.file for p in caught.value.problems if p.message == "file is missing"}
    assert missing == {
        "data/atlas.yaml",
        "data/layers.yaml",
        "data/maps.yaml",
        "data/metadata/sources.yaml",
        "data/metadata/projects.yaml",
        "data/metadata/events.yaml",
        "data/metadata/figures.yaml",
    }


def test_loading_resolves_references_but_leaves_geometry_checks_to_validate(data_copy: Path) -> None:
    path = data_copy / "layers" / "dams.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["features"][0]["geometry"]["coordinates"] = [40.275, 69.81]  # lat/lon swapped
    path.write_text(json.dumps(document), encoding="utf-8")
    catalog = load_catalog(data_copy)
    assert catalog.feature("kayrakkum-dam").geometry.y == 69.81
    assert any("lat/lon are swapped" in p.message for p in validate_catalog(catalog))
    document["features"][0]["properties"]["sources"] = ["ref-nope"]
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(DataError, match="unknown source id 'ref-nope'"):
        load_catalog(data_copy)


# --- problems and the readers --------------------------------------------------------------------


def test_problem_reads_file_record_field_message() -> None:
    problem = Problem("data/layers/cities.geojson", "aktobe", "accuracy_m", "must be positive")
    assert str(problem) == "data/layers/cities.geojson: aktobe: field 'accuracy_m': must be positive"
    # A problem of a whole file or record names no field.
    assert str(Problem("data/maps.yaml", "(file)", "-", "file is missing")) == "data/maps.yaml: (file): file is missing"


def test_data_error_lists_every_problem_once_in_order() -> None:
    later = Problem("data/metadata/figures.yaml", "b", "value", "second")
    earlier = Problem("data/layers/cities.geojson", "a", "id", "first")
    error = DataError([later, earlier, later])
    assert error.problems == [earlier, later]
    assert error.report() == (
        "2 problems found in the atlas data:\n"
        "  - data/layers/cities.geojson: a: field 'id': first\n"
        "  - data/metadata/figures.yaml: b: field 'value': second"
    )
    assert DataError([earlier]).report().startswith("1 problem found in the atlas data:\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("id: a\n", "expected a list of records (mappings)"),
        ("- a\n- b\n", "expected a list of records (mappings)"),
        ("- id: a\n  name: [b\n", "malformed YAML at line 3, column 1: did not find expected ',' or ']'"),
    ],
)
def test_read_yaml_list_reports_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "data" / "maps.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    problems: list[Problem] = []
    assert read_yaml_list(path, tmp_path / "data", problems) == []
    assert problems == [Problem("data/maps.yaml", "(file)", "-", message)]


def test_read_yaml_list_empty_file_is_no_records(tmp_path: Path) -> None:
    path = tmp_path / "maps.yaml"
    path.write_text("# nothing yet\n", encoding="utf-8")
    problems: list[Problem] = []
    assert read_yaml_list(path, tmp_path, problems) == []
    assert problems == []


def test_read_yaml_list_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "data" / "maps.yaml"
    path.parent.mkdir()
    path.write_bytes("- id: almaty\n  title: Алматы\n".encode("cp1251"))
    problems: list[Problem] = []
    assert read_yaml_list(path, tmp_path / "data", problems) == []
    assert problems[0].message.startswith("not UTF-8 text: ")


@pytest.mark.parametrize(
    ("document", "field", "message"),
    [
        ({"type": "Feature"}, "type", "expected a GeoJSON FeatureCollection"),
        ([], "type", "expected a GeoJSON FeatureCollection"),
        ({"type": "FeatureCollection", "features": {}}, "features", "expected a list of features"),
        (
            {"type": "FeatureCollection", "crs": {"type": "name"}, "features": []},
            "crs",
            "RFC 7946 GeoJSON has no 'crs' member; coordinates are WGS84 lon/lat",
        ),
    ],
)
def test_read_geojson_reports_what_is_wrong(tmp_path: Path, document: object, field: str, message: str) -> None:
    path = tmp_path / "data" / "layers" / "x.geojson"
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(document), encoding="utf-8")
    problems: list[Problem] = []
    read_geojson(path, tmp_path / "data", problems)
    assert problems == [Problem("data/layers/x.geojson", "(file)", field, message)]


def test_read_geojson_of_a_directory_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    path = tmp_path / "data" / "layers" / "x.geojson"
    path.mkdir(parents=True)
    problems: list[Problem] = []
    assert read_geojson(path, tmp_path / "data", problems) == []
    assert [(p.file, p.message) for p in problems] == [("data/layers/x.geojson", "cannot be read: Is a directory")]


@pytest.mark.parametrize(
    ("layer", "fid", "coordinates", "message"),
    [
        ("cities", "aktobe", [57.2297], "a position must be [lon, lat] in decimal degrees, got [57.2297]"),
        (
            "cities",
            "aktobe",
            ["57.2", "50.3"],
            'a position must be [lon, lat] in decimal degrees, got ["57.2", "50.3"]',
        ),
        (
            "cities",
            "aktobe",
            [57.2, 50.3, 0, 1],
            "a position must be [lon, lat] in decimal degrees, got [57.2, 50.3, 0, 1]",
        ),
        ("corridors", "north-south-corridor", [], "expected a non-empty list of lists, got []"),
        ("corridors", "north-south-corridor", [[[52.8, 43.3]]], "a line must have at least 2 positions"),
        (
            "water_bodies",
            "aral-sea",
            [[[[58.0, 45.0], [59.0, 45.0], [59.0, 46.0], [58.0, 46.0]]]],
            "a polygon ring must be closed (its first position repeated last) with at least 4 positions",
        ),
        (
            "water_bodies",
            "aral-sea",
            [[[[58.0, 45.0], [59.0, 45.0], [58.0, 45.0]]]],
            "a polygon ring must be closed (its first position repeated last) with at least 4 positions",
        ),
    ],
)
def test_malformed_coordinates_are_named(
    data_copy: Path, layer: str, fid: str, coordinates: object, message: str
) -> None:
    path = data_copy / "layers" / f"{layer}.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    (feature,) = [f for f in document["features"] if f["properties"]["id"] == fid]
    feature["geometry"]["coordinates"] = coordinates
    path.write_text(json.dumps(document), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_catalog(data_copy)
    assert caught.value.problems == [
        Problem(f"data/layers/{layer}.geojson", fid, "geometry.coordinates", f"malformed coordinates: {message}")
    ]


YAML_DOCUMENTS = [
    "- id: a\n  name: 'Алматы'\n  n: 0x1F\n  f: 1_000.5\n  inf: .inf\n  yes: yes\n  on: On\n  none: ~\n  date: 2024-02-30\n",
    "a: &x [1, 2, {b: c}]\nb: *x\nc: *x\n",  # aliases: one object, as PyYAML builds it
    "base: &base {k: 1, j: 2}\nmerged:\n  <<: *base\n  j: 3\n",  # a merge key: PyYAML's way
    "1: int\n'1': str\n1.0: float\ntrue: bool\nnull: none\n",
    "a: 1\na: 2\n",  # refused: a repeated key
    "? [a, b]\n: c\n",  # a collection as a key: PyYAML's refusal
    "a: !!set {x, y}\nb: !!binary aGVsbG8=\n",
    "a: !custom x\n",  # an unknown tag: refused
    "x: &a [1]\ny: [" + ", ".join(["*a"] * 101) + "]\n",  # more aliases than allowed
    "- &r [*r]\n",  # refers to itself
    "",
    "just text\n",
]


@pytest.mark.parametrize(
    "text",
    [
        *(pytest.param(text, id=f"crafted-{i}") for i, text in enumerate(YAML_DOCUMENTS)),
        *(pytest.param(p.read_text(encoding="utf-8"), id=p.name) for p in sorted(DATA.rglob("*.yaml"))),
    ],
)
def test_plain_yaml_is_read_as_pyyaml_reads_it(text: str) -> None:
    """The loader's one-pass builder gives what PyYAML's general constructor gives with the same
    checks: the same values (an alias the same object as its anchor's), the same refusals."""

    class General(_DataLoader):
        def construct_document(self, node):  # PyYAML's own, through the loader's checks
            return yaml.constructor.BaseConstructor.construct_document(self, node)

    def read(loader):
        try:
            value = yaml.load(text, Loader=loader)
        except yaml.YAMLError as exc:
            return "refused", str(exc)
        shared = [id(v) for v in value.values()] if isinstance(value, dict) else []
        return repr(value), [shared.index(i) for i in shared]

    assert read(_DataLoader) == read(General)


OUTLINES = [
    [[[0, 0], [1, 0], [1, 1], [0, 0]]],
    [[[0, 0], [1, 0], [1, 1], [0, 1]]],  # not closed
    [[[0, 0], [1, 0], [1, 1], [0, 0]], [[0.1, 0.1], [0.2, 0.1], [0.2, 0.2], [0.1, 0.1]], [[0.5, 0.5], [0.6, 0.5], [0.6, 0.6], [0.5, 0.6], [0.5, 0.5]]],
    [[[0, 0, 1], [1, 0, 1], [1, 1, 1], [0, 0, 1]]],
    [[["0", 0], [1, 0], [1, 1], ["0", 0]]],
    [[[0, 0], [1, 0], [1], [0, 0]]],
    [[[True, 0], [1, 0], [1, 1], [True, 0]]],
    [[[float("nan"), 0], [1, 0], [1, 1], [0, 0]]],
    [[None, None, None, None]],
    [[]],
    [],
    "x",
]  # fmt: skip


@pytest.mark.parametrize(
    "geometry",
    [
        *({"type": "Polygon", "coordinates": c} for c in OUTLINES),
        *({"type": "MultiPolygon", "coordinates": [c, OUTLINES[0]]} for c in OUTLINES),
        *(
            f["geometry"]
            for f in json.loads((DATA / "base" / "countries.geojson").read_text(encoding="utf-8"))["features"]
        ),
    ],
)
def test_a_country_outline_is_built_as_shapely_builds_it(geometry: dict) -> None:
    """Outlines are built from arrays: the same geometry as shapely's shape(), the same refusals."""

    def built(make):
        try:
            made = make(geometry)
        except Exception as exc:
            return type(exc), str(exc)
        return made.geom_type, made.wkb

    assert built(_outline) == built(shape)
