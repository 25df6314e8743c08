"""Derive the context layers drawn under the atlas: rivers, the railway network and towns.

Inputs (committed extracts, so that a derivation needs no network), in data/base/context/:
  ne-rivers-extract.json     Natural Earth 1:10m rivers and lake centre lines   (public domain)
  ne-places-extract.json     Natural Earth 1:10m populated places               (public domain)
  osm-railways-extract.json  OpenStreetMap railway ways                         (© OSM contributors, ODbL)

Writes, into data/base/context/:
  rivers.geojson, railways.geojson, towns.geojson   clipped to CONTEXT_BOUNDS, simplified, rounded
  provenance.json                                   source, version, licence, input checksums, command

    python scripts/derive_context.py                   # derive (needs only shapely and pyproj)
    python scripts/derive_context.py --out DIR         # write the layers into DIR instead

Refresh the extracts from the upstream files (Natural Earth as GeoJSON in
martynafford/natural-earth-geojson, 10m/physical and 10m/cultural, unpacked from their .7z; the
OpenStreetMap ways in njfinney/Asia_Railway_Calculator, data/railways/<country>.json) with:
    python scripts/derive_context.py extract --ne-commit SHA --osm-commit SHA \\
        ne_10m_rivers_lake_centerlines.json ne_10m_populated_places.json turkmenistan.json afghanistan.json

Why these sources: Natural Earth 1:10m is the only source at hand with the region's rivers and
towns, names in English and Russian and a population to rank towns by; at 1:10m its lines are
good to about a kilometre, enough under a map of the region. Railways: OpenStreetMap maps each
track as surveyed, where a 1:10m dataset is generalised for a world map, so the network comes
from OpenStreetMap (and Natural Earth's railroads are not in any copy at hand: the file is over
the size a copy may have). The OpenStreetMap ways come from the extracts named above and the
route polylines already cited in data/base/osm/. The ways of Kazakhstan and Uzbekistan are not
in any copy at hand either (their upstream files are too large), so the network there is the
four route polylines and nothing else; provenance.json says so under "coverage".
"""

from __future__ import annotations

import argparse
import hashlib
import heapq
import itertools
import json
import math
import sys
from collections import defaultdict
from pathlib import Path

import numpy as np
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, box, mapping, shape

sys.path.insert(0, str(Path(__file__).resolve().parent))
from derive_base import write_json_atomic, write_layer

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
CONTEXT = DATA / "base" / "context"
RIVERS_EXTRACT = CONTEXT / "ne-rivers-extract.json"
PLACES_EXTRACT = CONTEXT / "ne-places-extract.json"
RAILWAYS_EXTRACT = CONTEXT / "osm-railways-extract.json"
ROUTES_FILE = DATA / "base" / "osm" / "allur-kz-routes-extract.json"
STATIONS_FILE = DATA / "base" / "osm" / "stations-extract.json"
GEOD = Geod(ellps="WGS84")
COMMAND = "python scripts/derive_context.py"

# west, south, east, north: the Caspian to Dostyk, Iran's Golestan to Astana. Smaller than the
# atlas's region_bounds (the Volga, Indus and Ob would add weight to every map and say nothing here).
CONTEXT_BOUNDS = (46.0, 35.0, 88.0, 56.0)
# About 500 m: under the width of a river line at the maps' closest zoom (8), and well under
# Natural Earth's own kilometre. Railways keep more (about 200 m): they are what the atlas's
# corridor lines are checked against.
RIVER_TOLERANCE_DEG = 0.005
RAILWAY_TOLERANCE_DEG = 0.002
COORDINATE_DECIMALS = 3  # about 100 m
# Towns: every capital, and the others from this population up (Natural Earth POP_MAX).
TOWN_MIN_POPULATION = 20000
# Railway parts shorter than this after merging, with a loose end, are sidings, not the network.
MIN_RAILWAY_PART_KM = 3.0

