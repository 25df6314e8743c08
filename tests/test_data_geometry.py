"""The railway geometry follows its OpenStreetMap sources, and validation says when geometry lies.

First the shipped data: lines inside the countries they name, stations at their cited OSM nodes,
recorded positions covered by accuracy_m, stated lengths beside measured ones. Then broken copies
of data/ run through `geo validate` in-process, asserting the exact line a user reads.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
import shapely
from shapely.geometry import Point

from geo.catalog import Catalog, load_catalog
from geo.validate import GEOD, OUTLINE_ERROR_M, distance_m, geodesic_size
from tests.conftest import edit_feature, run_geo

ROOT = Path(__file__).resolve().parents[1]
OSM = ROOT / "data" / "base" / "osm"
NODE_REF = re.compile(r"OpenStreetMap node (\d+)")


@pytest.fixture(scope="module")
def osm_nodes() -> dict[int, dict]:
    document = json.loads((OSM / "stations-extract.json").read_text(encoding="utf-8"))
    return {record["id"]: record for record in document["stations"]}


def _non_points(catalog: Catalog) -> list[str]:
    return [f.id for f in catalog.features() if f.geometry.geom_type != "Point"]


SHIPPED = load_catalog(ROOT / "data")
LINE_IDS = _non_points(SHIPPED)
STATION_IDS = [f.id for f in SHIPPED.layers["railway_stations"].features]
POSITIONED = [f.id for f in SHIPPED.features() if f.properties.positions]


@pytest.mark.parametrize("feature_id", LINE_IDS)
def test_each_line_and_polygon_stays_in_its_named_countries(catalog: Catalog, feature_id: str) -> None:
    feature = catalog.feature(feature_id)
    outlines = {iso: country.geometry for iso, country in catalog.countries.items()}
    union = shapely.union_all([outlines[code] for code in feature.properties.country])
    outside = shapely.segmentize(feature.geometry.difference(union), 0.01)
    allowed = max(feature.properties.accuracy_m, OUTLINE_ERROR_M) + OUTLINE_ERROR_M
    depths = [distance_m(union, Point(x, y)) for x, y in shapely.get_coordinates(outside)]
    assert max(depths, default=0.0) <= allowed


@pytest.mark.parametrize("feature_id", STATION_IDS)
def test_each_station_lies_within_its_accuracy_of_its_cited_osm_node(
    catalog: Catalog, osm_nodes: dict[int, dict], feature_id: str
) -> None:
    feature = catalog.feature(feature_id)
    match = NODE_REF.search(feature.properties.geometry_source)
    assert match, "a station's geometry_source cites its OpenStreetMap node"
    node = osm_nodes[int(match.group(1))]
    off = GEOD.inv(feature.geometry.x, feature.geometry.y, node["lon"], node["lat"])[2]
    assert off <= feature.properties.accuracy_m
    assert "osm-asia-railway-stations" in feature.properties.sources  # the attribution reaches exports


@pytest.mark.parametrize("feature_id", POSITIONED)
def test_accuracy_covers_every_recorded_position(catalog: Catalog, feature_id: str) -> None:
    feature = catalog.feature(feature_id)
    for position in feature.properties.positions:
        off = GEOD.inv(feature.geometry.x, feature.geometry.y, position.lon, position.lat)[2]
        assert off <= feature.properties.accuracy_m, position.ref


def test_the_corridor_follows_the_track_between_its_hubs(catalog: Catalog, osm_nodes: dict[int, dict]) -> None:
    corridor = catalog.feature("china-kazakhstan-uzbekistan-route").geometry
    hubs = {  # OpenStreetMap nodes of the hubs the sources name
        "Dostyk": 4025083258, "Aktogay": 4020137341, "Almaty-1": 260543817, "Taraz": 4057490819,
        "Shymkent": 2753413127, "Arys 1": 4021927562, "Saryagash": 4041813395, "Altynkol": None,
    }  # fmt: skip
    for name, node in hubs.items():
        if node is None:
            continue
        record = osm_nodes[node]
        assert distance_m(corridor, Point(record["lon"], record["lat"])) < 3_000, name
    # Through Kyrgyzstan only where OpenStreetMap's track does (near Maymak), not the 221 km of a
    # straight Almaty–Shymkent line.
    kg = catalog.countries["KG"].geometry
    assert GEOD.geometry_length(corridor.intersection(kg)) / 1000 < 20


def test_the_almaty_bypass_runs_zhetygen_to_kazybek_bek_through_its_stations(catalog: Catalog) -> None:
    line = catalog.feature("almaty-railway-bypass").geometry
    ends = [catalog.feature("zhetygen-station").geometry, catalog.feature("kazybek-bek-station").geometry]
    assert [round(c, 5) for c in line.coords[0]] == [round(c, 5) for c in ends[0].coords[0]]
    assert [round(c, 5) for c in line.coords[-1]] == [round(c, 5) for c in ends[1].coords[0]]
    for fid in ("zhanaarna-station", "moiynkum-station", "sorbulak-station"):
        assert distance_m(line, catalog.feature(fid).geometry) < 1


@pytest.mark.parametrize(
    ("figure_id", "low_km", "high_km"),
    [("almaty-bypass-length", 64, 80), ("darbaza-maktaaral-length", 91, 110)],
)
def test_stated_and_measured_lengths(catalog: Catalog, figure_id: str, low_km: float, high_km: float) -> None:
    figure = catalog.figures[figure_id]
    measured = geodesic_size(catalog.feature(figure.features[0]).geometry, figure.measure)
    assert low_km <= measured <= high_km
    assert abs(measured - figure.value) / figure.value * 100 <= figure.tolerance_pct


# --- broken copies ---------------------------------------------------------------------------


def _validate(data: Path) -> tuple[int, list[str]]:
    result = run_geo("--data", str(data), "validate")
    lines = [line.strip()[2:] for line in result.output.splitlines() if line.strip().startswith("- ")]
    return result.returncode, lines


def test_validation_refuses_a_corridor_across_a_third_country(data_copy: Path) -> None:
    def straight_almaty_shymkent(feature: dict) -> None:
        feature["geometry"] = {"type": "MultiLineString", "coordinates": [[[76.9492, 43.3414], [69.6103, 42.29871]]]}
        feature["properties"]["country"] = ["KZ"]

    edit_feature(data_copy, "corridors", "china-kazakhstan-uzbekistan-route", straight_almaty_shymkent)
    code, lines = _validate(data_copy)
    assert code == 1
    (line,) = [line for line in lines if "china-kazakhstan-uzbekistan-route" in line]
    assert re.fullmatch(
        r"data/layers/corridors\.geojson: china-kazakhstan-uzbekistan-route: field 'geometry': runs \d+\.\d km "
        r"outside the countries it names \(KZ\) through KG, up to \d+\.\d km beyond them \(allowed: 6\.5 km "
        r"from accuracy_m and the outline error\)",
        line,
    ), line


def test_lines_across_a_third_country_are_measured_as_against_the_whole_union(data_copy: Path, monkeypatch) -> None:
    """The named countries' union is cut to the features' surroundings for speed: the problems,
    their lengths and depths, are those measured against the whole union, near (12.5 km into
    Kyrgyzstan), far (321 km into Afghanistan, beyond the cut's margin) and nowhere near (a line
    in Iran, where the cut holds none of the countries it names)."""
    from geo import validate

    def line(coordinates: list[list[float]]) -> Callable[[dict], None]:
        return lambda feature: feature.update(geometry={"type": "MultiLineString", "coordinates": [coordinates]})

    def outside_problems() -> list[str]:
        return [p.message for p in validate.validate_catalog(catalog) if "outside the countries" in p.message]

    edit_feature(data_copy, "corridors", "north-south-corridor", line([[76.95, 43.34], [75.6, 42.7], [74.6, 43.2]]))
    edit_feature(data_copy, "corridors", "china-kazakhstan-uzbekistan-route", line([[69.24, 41.31], [69.18, 34.53]]))
    in_iran = {"type": "LineString", "coordinates": [[53.0, 32.0], [54.0, 32.5]]}
    edit_feature(data_copy, "railway_lines", "darbaza-maktaaral-railway",
                 lambda feature: feature.update(geometry=in_iran, properties={**feature["properties"], "country": ["KZ", "UZ"]}))  # fmt: skip
    catalog = load_catalog(data_copy)
    cut = outside_problems()
    monkeypatch.setattr(validate, "UNION_MARGIN_DEG", 1000.0)  # a cut wider than the world: the whole union
    whole = outside_problems()
    assert cut == whole
    assert [re.search(r"\(([A-Z, ]+)\) through ([A-Z, ]+), up to ([\d.]+) km", m).groups() for m in cut] == [
        ("KZ, UZ", "IR", "1051.6"),  # railway_lines.geojson, read before corridors.geojson
        ("CN, KG, KZ, UZ", "AF, TJ", "321.0"),
        ("KZ, TM, IR", "KG", "12.5"),
    ]


def test_validation_refuses_a_point_whose_sources_disagree_beyond_its_accuracy(data_copy: Path) -> None:
    def far_second_source(feature: dict) -> None:
        feature["properties"]["accuracy_m"] = 300
        feature["properties"]["positions"] = [
            {
                "lon": 69.08869,
                "lat": 41.56944,
                "source": "osm-asia-railway-stations",
                "ref": "OpenStreetMap node 4046956030",
            },
            {"lon": 69.05, "lat": 41.62, "source": "ref-vb-darbaza-station", "ref": "estimate"},
        ]

    edit_feature(data_copy, "railway_stations", "darbaza-station", far_second_source)
    code, lines = _validate(data_copy)
    assert code == 1
    assert lines == [
        "data/layers/railway_stations.geojson: darbaza-station: field 'accuracy_m': is 300 m but estimate "
        "(ref-vb-darbaza-station) puts it 6476 m from the geometry; the accuracy must cover the recorded positions"
    ]


def test_validation_wants_a_position_source_among_the_feature_sources(data_copy: Path) -> None:
    def uncited(feature: dict) -> None:
        feature["properties"]["sources"].remove("geonames")

    edit_feature(data_copy, "cities", "almaty", uncited)
    code, lines = _validate(data_copy)
    assert code == 1
    assert lines == [
        "data/layers/cities.geojson: almaty: field 'positions[1].source': 'geonames' is not among the feature's "
        "sources, so its attribution would not reach maps and exports"
    ]


def test_validation_names_an_unknown_position_source(data_copy: Path) -> None:
    def unknown(feature: dict) -> None:
        feature["properties"]["positions"] = [{"lon": 69.08869, "lat": 41.56944, "source": "osm-nope", "ref": "x"}]

    edit_feature(data_copy, "railway_stations", "darbaza-station", unknown)
    code, lines = _validate(data_copy)
    assert code == 1
    assert lines == [
        "data/layers/railway_stations.geojson: darbaza-station: field 'positions[0].source': unknown source id 'osm-nope'"
    ]
