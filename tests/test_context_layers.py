"""The context layers (data/base/context/): read back with their provenance, derived reproducibly,
and the atlas's own lines drawn where the real rivers and railways are.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyogrio
import shapely
from pyproj import Geod, Transformer

from geo.context_layers import CONTEXT_LAYERS, parse_context
from geo.errors import Problem
from tests.conftest import file_digest

ROOT = Path(__file__).resolve().parents[1]
CONTEXT = ROOT / "data" / "base" / "context"
GEOD = Geod(ellps="WGS84")


def test_each_layer_reads_back_with_its_provenance(catalog):
    problems: list[Problem] = []
    context = catalog.context(problems)
    assert problems == []
    provenance = context.provenance
    assert provenance["command"] == "python scripts/derive_context.py"
    entries = {entry["layer"]: entry for entry in provenance["layers"]}
    assert sorted(entries) == sorted(CONTEXT_LAYERS)
    for name in CONTEXT_LAYERS:
        entry = entries[name]
        assert context.layer(name), name
        for key in ("source", "version", "licence", "upstream"):
            assert entry[key], (name, key)
        for item in entry["inputs"]:  # the checksum of each input is the file's as committed
            assert hashlib.sha256((ROOT / item["file"]).read_bytes()).hexdigest() == item["sha256"], item["file"]
        assert hashlib.sha256((CONTEXT / f"{name}.geojson").read_bytes()).hexdigest() == entry["output_sha256"]
        assert entry["features"] == len(context.layer(name))
    assert "public domain" in entries["rivers"]["licence"] and "ODbL" in entries["railways"]["licence"]
    # GDAL reads each layer back with the same features (what a GIS user opens).
    for name in CONTEXT_LAYERS:
        frame = pyogrio.read_dataframe(CONTEXT / f"{name}.geojson")
        assert len(frame) == entries[name]["features"] and frame.crs.to_epsg() == 4326, name
        assert list(frame["id"]) == [f.id for f in context.layer(name)]
    # Names in English and Russian where the source has them; the translations say so.
    syr = next(f for f in context.rivers if f.name == "Syr Darya")
    assert syr.name_ru == "Сырдарья"
    tashkent = next(f for f in context.towns if f.name == "Tashkent")
    assert tashkent.name_ru == "Ташкент" and tashkent.rank == "capital" and tashkent.population
    towns = [t.population or 0 for t in context.towns]
    assert towns == sorted(towns, reverse=True)  # largest first: the order labels are offered in


def test_a_bad_context_feature_is_a_named_problem(tmp_path: Path):
    (tmp_path / "towns.geojson").write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": "x", "kind": "town", "name": "A\nB"}, "geometry": {"type": "Point", "coordinates": [69, 41]}},
        {"type": "Feature", "properties": {"id": "y", "kind": "volcano"}, "geometry": {"type": "Point", "coordinates": [69, 41]}},
    ]}), encoding="utf-8")  # fmt: skip
    problems: list[Problem] = []
    stored = {f"base/context/{p.name}": p.read_bytes() for p in tmp_path.iterdir()}
    context = parse_context(stored, "base/context", lambda name: f"data/{name}", problems)
    assert [(p.record, p.field) for p in problems] == [("x", "name"), ("y", "kind")]
    assert [t.id for t in context.towns] == ["x"] and context.towns[0].name is None


def test_rederiving_gives_the_same_bytes(tmp_path: Path):
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "derive_context.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for name in (*[f"{layer}.geojson" for layer in CONTEXT_LAYERS], "provenance.json"):
        assert file_digest(tmp_path / name) == file_digest(CONTEXT / name), name


def _metres(geometry, lon0: float, lat0: float):
    """A geometry in metres of an azimuthal equidistant projection around lon0/lat0."""
    to_m = Transformer.from_crs("EPSG:4326", f"+proj=aeqd +lon_0={lon0} +lat_0={lat0} +datum=WGS84", always_xy=True)
    return shapely.transform(geometry, lambda xy: np.column_stack(to_m.transform(xy[:, 0], xy[:, 1])))


def test_syr_darya_passes_where_the_darbaza_maktaaral_line_crosses_it(catalog):
    river = next(f for f in catalog.context().rivers if f.id == "river-syr-darya").geometry
    line = catalog.feature("darbaza-maktaaral-railway").geometry
    crossing = line.intersection(river)
    assert not crossing.is_empty, "the line never meets the Syr Darya it crosses on a bridge"
    point = shapely.get_parts(crossing)[0]
    lon, lat = point.x, point.y
    assert 68.3 < lon < 69.1 and 40.8 < lat < 41.6  # between Darbaza and Maktaaral, not at an end
    assert _metres(river, lon, lat).distance(_metres(point, lon, lat)) <= 2000
    assert catalog.countries["KZ"].geometry.contains(point)


def _off_network_m(line, network) -> np.ndarray:
    """Distance in metres from points every ~500 m along `line` to the nearest track of `network`."""
    lon0, lat0 = line.centroid.x, line.centroid.y
    points = shapely.points(shapely.get_coordinates(_metres(shapely.segmentize(line, 0.005), lon0, lat0)))
    net = _metres(network, lon0, lat0)
    shapely.prepare(net)
    return np.asarray(shapely.distance(net, points))


def test_north_south_corridor_lies_on_the_railway_network(catalog):
    corridor = catalog.feature("north-south-corridor")
    network = shapely.union_all([f.geometry for f in catalog.context().railways])
    off = _off_network_m(corridor.geometry, network)
    assert len(off) > 1000  # about 940 km, sampled every 500 m
    # Only the first 2 km, from the Uzen point to the track, is off it (geometry_source says so).
    assert np.percentile(off, 99.5) <= corridor.properties.accuracy_m, np.percentile(off, 99.5)
    assert off.max() <= 2500
    assert "OpenStreetMap" in (corridor.properties.geometry_source or "")
    # It no longer crosses the Kara-Bogaz-Gol: it stays in the countries it names.
    named = shapely.union_all([catalog.countries[c].geometry for c in corridor.properties.country])
    assert named.buffer(0.02).contains(corridor.geometry)


def test_china_kazakhstan_uzbekistan_route_lies_on_the_network_where_it_is_mapped(catalog):
    corridor = catalog.feature("china-kazakhstan-uzbekistan-route")
    routes = {f.id: f.geometry for f in catalog.context().railways if f.id.startswith("osm-route-")}
    # The network of Kazakhstan is the four route polylines only (provenance "coverage"). The
    # corridor runs along three of them end to end; the fourth (ALA-TAR) is left where it makes an
    # out-and-back detour to Kayratkol (data/base/osm/provenance.json, "dropped").
    for route_id in ("osm-route-akg-dos", "osm-route-ala-alt", "osm-route-ary-sar"):
        off = _off_network_m(routes[route_id], corridor.geometry)
        assert off.max() <= corridor.properties.accuracy_m, (route_id, off.max())
    off = _off_network_m(routes["osm-route-ala-tar"], corridor.geometry)
    assert (off <= corridor.properties.accuracy_m).mean() >= 0.6