NE_VERSION = "4.0.0"
NE_LICENCE = "Natural Earth: public domain (naturalearthdata.com/about/terms-of-use)"
OSM_LICENCE = "© OpenStreetMap contributors, ODbL 1.0 (openstreetmap.org/copyright)"
NE_RIVERS_SOURCE = "natural-earth-10m-rivers"
NE_PLACES_SOURCE = "natural-earth-10m-populated-places"
OSM_WAYS_SOURCE = "osm-asia-railway-ways"
OSM_ROUTES_SOURCE = "osm-allur-kz-routes"

# The populated-places columns kept in the extract (the others are statistics the atlas never shows).
PLACE_COLUMNS = [
    "NAME", "NAME_EN", "NAME_RU", "NAMEASCII", "ADM0_A3", "ADM0NAME", "FEATURECLA", "POP_MAX",
    "SCALERANK", "LABELRANK", "LATITUDE", "LONGITUDE", "GEONAMEID", "wikidataid", "min_zoom",
]  # fmt: skip
# OpenStreetMap railway=* values kept: the network in use and the lines being built.
RAILWAY_KINDS = {"rail": "railway", "narrow_gauge": "railway", "construction": "railway_construction"}

# Natural Earth 4.0 gives rivers no Russian name. These are the atlas's own translations of the
# English names (the usual Russian forms), marked as such in each feature (name_ru_source).
RIVER_NAMES_RU = {
    "Amu Darya": "Амударья", "Syr Darya": "Сырдарья", "Naryn": "Нарын", "Irtysh": "Иртыш",
    "Ertis": "Иртыш", "Ural": "Урал", "Tobol": "Тобол", "Esil": "Ишим", "Ishim": "Ишим", "Ile": "Или",
    "Zarafshon": "Зеравшан", "Panj": "Пяндж", "Pamir": "Памир", "Atrak": "Атрек", "Atrek": "Атрек",
    "Volga": "Волга", "Ob": "Обь", "Kama": "Кама", "Biya": "Бия", "Katun": "Катунь", "Tarim": "Тарим",
    "Yarkant": "Яркенд", "Kura": "Кура", "Aras": "Аракс", "Harirud": "Герируд", "Aksu": "Аксу",
    "Belaya": "Белая", "Vyatka": "Вятка", "Tom’": "Томь", "Sura": "Сура",
    "Chulyshman": "Чулышман", "Kondoma": "Кондома", "Konqi": "Кончедарья", "Toxkan": "Таушкандарья",
    "Yurungkax": "Юрункаш", "Qarqan": "Черчен", "Indus": "Инд", "Künes": "Кунес", "Qezel Owzan": "Кызылузен", "Sefid": "Сефидруд",
}  # fmt: skip
ATLAS_TRANSLATION = "atlas translation of the English name"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def clean(name: object) -> str | None:
    """A name with Natural Earth's doubled spaces ("Syr  Darya") made single; None for none."""
    if not isinstance(name, str) or not name.strip():
        return None
    return " ".join(name.split())


def without_qualifier(name: str | None) -> str | None:
    """A Russian name without Wikidata's disambiguating tail ("Ангрен (город)" -> "Ангрен")."""
    if name and name.endswith(")") and " (" in name:
        return name[: name.rindex(" (")]
    return name


def rounded(geometry):
    return shapely.set_precision(geometry, 10**-COORDINATE_DECIMALS)


def length_km(geometry) -> float:
    return GEOD.geometry_length(geometry) / 1000


def lengths_km(lines: list[LineString]) -> np.ndarray:
    """The geodesic length of each line, in one vectorised call."""
    if not lines:
        return np.zeros(0)
    coords, index = shapely.get_coordinates(lines, return_index=True)
    same = index[1:] == index[:-1]
    _, _, step = GEOD.inv(coords[:-1, 0][same], coords[:-1, 1][same], coords[1:, 0][same], coords[1:, 1][same])
    return np.bincount(index[1:][same], weights=step, minlength=len(lines)) / 1000


def lines_of(geometry) -> list[LineString]:
    parts = getattr(geometry, "geoms", [geometry])
    return [part for part in parts if part.geom_type == "LineString" and not part.is_empty]


# ---------------------------------------------------------------------------------------------
# Rivers


def derive_rivers(extract: dict) -> list[dict]:
    """One feature per river (or lake centre line) and name: its Natural Earth parts merged."""
    region = box(*CONTEXT_BOUNDS)
    groups: dict[tuple[str, str], list] = defaultdict(list)
    ranks: dict[tuple[str, str], dict] = {}
    for record in extract["features"]:
        props = record["properties"]
        name = clean(props.get("name_en")) or clean(props.get("name"))
        if name is None:
            continue
        kind = "lake_centerline" if props["featurecla"] == "Lake Centerline" else "river"
        key = (kind, name)
        groups[key].append(shape(record["geometry"]))
        rank = ranks.setdefault(
            key,
            {
                "scalerank": props["scalerank"],
                "min_zoom": props["min_zoom"],
                "min_label": props["min_label"],
                "ne_names": set(),
            },
        )
        rank["scalerank"] = min(rank["scalerank"], props["scalerank"])
        rank["min_zoom"] = min(rank["min_zoom"], props["min_zoom"])
        rank["min_label"] = min(rank["min_label"], props["min_label"])
        rank["ne_names"].add(clean(props.get("name")))
    features = []
    for (kind, name), parts in sorted(groups.items(), key=lambda item: (ranks[item[0]]["scalerank"], item[0])):
        merged = shapely.line_merge(shapely.union_all(parts).intersection(region))
        simple = rounded(shapely.simplify(merged, RIVER_TOLERANCE_DEG, preserve_topology=True))
        lines = [line for line in lines_of(simple) if len(line.coords) >= 2]
        if not lines:
            continue
        rank = ranks[(kind, name)]
        local = sorted(n for n in rank["ne_names"] if n and n != name)
        name_ru = RIVER_NAMES_RU.get(name)
        features.append({
            "type": "Feature",
            "properties": {
                "id": f"{kind.replace('_', '-')}-{slug(name)}",
                "kind": kind,
                "name": name,
                "name_ru": name_ru,
                "name_ru_source": ATLAS_TRANSLATION if name_ru else None,
                "name_local": local[0] if local else None,
                "scalerank": rank["scalerank"],
                "min_zoom": rank["min_zoom"],
                "label_min_zoom": rank["min_label"],
                "source": NE_RIVERS_SOURCE,
            },
            "geometry": mapping(MultiLineString(lines)),
        })  # fmt: skip
    return dedupe_ids(features)


def slug(name: str) -> str:
    out = "".join(ch.lower() if ch.isalnum() else "-" for ch in name)
    return "-".join(part for part in out.split("-") if part)


def dedupe_ids(features: list[dict]) -> list[dict]:
    seen: dict[str, int] = {}
    for feature in features:
        fid = feature["properties"]["id"]
        seen[fid] = seen.get(fid, 0) + 1
        if seen[fid] > 1:
            feature["properties"]["id"] = f"{fid}-{seen[fid]}"
    return features


# ---------------------------------------------------------------------------------------------
# Railways


def railway_ways(extract: dict) -> dict[str, list[LineString]]:
    """The extract's ways by context kind, as lon/lat lines (the upstream stores [lat, lon])."""
    out: dict[str, list[LineString]] = defaultdict(list)
    for way in extract["ways"]:
        kind = RAILWAY_KINDS.get(way["type"])
        if kind and len(way["geometry"]) >= 2:
            out[kind].append(LineString([(lon, lat) for lat, lon in way["geometry"]]))
    return out


def network_lines(extract: dict) -> tuple[dict[str, list[LineString]], Network, list[tuple[float, float]]]:
    """The extract's ways by kind: the lines between junctions at least MIN_RAILWAY_PART_KM long,
    joined through stations by the shortest track between them (yards and sidings left out), and
    the North–South corridor's track; with the whole railway graph and the vertices of its long
    lines (where a route may start or stop)."""
    region = box(*CONTEXT_BOUNDS)
    out = {}
    full: Network | None = None
    main_vertices: list[tuple[float, float]] = []
    for kind, lines in sorted(railway_ways(extract).items()):
        clipped = lines_of(shapely.union_all(lines).intersection(region))
        parts = lines_of(shapely.line_merge(shapely.union_all(clipped)))
        long = [line for line, km in zip(parts, lengths_km(parts)) if km >= MIN_RAILWAY_PART_KM]
        network = Network(clipped)
        extra = connectors(network, long)
        if kind == "railway":
            full = network
            main_vertices = sorted({tuple(c) for line in long for c in line.coords if tuple(c) in network.edges})
            extra.append(LineString(north_south_track(network, main_vertices)[0]))
        out[kind] = lines_of(shapely.line_merge(shapely.union_all(long + extra)))
    assert full is not None, "the extract has no railway=rail way"
    return out, full, main_vertices


def connectors(network: Network, long: list[LineString]) -> list[LineString]:
    """From each loose end of a long line, the shortest track (within MIN_RAILWAY_PART_KM) to another long line."""
    owner: dict[tuple[float, float], int] = {}
    for index, line in enumerate(long):
        for coord in line.coords:
            owner.setdefault(tuple(coord), index)
    degree: dict[tuple[float, float], int] = defaultdict(int)
    for line in long:
        degree[tuple(line.coords[0])] += 1
        degree[tuple(line.coords[-1])] += 1
    out = []
    for end in sorted(e for e, d in degree.items() if d == 1 and e in network.edges):
        path = network.nearest_other(end, owner, MIN_RAILWAY_PART_KM * 1000)
        if path:
            out.append(LineString(path))
    return out


def derive_railways(extract: dict, routes: dict, network: dict[str, list[LineString]]) -> list[dict]:
    """The OpenStreetMap network: the extract's ways (merged, yards dropped) and the route polylines."""
    region = box(*CONTEXT_BOUNDS)
    features = []
    ways = railway_ways(extract)
    for kind, kept in network.items():
        simple = rounded(shapely.simplify(MultiLineString(kept), RAILWAY_TOLERANCE_DEG, preserve_topology=True))
        features.append({
            "type": "Feature",
            "properties": {
                "id": f"osm-{kind.replace('_', '-')}-ways",
                "kind": kind,
                "name": "Railways (OpenStreetMap)" if kind == "railway" else "Railways under construction (OpenStreetMap)",
                "name_ru": "Железные дороги (OpenStreetMap)" if kind == "railway" else "Строящиеся железные дороги (OpenStreetMap)",
                "name_ru_source": ATLAS_TRANSLATION,
                "name_local": None,
                "ways": len(ways[kind]),
                "source": OSM_WAYS_SOURCE,
            },
            "geometry": mapping(MultiLineString(lines_of(simple))),
        })  # fmt: skip
    for route in routes["routes"]:
        line = LineString([(lon, lat) for lat, lon, _ in route["points"]]).intersection(region)
        simple = rounded(shapely.simplify(line, RAILWAY_TOLERANCE_DEG))
        features.append({
            "type": "Feature",
            "properties": {
                "id": f"osm-route-{route['id'].lower()}",
                "kind": "railway",
                "name": None,
                "name_ru": clean(route["name"]),
                "name_ru_source": None,
                "name_local": None,
                "ways": None,
                "source": OSM_ROUTES_SOURCE,
            },
            "geometry": mapping(MultiLineString(lines_of(simple))),
        })  # fmt: skip
    return features


# ---------------------------------------------------------------------------------------------
# Towns


def derive_towns(extract: dict) -> list[dict]:
    """Capitals and towns from TOWN_MIN_POPULATION up, largest first; positions rounded to ~100 m."""
    west, south, east, north = CONTEXT_BOUNDS
    towns = []
    for record in extract["features"]:
        p = record["properties"]
        capital = "capital" in (p["FEATURECLA"] or "").lower()
        if not (west <= p["LONGITUDE"] <= east and south <= p["LATITUDE"] <= north):
            continue
        if p["POP_MAX"] < TOWN_MIN_POPULATION and not capital:
            continue
        name = clean(p["NAME_EN"]) or clean(p["NAME"])
        local = clean(p["NAME"])
        rank = "capital" if p["FEATURECLA"] == "Admin-0 capital" else "regional_capital" if capital else "town"
        towns.append({
            "type": "Feature",
            "properties": {
                "id": f"ne-place-{p['wikidataid'] or slug(name or '')}",
                "kind": "town",
                "rank": rank,
                "name": name,
                "name_ru": without_qualifier(clean(p["NAME_RU"])),
                "name_ru_source": None,
                "name_local": local if local != name else None,
                "country": p["ADM0_A3"],
                "population": int(p["POP_MAX"]),
                "min_zoom": p["min_zoom"],
                "source": NE_PLACES_SOURCE,
            },
            "geometry": {"type": "Point", "coordinates": [round(p["LONGITUDE"], COORDINATE_DECIMALS), round(p["LATITUDE"], COORDINATE_DECIMALS)]},
        })  # fmt: skip
    towns.sort(key=lambda f: (-f["properties"]["population"], f["properties"]["id"]))
    return dedupe_ids(towns)


# ---------------------------------------------------------------------------------------------
# Routing along the network (for the atlas's own corridor lines)


def nearest_vertex(vertices: list[tuple[float, float]], lon: float, lat: float) -> tuple[tuple[float, float], float]:
    """The vertex nearest lon/lat (degrees, longitude scaled for the region) and its distance in metres."""
    xy = np.asarray(vertices)
    best = vertices[int(np.argmin((xy[:, 0] - lon) ** 2 + ((xy[:, 1] - lat) * 1.3) ** 2))]
    return best, GEOD.inv(lon, lat, best[0], best[1])[2]


class Network:
    """The OpenStreetMap ways as a graph of their vertices; shortest paths by geodesic length."""

    def __init__(self, lines: list[LineString]):
        self.edges: dict[tuple[float, float], list[tuple[tuple[float, float], float]]] = defaultdict(list)
        if not lines:
            self.vertices: list[tuple[float, float]] = []
            return
        coords, index = shapely.get_coordinates(lines, return_index=True)
        same = (index[1:] == index[:-1]) & np.any(coords[1:] != coords[:-1], axis=1)
        a, b = coords[:-1][same], coords[1:][same]
        _, _, steps = GEOD.inv(a[:, 0], a[:, 1], b[:, 0], b[:, 1])
        for (ax, ay), (bx, by), d in zip(a.tolist(), b.tolist(), steps.tolist()):
            self.edges[(ax, ay)].append(((bx, by), d))
            self.edges[(bx, by)].append(((ax, ay), d))
        self.vertices = list(self.edges)

    def nearest(self, lon: float, lat: float) -> tuple[tuple[float, float], float]:
        return nearest_vertex(self.vertices, lon, lat)

    def nearest_other(
        self, start: tuple[float, float], owner: dict[tuple[float, float], int], limit_m: float
    ) -> list[tuple[float, float]] | None:
        """The shortest path from `start` to a vertex of another line than start's own (`owner`), within limit_m."""
        mine = owner.get(start)
        dist = {start: 0.0}
        prev: dict[tuple[float, float], tuple[float, float]] = {}
        queue = [(0.0, start)]
        while queue:
            d, v = heapq.heappop(queue)
            if d > dist[v]:
                continue
            if v != start and owner.get(v, mine) != mine:
                out = [v]
                while out[-1] != start:
                    out.append(prev[out[-1]])
                return out[::-1]
            for w, step in self.edges[v]:
                nd = d + step
                if nd <= limit_m and nd < dist.get(w, math.inf) and (w not in owner or owner[w] != mine or w == start):
                    dist[w], prev[w] = nd, v
                    heapq.heappush(queue, (nd, w))
        return None

    def path(self, start: tuple[float, float], end: tuple[float, float]) -> list[tuple[float, float]]:
        dist = {start: 0.0}
        prev: dict[tuple[float, float], tuple[float, float]] = {}
        queue = [(0.0, start)]
        while queue:
            d, v = heapq.heappop(queue)
            if v == end:
                break
            if d > dist[v]:
                continue
            for w, step in self.edges[v]:
                nd = d + step
                if nd < dist.get(w, math.inf):
                    dist[w], prev[w] = nd, v
                    heapq.heappush(queue, (nd, w))
        if end not in dist:
            raise SystemExit(f"no railway path from {start} to {end} in {RAILWAYS_EXTRACT.name}")
        out = [end]
        while out[-1] != start:
            out.append(prev[out[-1]])
        return out[::-1]


# The eastern route of the North–South corridor: Uzen (Zhanaozen) – Serhetyaka (the
# Kazakhstan–Turkmenistan border) – Bereket – Etrek – Incheh Borun (the Iranian border) – Gorgan.
# Uzen is north of the extract (its box ends at 42.8°N): that part is a straight segment.
UZEN = (52.85528, 43.33778)  # the corridor's own start point (ref-wikipedia-zhanaozen)
NORTH_SOUTH_STATIONS = {  # OpenStreetMap station nodes (njfinney/Asia_Railway_Calculator data/stations)
    "Serhetýaka": (2398686424, 53.65532, 42.27636),
    "Bereket": (2699667319, 55.52141, 39.2454),
    "Etrek": (3415481009, 54.74089, 37.7052),
    "Incheh Borun": (4025966922, 54.61438, 37.42981),
    "Gorgan": (11021092777, 54.42035, 36.85549),
}


def north_south_track(
    network: Network, main_vertices: list[tuple[float, float]]
) -> tuple[list[tuple[float, float]], dict]:
    """The track from the vertex nearest Uzen through each station (snapped to a main line, not a siding)."""
    entry, _ = nearest_vertex(main_vertices, *UZEN)
    stops = [entry] + [nearest_vertex(main_vertices, lon, lat)[0] for _, lon, lat in NORTH_SOUTH_STATIONS.values()]
    offsets = {
        name: round(nearest_vertex(main_vertices, lon, lat)[1]) for name, (_, lon, lat) in NORTH_SOUTH_STATIONS.items()
    }
    coords: list[tuple[float, float]] = [entry]
    for a, b in itertools.pairwise(stops):
        coords += network.path(a, b)[1:]
    return coords, {
        "entry_from_uzen_km": round(GEOD.inv(*UZEN, *entry)[2] / 1000, 1),
        "station_distance_to_track_m": offsets,
    }


def north_south_route(network: Network, main_vertices: list[tuple[float, float]]) -> tuple[MultiLineString, dict]:
    """The corridor along the OpenStreetMap track, with what was routed and how far each stop lies from it."""
    track, report = north_south_track(network, main_vertices)
    line = rounded(shapely.simplify(LineString([UZEN, *track]), RAILWAY_TOLERANCE_DEG))
    return MultiLineString(lines_of(line)), {**report, "length_km": round(length_km(line), 1)}


# ---------------------------------------------------------------------------------------------


def feature_collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def derive(out: Path, corridors: bool) -> None:
    rivers_in = json.loads(RIVERS_EXTRACT.read_text(encoding="utf-8"))
    places_in = json.loads(PLACES_EXTRACT.read_text(encoding="utf-8"))
    railways_in = json.loads(RAILWAYS_EXTRACT.read_text(encoding="utf-8"))
    routes_in = json.loads(ROUTES_FILE.read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)
    display, network, main_vertices = network_lines(railways_in)
    layers = {
        "rivers": (derive_rivers(rivers_in), [RIVERS_EXTRACT], rivers_in, NE_LICENCE),
        "railways": (
            derive_railways(railways_in, routes_in, display),
            [RAILWAYS_EXTRACT, ROUTES_FILE],
            railways_in,
            OSM_LICENCE,
        ),
        "towns": (derive_towns(places_in), [PLACES_EXTRACT], places_in, NE_LICENCE),
    }
    derived = []
    for name, (features, inputs, extract, licence) in layers.items():
        path = out / f"{name}.geojson"
        write_layer(path, feature_collection(features))
        derived.append({
            "layer": name,
            "output": f"data/base/context/{name}.geojson",
            "source": extract["source"],
            "version": extract["version"],
            "licence": licence,
            "inputs": [{"file": p.relative_to(ROOT).as_posix(), "sha256": sha256(p)} for p in inputs],
            "upstream": extract["upstream"],
            "features": len(features),
            "output_sha256": sha256(path),
        })  # fmt: skip
    provenance = {
        "command": COMMAND,
        "shapely": shapely.__version__,
        "bounds_lon_lat": list(CONTEXT_BOUNDS),
        "river_tolerance_deg": RIVER_TOLERANCE_DEG,
        "railway_tolerance_deg": RAILWAY_TOLERANCE_DEG,
        "coordinate_decimals": COORDINATE_DECIMALS,
        "town_min_population": TOWN_MIN_POPULATION,
        "min_railway_part_km": MIN_RAILWAY_PART_KM,
        "railway_kinds": RAILWAY_KINDS,
        "river_names_ru": "Natural Earth 4.0 has no Russian river names; name_ru is the atlas's translation where name_ru_source says so",
        "town_names_ru": "NAME_RU as given, less a disambiguating tail in parentheses (\"Ангрен (город)\" -> \"Ангрен\")",
        "coverage": "OpenStreetMap ways cover the box of the upstream files for Turkmenistan (35.14–42.8°N, 52.5–66.68°E) and Afghanistan (29.38–38.49°N, 60.5–74.89°E), neighbours included; elsewhere (most of Kazakhstan, eastern Uzbekistan, Kyrgyzstan) the network drawn is the four route polylines of data/base/osm/allur-kz-routes-extract.json only",
        "layers": derived,
    }  # fmt: skip
    geometry, report = north_south_route(network, main_vertices)
    provenance["corridors"] = {
        "north-south-corridor": {"stations": NORTH_SOUTH_STATIONS, "start": list(UZEN), **report}
    }
    if corridors:  # the atlas's own line, only when deriving into data/ itself
        layer = DATA / "layers" / "corridors.geojson"
        document = json.loads(layer.read_text(encoding="utf-8"))
        for feature in document["features"]:
            if feature["properties"]["id"] == "north-south-corridor":
                feature["geometry"] = mapping(geometry)
        write_layer(layer, document)
        print(f"wrote {layer.relative_to(ROOT)} (north-south-corridor: {report})")
    write_json_atomic(out / "provenance.json", provenance)
    for entry in derived:
        print(f"wrote {entry['output']} ({entry['features']} features)")


# ---------------------------------------------------------------------------------------------
# Extract: the upstream files -> the committed extracts


def extract(ne_commit: str, osm_commit: str, files: list[Path]) -> None:
    by_name = {path.name: path for path in files}
    region = box(*CONTEXT_BOUNDS)
    rivers = by_name["ne_10m_rivers_lake_centerlines.json"]
    document = json.loads(rivers.read_text(encoding="utf-8"))
    kept = []
    for record in document["features"]:
        if record["geometry"] and shape(record["geometry"]).intersects(region):
            kept.append({"type": "Feature", "properties": record["properties"], "geometry": record["geometry"]})
    write_json_atomic(RIVERS_EXTRACT, {
        "source": NE_RIVERS_SOURCE, "version": f"Natural Earth {NE_VERSION} (1:10m)",
        "upstream": {"repository": "martynafford/natural-earth-geojson", "commit": ne_commit,
                     "path": "10m/physical/ne_10m_rivers_lake_centerlines.7z", "sha256_of_json": sha256(rivers)},
        "note": "Features that meet CONTEXT_BOUNDS, copied field for field (properties and geometry).",
        "features": kept,
    })  # fmt: skip
    places = by_name["ne_10m_populated_places.json"]
    document = json.loads(places.read_text(encoding="utf-8"))
    west, south, east, north = CONTEXT_BOUNDS
    kept = []
    for record in document["features"]:
        p = record["properties"]
        if west <= p["LONGITUDE"] <= east and south <= p["LATITUDE"] <= north:
            kept.append(
                {"type": "Feature", "properties": {k: p.get(k) for k in PLACE_COLUMNS}, "geometry": record["geometry"]}
            )
    write_json_atomic(PLACES_EXTRACT, {
        "source": NE_PLACES_SOURCE, "version": f"Natural Earth {NE_VERSION} (1:10m)",
        "upstream": {"repository": "martynafford/natural-earth-geojson", "commit": ne_commit,
                     "path": "10m/cultural/ne_10m_populated_places.7z", "sha256_of_json": sha256(places)},
        "note": f"Places inside CONTEXT_BOUNDS; columns kept: {', '.join(PLACE_COLUMNS)}.",
        "features": kept,
    })  # fmt: skip
    ways: dict[int, dict] = {}
    upstream = []
    for name in ("turkmenistan.json", "afghanistan.json"):
        path = by_name[name]
        for way in json.loads(path.read_text(encoding="utf-8")):
            if way["type"] not in RAILWAY_KINDS or way["id"] in ways:
                continue
            line = LineString([(lon, lat) for lat, lon in way["geometry"]]) if len(way["geometry"]) >= 2 else None
            if line is not None and line.intersects(region):
                ways[way["id"]] = way
        upstream.append({"path": f"data/railways/{name}", "sha256": sha256(path)})
    write_json_atomic(RAILWAYS_EXTRACT, {
        "source": OSM_WAYS_SOURCE, "version": f"njfinney/Asia_Railway_Calculator at {osm_commit} (OpenStreetMap extracted 2026-04-01)",
        "upstream": {"repository": "njfinney/Asia_Railway_Calculator", "commit": osm_commit, "files": upstream},
        "licence": OSM_LICENCE,
        "note": f"Ways of railway={'/'.join(RAILWAY_KINDS)} that meet CONTEXT_BOUNDS, copied field for field (id, type, geometry as [lat, lon]).",
        "ways": [ways[i] for i in sorted(ways)],
    })  # fmt: skip
    for path in (RIVERS_EXTRACT, PLACES_EXTRACT, RAILWAYS_EXTRACT):
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size} bytes)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    ext = sub.add_parser("extract", help="refresh the extracts from the upstream files")
    ext.add_argument("--ne-commit", required=True)
    ext.add_argument("--osm-commit", required=True)
    ext.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, default=CONTEXT, help="where the layers go (default data/base/context)")
    parser.add_argument("--no-corridors", action="store_true", help="leave data/layers/corridors.geojson alone")
    args = parser.parse_args()
    if args.command == "extract":
        extract(args.ne_commit, args.osm_commit, args.files)
    else:
        derive(args.out, corridors=not args.no_corridors and args.out == CONTEXT)


if __name__ == "__main__":
    main()
