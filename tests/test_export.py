"""`geo export` as a library: every format read back and compared with the catalog, provenance,
the manifest, determinism, and the rules about where it may write.

Expected values are built here from the catalog's own API (FeatureProperties, events_of,
figures_of, sources_of), not from geo.export's flattening, so a flattening bug shows up.
"""

from __future__ import annotations

import dataclasses
import hashlib
import html
import io
import json
import math
import os
import re
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import geopandas
import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pyogrio
import pytest
import shapely
import yaml

import geo
from geo.catalog import Catalog, Layer, load_catalog
from geo.errors import UsageError
from geo.export import FIELDS, FORMATS, ExportUsageError, export_catalog
from geo.export.formats.base import Format, Job
from geo.export.formats.shapefile import SHORT_NAMES
from geo.layer_file import Feature
from geo.models import FeatureKind, LayerSpec
from tests.conftest import DATA, file_digest

LAYERS = {spec["id"]: spec for spec in yaml.safe_load((DATA / "layers.yaml").read_text(encoding="utf-8"))}
LAYER_IDS = list(LAYERS)
ALL_FORMATS = ["gpkg", "geojson", "fgb", "parquet", "shp", "kml", "kmz", "csv"]
FIELD_TYPES = {field.name: field.type for field in FIELDS}
TOLERANCE = 1e-6  # the export writes 6 decimals
HOSTILE = """<script>alert(1)</script> & "double" 'single' </name>]]>"""
KML_NS = {"k": "http://www.opengis.net/kml/2.2"}


def _join(items: list[str]) -> str | None:
    return "; ".join(items) or None


def expected_rows(catalog: Catalog, layer_id: str) -> list[dict[str, Any]]:
    """What every format must hold for a layer, from the catalog directly."""
    from geo.status_age import last_day, reference_date
    from geo.texts import localized

    reference = last_day(reference_date(catalog) or "9999")
    rows = []
    for feature in catalog.layers[layer_id].features:
        p = feature.properties
        rows.append(
            {
                "id": p.id,
                "layer": layer_id,
                "name": p.name,
                "name_ru": p.name_ru,
                "name_local": p.name_local,
                "local_lang": p.local_lang,
                "kind": p.kind.value,
                "country": _join(p.country),
                "status": p.status.value if p.status else None,
                "status_as_of": p.status_as_of,
                "status_sources": _join(p.status_sources),
                # Over a year (365 days) old at the data date, for a status that can go stale.
                "status_stale": bool(
                    p.status in ("proposed", "agreed", "under_construction", "unknown")
                    and p.status_as_of
                    and (reference - last_day(p.status_as_of)).days > 365
                ),
                "schematic": p.schematic,
                "accuracy_m": p.accuracy_m,
                "geometry_source": p.geometry_source,
                "geometry_source_ru": localized(catalog, "ru", "features", p.id, "geometry_source", p.geometry_source),
                "note": p.note,
                "note_ru": localized(catalog, "ru", "features", p.id, "note", p.note) if p.note else None,
                "sources": _join(p.sources),
                "projects": _join(p.projects),
                "project_names": _join([catalog.projects[i].name for i in p.projects]),
                "project_names_ru": _join(
                    [localized(catalog, "ru", "projects", i, "name", catalog.projects[i].name) for i in p.projects]
                ),
                "events": _join([event.id for event in catalog.events_of(feature)]),
                "figures": _join([figure.id for figure in catalog.figures_of(feature)]),
                "all_sources": _join([source.id for source in catalog.sources_of(feature)]),
                "geometry": feature.geometry,
            }
        )
    return rows


def _normalise(value: Any, kind: str) -> Any:
    """Read-back values as Python scalars; '' and NaN are null (Shapefile and CSV cannot tell them apart)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if kind == "bool":
        if isinstance(value, str):
            return {"true": True, "false": False, "1": True, "0": False}[value.lower()]
        return bool(value)
    if kind == "float":
        return float(value)
    return None if value == "" else str(value)


def read_back(out: Path, fmt: str, layer_id: str) -> tuple[geopandas.GeoDataFrame, str | None]:
    """The exported layer as a frame with the flat column names, and the CRS its file declares."""
    title = LAYERS[layer_id]["title"] if fmt in ("kml", "kmz") else None
    if fmt == "parquet":
        frame = geopandas.read_parquet(out / "parquet" / f"{layer_id}.parquet")
        return frame, f"EPSG:{frame.crs.to_epsg()}" if frame.crs else None
    source = {
        "gpkg": (out / "atlas.gpkg", layer_id),
        "geojson": (out / "geojson" / f"{layer_id}.geojson", None),
        "fgb": (out / "fgb" / f"{layer_id}.fgb", None),
        "shp": (f"/vsizip/{out / 'shp' / f'{layer_id}.shp.zip'}/{layer_id}.shp", None),
        "kml": (out / "atlas.kml", title),
        "kmz": (out / "atlas.kmz", title),
        "csv": (out / "csv" / f"{layer_id}.csv", None),
    }[fmt]
    path, layer = source
    # GDAL's GeoJSON reader would turn a column of full ISO dates (status_as_of) into a date type;
    # the file holds text, and partial dates ("2024-08") stay text, so read it as written.
    options = {"DATE_AS_STRING": "YES"} if fmt == "geojson" else {}
    frame = pyogrio.read_dataframe(path, layer=layer, **options)
    crs = pyogrio.read_info(path, layer=layer)["crs"]
    if fmt == "shp":
        frame = frame.rename(columns={short: long for long, short in SHORT_NAMES.items()})
    if fmt in ("kml", "kmz"):
        # GDAL's LIBKML driver names the Placemark's own id and <name> "id"/"Name" and so
        # renames the data columns id/name; the data columns are what the export wrote.
        assert (frame["Name"] == frame["name2"]).all()
        frame = frame.drop(columns=["id", "Name"]).rename(columns={"id2": "id", "name2": "name"})
    return frame, crs


@pytest.fixture(scope="module")
def exported(catalog, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("export")
    report = export_catalog(catalog, out, formats=None, layers=None, bbox=None, progress=lambda line: None)
    assert report.failures == []
    return out


def _manifest(out: Path) -> dict[str, Any]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))


def _checksums(out: Path) -> dict[str, str]:
    return {entry["path"]: entry["sha256"] for entry in _manifest(out)["files"]}


def _leftovers(out: Path) -> list[str]:
    return [p.relative_to(out).as_posix() for p in out.rglob("*") if ".geo-export-" in p.name]


# -- every format, every layer, read back --------------------------------------------------------


@pytest.mark.parametrize("layer_id", LAYER_IDS)
@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_format_reads_back_as_the_catalog(exported, catalog, fmt, layer_id):
    frame, crs = read_back(exported, fmt, layer_id)
    expected = expected_rows(catalog, layer_id)

    assert len(frame) == len(expected)
    if fmt == "fgb":
        # FlatGeobuf's spatial index stores features in Hilbert-curve order; the ids must all be there.
        assert sorted(frame["id"]) == sorted(row["id"] for row in expected)
        frame = frame.set_index("id", drop=False).loc[[row["id"] for row in expected]]
    assert frame["id"].tolist() == [row["id"] for row in expected]
    if fmt in ("gpkg", "geojson", "fgb", "parquet", "shp"):
        assert [c for c in frame.columns if c != frame.geometry.name] == list(FIELD_TYPES)
    elif fmt == "csv":
        assert list(frame.columns[:-1]) == ["WKT", *FIELD_TYPES]
    else:
        assert set(FIELD_TYPES) <= set(frame.columns)
    if fmt == "csv":
        assert crs is None  # CSV cannot state a CRS; the manifest does (checked below)
    else:
        assert crs == "EPSG:4326"

    for row, (_, got) in zip(expected, frame.iterrows()):
        for name, kind in FIELD_TYPES.items():
            want = row[name]
            value = _normalise(got[name], kind)
            if fmt == "shp" and kind == "str" and want is not None and len(want.encode()) > 254:
                assert value.endswith("…") and want.startswith(value[:-1]), (name, value)
            else:
                assert value == want, f"{fmt} {layer_id} {row['id']}.{name}: {value!r} != {want!r}"
        geometry = shapely.force_2d(got.geometry)
        assert geometry.geom_type.removeprefix("Multi") == row["geometry"].geom_type.removeprefix("Multi")
        assert shapely.hausdorff_distance(geometry, row["geometry"]) <= TOLERANCE, (fmt, row["id"])
        assert abs(geometry.area - row["geometry"].area) <= 1e-9


# -- format specifics -------------------------------------------------------------------------------


def test_gpkg_holds_layers_records_and_link_tables(exported, catalog):
    path = exported / "atlas.gpkg"
    layers = dict(pyogrio.list_layers(path).tolist())
    for layer_id, spec in LAYERS.items():
        assert layers[layer_id] == spec["geometry_type"]
    for table, pool in (
        ("projects", catalog.projects),
        ("events", catalog.events),
        ("figures", catalog.figures),
        ("sources", catalog.sources),
    ):
        frame = pyogrio.read_dataframe(path, layer=table)
        assert layers[table] is None
        assert frame["id"].tolist() == list(pool)
    events = pyogrio.read_dataframe(path, layer="events").set_index("id")
    for event in catalog.events.values():
        # partial dates stay ISO text, lists are '; '-joined like the layer columns
        assert _normalise(events.loc[event.id, "date"], "str") == event.date
        assert events.loc[event.id, "countries"] == "; ".join(event.countries)
    projects = pyogrio.read_dataframe(path, layer="projects").set_index("id")
    # A project's status with its as-of date, its sources, and whether it is over a year old.
    bypass = projects.loc["almaty-railway-bypass"]
    assert (bypass["status"], bypass["status_as_of"], bypass["status_sources"]) == (
        "under_construction",
        "2025-09-17",
        "ref-trend-ktz-projects-2025",
    )
    assert not bypass["status_stale"]  # under a year before the data date (2026-02-02)
    assert projects.loc["kz-uz-labour-migration-plan", "status_stale"]  # as of 5 May 2023

    links = pyogrio.read_dataframe(path, layer="feature_sources")
    projects = pyogrio.read_dataframe(path, layer="feature_projects")
    events_links = pyogrio.read_dataframe(path, layer="feature_events")
    for feature in catalog.features():
        mine = links[links["feature_id"] == feature.id].sort_values("position")
        assert mine["source_id"].tolist() == [s.id for s in catalog.sources_of(feature)]
        assert mine["layer"].eq(feature.layer).all()
        assert set(mine.loc[mine["direct"], "source_id"]) == set(feature.properties.sources)
        assert projects[projects["feature_id"] == feature.id].sort_values("position")["project_id"].tolist() == list(
            feature.properties.projects
        )
        assert events_links[events_links["feature_id"] == feature.id].sort_values("position")["event_id"].tolist() == [
            e.id for e in catalog.events_of(feature)
        ]
    event_projects = pyogrio.read_dataframe(path, layer="event_projects")
    assert len(event_projects) == sum(len(e.projects) for e in catalog.events.values())
    figure_sources = pyogrio.read_dataframe(path, layer="figure_sources")
    assert len(figure_sources) == sum(len(f.sources) for f in catalog.figures.values())


def test_gpkg_provenance_and_version(exported):
    path = exported / "atlas.gpkg"
    manifest = _manifest(exported)
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA application_id").fetchone()[0] == 0x47504B47  # 'GPKG'
        assert db.execute("PRAGMA user_version").fetchone()[0] == 10200  # GeoPackage 1.2
        ((document, mime, stamp),) = db.execute(
            "SELECT m.metadata, m.mime_type, r.timestamp FROM gpkg_metadata m JOIN gpkg_metadata_reference r"
            " ON r.md_file_id = m.id WHERE m.md_scope = 'dataset' AND r.reference_scope = 'geopackage'"
        ).fetchall()
        description, last_change = db.execute(
            "SELECT description, last_change FROM gpkg_contents WHERE table_name = 'cities'"
        ).fetchone()
    provenance = json.loads(document)
    assert mime == "application/json"
    assert provenance["data_hash"] == manifest["data"]["hash"]
    assert provenance["data_date"] == manifest["data"]["date"]
    assert "public domain" in provenance["licence"]["base"] and "sources" in provenance["licence"]["data"]
    assert {s["id"] for s in provenance["sources"]} >= {"art-kz-uz-igc-20", "natural-earth-10m-lakes"}
    # timestamps come from the data date, never from the wall clock
    assert stamp.startswith(manifest["data"]["date"]) and last_change.startswith(manifest["data"]["date"])
    assert manifest["data"]["hash"] in description
    info = pyogrio.read_info(path, layer="cities")
    layer_provenance = json.loads(info["layer_metadata"]["provenance"])
    assert layer_provenance["layer"]["id"] == "cities"
    assert layer_provenance["data_hash"] == manifest["data"]["hash"]
    assert info["layer_metadata"]["IDENTIFIER"] == LAYERS["cities"]["title"]
    pyogrio.read_dataframe(path, layer="cities")
    assert not (exported / "atlas.gpkg.aux.xml").exists(), "reading must not make GDAL write a sidecar"


def test_geojson_is_rfc7946_with_provenance(exported):
    manifest = _manifest(exported)
    for layer_id in LAYER_IDS:
        text = (exported / "geojson" / f"{layer_id}.geojson").read_text(encoding="utf-8")
        document = json.loads(text)
        assert "crs" not in document
        assert document["name"] == layer_id
        assert document["atlas"]["data_hash"] == manifest["data"]["hash"]
        assert document["atlas"]["crs"] == "EPSG:4326"
        assert document["atlas"]["layer"]["id"] == layer_id
        assert document["atlas"]["sources"]
        for feature in document["features"]:
            assert feature["id"] == feature["properties"]["id"]
            geometry = shapely.geometry.shape(feature["geometry"])
            for polygon in getattr(geometry, "geoms", [geometry]):
                if polygon.geom_type == "Polygon":
                    assert polygon.exterior.is_ccw, f"{feature['id']}: outer ring must be counter-clockwise"
                    assert all(not ring.is_ccw for ring in polygon.interiors)
        coordinates = json.dumps([feature["geometry"] for feature in document["features"]])
        decimals = [len(number.split(".")[1]) for number in re.findall(r"-?\d+\.\d+", coordinates)]
        assert max(decimals, default=0) <= 6


def test_fgb_and_parquet_carry_provenance(exported):
    manifest = _manifest(exported)
    for layer_id, spec in LAYERS.items():
        meta = pyogrio.read_info(exported / "fgb" / f"{layer_id}.fgb")["layer_metadata"]
        assert meta["TITLE"] == spec["title"]
        assert json.loads(meta["DESCRIPTION"])["data_hash"] == manifest["data"]["hash"]
        schema = pq.read_schema(exported / "parquet" / f"{layer_id}.parquet")
        geo_meta = json.loads(schema.metadata[b"geo"])
        assert geo_meta["primary_column"] == "geometry"
        assert geo_meta["columns"]["geometry"]["geometry_types"] in ([spec["geometry_type"]], [])
        atlas = json.loads(schema.metadata[b"atlas"])
        assert atlas["data_hash"] == manifest["data"]["hash"] and atlas["layer"]["id"] == layer_id


def test_shapefile_zip_has_parts_mapping_and_utf8(exported):
    for layer_id in LAYER_IDS:
        beside = (exported / "shp" / f"{layer_id}.fields.csv").read_bytes()
        with zipfile.ZipFile(exported / "shp" / f"{layer_id}.shp.zip") as archive:
            names = archive.namelist()
            assert names == [f"{layer_id}{s}" for s in (".shp", ".shx", ".dbf", ".prj", ".cpg", ".fields.csv")]
            assert archive.read(f"{layer_id}.cpg").strip() == b"UTF-8"
            assert archive.read(f"{layer_id}.fields.csv") == beside
        mapping = list(csv_rows(beside))
        assert [row["column"] for row in mapping] == list(FIELD_TYPES)
        short = [row["shapefile_field"] for row in mapping]
        assert all(len(name) <= 10 for name in short) and len(set(short)) == len(short)
        fields = pyogrio.read_info(f"/vsizip/{exported / 'shp' / f'{layer_id}.shp.zip'}/{layer_id}.shp")["fields"]
        assert list(fields) == short


def csv_rows(payload: bytes) -> list[dict[str, str]]:
    import csv

    return list(csv.DictReader(io.StringIO(payload.decode("utf-8"))))


def test_shapefile_clips_long_text_visibly_and_other_formats_keep_it(data_copy, tmp_path):
    path = data_copy / "layers" / "cities.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    long_note = "Длинная заметка — " * 30  # Cyrillic: 2 bytes a letter, so a byte cut could split one
    document["features"][0]["properties"]["note"] = long_note
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    catalog = load_catalog(data_copy)
    out = tmp_path / "out"
    report = export_catalog(catalog, out, formats=["shp", "geojson"], layers=["cities"], bbox=None, progress=print)
    assert report.failures == []
    frame, _ = read_back(out, "shp", "cities")
    clipped = frame["note"][0]
    assert clipped.endswith("…") and len(clipped.encode("utf-8")) <= 254
    assert long_note.startswith(clipped[:-1])
    assert read_back(out, "geojson", "cities")[0]["note"][0] == long_note


def test_csv_has_wkt_first_and_is_utf8(exported):
    for layer_id in LAYER_IDS:
        payload = (exported / "csv" / f"{layer_id}.csv").read_bytes()
        assert not payload.startswith(b"\xef\xbb\xbf")
        rows = csv_rows(payload)
        assert next(iter(rows[0])) == "WKT"
        for row in rows:
            assert shapely.from_wkt(row["WKT"]).is_valid
    assert "Ташкент" in (exported / "csv" / "cities.csv").read_text(encoding="utf-8")


def _kml_layers(root: ET.Element) -> dict[str, ET.Element]:
    document = root.find("k:Document", KML_NS)
    return {d.findtext("k:name", namespaces=KML_NS): d for d in document.findall("k:Document", KML_NS)}


def test_kml_has_a_named_styled_placemark_per_feature(exported, catalog):
    root = ET.parse(exported / "atlas.kml").getroot()
    document = root.find("k:Document", KML_NS)
    styles = {style.get("id"): style for style in document.findall("k:Style", KML_NS)}
    assert set(styles) == {f"kind-{kind.value}" for kind in FeatureKind}
    for style in styles.values():
        assert re.fullmatch(r"[0-9a-f]{8}", style.findtext("k:IconStyle/k:color", namespaces=KML_NS))
        assert re.fullmatch(r"[0-9a-f]{8}", style.findtext("k:LineStyle/k:color", namespaces=KML_NS))
    layers = _kml_layers(root)
    assert list(layers) == [spec["title"] for spec in LAYERS.values()]
    for layer_id, spec in LAYERS.items():
        placemarks = layers[spec["title"]].findall("k:Placemark", KML_NS)
        features = catalog.layers[layer_id].features
        assert [p.findtext("k:name", namespaces=KML_NS) for p in placemarks] == [f.properties.name for f in features]
        for placemark, feature in zip(placemarks, features):
            assert placemark.findtext("k:styleUrl", namespaces=KML_NS) == f"#kind-{feature.properties.kind.value}"
            data = {d.get("name"): d.text for d in placemark.iter("{http://www.opengis.net/kml/2.2}SimpleData")}
            assert data["id"] == feature.id
            description = placemark.findtext("k:description", namespaces=KML_NS)
            assert html.escape(feature.properties.name, quote=False) in description
            for source in catalog.sources_of(feature):
                assert html.escape(source.title, quote=False) in description
    with zipfile.ZipFile(exported / "atlas.kmz") as archive:
        assert archive.namelist() == ["doc.kml"]
        assert archive.read("doc.kml") == (exported / "atlas.kml").read_bytes()


def test_kmz_on_its_own_holds_the_same_document(exported, catalog, tmp_path):
    report = export_catalog(catalog, tmp_path, formats=["kmz"], layers=None, bbox=None)
    assert report.failures == []
    with zipfile.ZipFile(tmp_path / "atlas.kmz") as archive:
        assert archive.read("doc.kml") == (exported / "atlas.kml").read_bytes()
    assert file_digest(tmp_path / "atlas.kmz") == file_digest(exported / "atlas.kmz")


def test_hostile_text_is_escaped_everywhere_and_reads_back_unchanged(data_copy, tmp_path):
    path = data_copy / "layers" / "cities.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    document["features"][0]["properties"]["name"] = HOSTILE
    document["features"][0]["properties"]["note"] = "<b>bold</b> & <a href='javascript:alert(2)'>x</a>"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    catalog = load_catalog(data_copy)
    feature_id = document["features"][0]["properties"]["id"]
    out = tmp_path / "out"
    formats = ["kml", "kmz", "geojson", "csv", "gpkg"]
    report = export_catalog(catalog, out, formats=formats, layers=["cities"], bbox=None)
    assert report.failures == []

    raw = (out / "atlas.kml").read_bytes()
    assert b"<script>" not in raw and b"<b>bold" not in raw and b"<a href='javascript" not in raw
    root = ET.fromstring(raw)  # still well-formed XML
    placemark = _kml_layers(root)["Capitals and cities"].find("k:Placemark", KML_NS)
    assert placemark.findtext("k:name", namespaces=KML_NS) == HOSTILE
    data = {d.get("name"): d.text for d in placemark.iter("{http://www.opengis.net/kml/2.2}SimpleData")}
    assert data["name"] == HOSTILE and data["id"] == feature_id
    # The description is HTML for Google Earth: the hostile text is in it as text, never as markup.
    parsed = _parse_html(placemark.findtext("k:description", namespaces=KML_NS))
    assert "script" not in parsed.tags
    assert all(not href.lower().startswith("javascript") for href in parsed.hrefs)
    assert HOSTILE in parsed.text and "<b>bold</b> & <a href='javascript:alert(2)'>x</a>" in parsed.text
    for fmt in formats:
        frame, _ = read_back(out, fmt, "cities")
        assert frame["name"][0] == HOSTILE, fmt


class _HtmlSummary(HTMLParser):
    """The tags, link targets and visible text of an HTML fragment, as a browser would see them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.hrefs: list[str] = []
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.hrefs += [value or "" for name, value in attrs if name == "href"]

    def handle_data(self, data: str) -> None:
        self.text += data


def _parse_html(fragment: str) -> _HtmlSummary:
    parser = _HtmlSummary()
    parser.feed(fragment)
    parser.close()
    return parser


# -- selection -------------------------------------------------------------------------------------


def test_bbox_keeps_exactly_the_features_that_intersect_it(catalog, tmp_path):
    bbox = (68.0, 40.0, 70.0, 42.0)
    report = export_catalog(catalog, tmp_path, formats=["geojson", "gpkg"], layers=None, bbox=bbox)
    assert report.failures == []
    box = shapely.box(*bbox)
    manifest = _manifest(tmp_path)
    assert manifest["bbox"] == list(bbox)
    counts = {layer["id"]: layer["features"] for layer in manifest["layers"]}
    for layer_id in LAYER_IDS:
        want = [f.id for f in catalog.layers[layer_id].features if f.geometry.intersects(box)]
        assert counts[layer_id] == len(want)
        assert read_back(tmp_path, "geojson", layer_id)[0]["id"].tolist() == want
        assert read_back(tmp_path, "gpkg", layer_id)[0]["id"].tolist() == want
    assert 0 < sum(counts.values()) < sum(len(layer.features) for layer in catalog.layers.values())


def test_empty_selection_still_writes_valid_empty_layers(catalog, tmp_path):
    nowhere = (0.0, 0.0, 1.0, 1.0)  # the Gulf of Guinea: no atlas feature is there
    report = export_catalog(catalog, tmp_path, formats=None, layers=["water_bodies", "cities"], bbox=nowhere)
    assert report.failures == []
    for fmt in ALL_FORMATS:
        for layer_id in ("water_bodies", "cities"):
            assert len(read_back(tmp_path, fmt, layer_id)[0]) == 0, fmt


def test_layer_option_exports_one_layer(catalog, tmp_path):
    report = export_catalog(catalog, tmp_path, formats=["gpkg", "geojson", "kml"], layers=["dams"], bbox=None)
    assert report.failures == []
    assert sorted(p.relative_to(tmp_path).as_posix() for p in report.files) == [
        "atlas.gpkg",
        "atlas.kml",
        "geojson/dams.geojson",
        "manifest.json",
    ]
    assert [name for name, _ in pyogrio.list_layers(tmp_path / "atlas.gpkg").tolist() if _ is not None] == ["dams"]


@pytest.mark.parametrize(
    "bbox", [(70.0, 40.0, 68.0, 42.0), (68.0, 42.0, 70.0, 40.0), (-200.0, 0.0, 10.0, 10.0), (0.0, 0.0, math.nan, 1.0)]
)
def test_impossible_bbox_is_a_usage_error(catalog, tmp_path, bbox):
    with pytest.raises(ExportUsageError, match="bbox"):
        export_catalog(catalog, tmp_path / "out", formats=["csv"], layers=None, bbox=bbox)
    assert not (tmp_path / "out").exists()


def test_unknown_format_or_layer_is_a_usage_error(catalog, tmp_path):
    with pytest.raises(ExportUsageError, match="unknown format"):
        export_catalog(catalog, tmp_path, formats=["dwg"], layers=None, bbox=None)
    with pytest.raises(ExportUsageError, match="unknown layer"):
        export_catalog(catalog, tmp_path, formats=None, layers=["nope"], bbox=None)


# -- manifest and determinism -----------------------------------------------------------------------


def test_manifest_lists_every_file_with_checksums(exported, catalog):
    manifest = _manifest(exported)
    on_disk = sorted(p.relative_to(exported).as_posix() for p in exported.rglob("*") if p.is_file())
    assert sorted([entry["path"] for entry in manifest["files"]] + ["manifest.json"]) == on_disk
    for entry in manifest["files"]:
        payload = (exported / entry["path"]).read_bytes()
        assert entry["bytes"] == len(payload)
        assert entry["sha256"] == hashlib.sha256(payload).hexdigest()
        assert entry["format"] in ALL_FORMATS
    assert manifest["formats"] == ALL_FORMATS
    assert manifest["crs"] == "EPSG:4326"
    assert manifest["coordinate_decimals"] == 6
    assert manifest["tool"] == {"name": "geo-atlas", "version": geo.__version__, "command": "geo export"}
    assert manifest["libraries"]["gdal"] == pyogrio.__gdal_version_string__
    assert manifest["data"]["hash"] == catalog.identity.data_hash
    assert manifest["failures"] == [] and manifest["bbox"] is None
    assert manifest["layers"] == [
        {"id": i, "title": s["title"], "geometry_type": s["geometry_type"], "features": len(catalog.layers[i].features)}
        for i, s in LAYERS.items()
    ]
    by_format = {fmt: sum(e["format"] == fmt for e in manifest["files"]) for fmt in ALL_FORMATS}
    n = len(LAYER_IDS)
    assert by_format == {"gpkg": 1, "geojson": n, "fgb": n, "parquet": n, "shp": 2 * n, "kml": 1, "kmz": 1, "csv": n}


def test_same_data_gives_identical_bytes(exported, catalog, tmp_path):
    export_catalog(catalog, tmp_path, formats=None, layers=None, bbox=None)
    assert (tmp_path / "manifest.json").read_bytes() == (exported / "manifest.json").read_bytes()
    # every format is byte-stable, the GeoPackage included (OGR_CURRENT_DATE from the data date)
    assert _checksums(tmp_path) == _checksums(exported)


def test_the_data_hash_follows_the_records_not_the_file_layout(data_copy, tmp_path):
    """A comment changes no record and leaves the hash; a changed value changes it (README: what the hash covers)."""

    def exported_hash(out: str) -> str:
        report = export_catalog(load_catalog(data_copy), tmp_path / out, formats=["csv"], layers=["dams"], bbox=None)
        assert report.failures == []
        return _manifest(tmp_path / out)["data"]["hash"]

    first = exported_hash("a")
    maps = data_copy / "maps.yaml"
    maps.write_text(maps.read_text(encoding="utf-8") + "\n# touched\n", encoding="utf-8")
    assert exported_hash("b") == first
    maps.write_text(maps.read_text(encoding="utf-8").replace("zoom: 8}", "zoom: 9}", 1), encoding="utf-8")
    changed = exported_hash("c")
    assert changed != first and changed == load_catalog(data_copy).identity.data_hash


# -- where it may write -------------------------------------------------------------------------------


@pytest.mark.parametrize("inside", [".", "exports", "layers/out"])
def test_refuses_to_write_into_the_data_directory(data_copy, inside):
    catalog = load_catalog(data_copy)
    before = sorted(p.as_posix() for p in data_copy.rglob("*"))
    with pytest.raises(UsageError, match="inside the data directory"):
        export_catalog(catalog, data_copy / inside, formats=None, layers=None, bbox=None)
    assert sorted(p.as_posix() for p in data_copy.rglob("*")) == before


def test_refuses_a_symlink_that_leads_into_the_data_directory(data_copy, tmp_path):
    catalog = load_catalog(data_copy)
    out = tmp_path / "out"
    out.mkdir()
    (out / "geojson").symlink_to(data_copy / "layers", target_is_directory=True)
    with pytest.raises(ExportUsageError, match="data directory"):
        export_catalog(catalog, out, formats=["geojson"], layers=None, bbox=None)
    assert not any(p.name.startswith(".geo-export-") for p in (data_copy / "layers").iterdir())
    layer = json.loads((data_copy / "layers" / "cities.geojson").read_text(encoding="utf-8"))
    assert layer["type"] == "FeatureCollection"


def test_refuses_to_overwrite_foreign_files_and_writes_nothing(catalog, tmp_path):
    (tmp_path / "csv").mkdir()
    (tmp_path / "csv" / "cities.csv").write_text("mine", encoding="utf-8")
    with pytest.raises(ExportUsageError, match=r"csv/cities\.csv"):
        export_catalog(catalog, tmp_path, formats=None, layers=None, bbox=None)
    assert (tmp_path / "csv" / "cities.csv").read_text(encoding="utf-8") == "mine"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["cities.csv", "csv"]


def test_refuses_a_manifest_it_did_not_write(catalog, tmp_path):
    (tmp_path / "manifest.json").write_text('{"files": []}', encoding="utf-8")
    with pytest.raises(ExportUsageError, match="not written by `geo export`"):
        export_catalog(catalog, tmp_path, formats=["csv"], layers=None, bbox=None)
    (tmp_path / "manifest.json").write_text("not json", encoding="utf-8")
    with pytest.raises(ExportUsageError, match="not written by `geo export`"):
        export_catalog(catalog, tmp_path, formats=["csv"], layers=None, bbox=None)


def test_refuses_an_output_path_that_is_a_file(catalog, tmp_path):
    (tmp_path / "out").write_text("x", encoding="utf-8")
    with pytest.raises(UsageError, match="not a directory"):
        export_catalog(catalog, tmp_path / "out", formats=["csv"], layers=None, bbox=None)


def test_reexport_replaces_its_own_files_and_removes_what_it_no_longer_writes(catalog, tmp_path):
    (tmp_path / "notes.txt").write_text("someone else's", encoding="utf-8")
    export_catalog(catalog, tmp_path, formats=["csv", "geojson"], layers=None, bbox=None)
    first = _checksums(tmp_path)
    again = export_catalog(catalog, tmp_path, formats=["csv", "geojson"], layers=None, bbox=None)
    assert again.failures == [] and _checksums(tmp_path) == first

    lines: list[str] = []
    narrower = export_catalog(catalog, tmp_path, formats=["csv"], layers=["cities"], bbox=None, progress=lines.append)
    assert sorted(_checksums(tmp_path)) == ["csv/cities.csv"]
    assert not (tmp_path / "geojson").exists() and not (tmp_path / "csv" / "dams.csv").exists()
    assert any(line.startswith("removed geojson/cities.geojson") for line in lines)
    assert len(narrower.removed) == len(first) - 1
    assert (tmp_path / "notes.txt").read_text(encoding="utf-8") == "someone else's"  # never touched


def _failing_fgb(fmt: Format) -> Format:
    """The FlatGeobuf format, except that the cities job writes half a file and then fails."""

    def plan(ctx):
        jobs = []
        for job in fmt.plan(ctx):
            if job.layer == "cities":

                def broken(temps, job=job):
                    temps[0].write_bytes(b"half a file")
                    raise OSError("disk full (simulated)")

                job = Job(job.format, job.layer, job.paths, broken)
            jobs.append(job)
        return jobs

    return Format(fmt.name, fmt.title, plan)


def test_a_failing_job_leaves_no_partial_file_and_the_rest_is_written(catalog, tmp_path, monkeypatch):
    export_catalog(catalog, tmp_path, formats=["fgb", "csv"], layers=None, bbox=None)
    assert (tmp_path / "fgb" / "cities.fgb").exists()
    monkeypatch.setitem(FORMATS, "fgb", _failing_fgb(FORMATS["fgb"]))
    lines: list[str] = []
    report = export_catalog(catalog, tmp_path, formats=["fgb", "csv"], layers=None, bbox=None, progress=lines.append)

    assert len(report.failures) == 1
    assert report.failures[0].startswith("fgb (layer cities): could not write fgb/cities.fgb: OSError: disk full")
    assert any(line.startswith("FAILED fgb (layer cities)") for line in lines)
    # the failed file is gone (not left half-written, nor stale from the earlier run) ...
    assert not (tmp_path / "fgb" / "cities.fgb").exists()
    assert _leftovers(tmp_path) == []
    # ... and everything else was written and is listed
    manifest = _manifest(tmp_path)
    assert manifest["failures"] == report.failures
    listed = {entry["path"] for entry in manifest["files"]}
    assert "fgb/cities.fgb" not in listed
    assert {f"fgb/{i}.fgb" for i in LAYER_IDS if i != "cities"} | {f"csv/{i}.csv" for i in LAYER_IDS} == listed
    assert all((tmp_path / path).is_file() for path in listed)


def test_a_job_of_several_files_is_all_or_nothing(catalog, tmp_path, monkeypatch):
    """If the second file of a shapefile job cannot be moved into place, the first is not left behind."""
    (tmp_path / "shp" / "dams.fields.csv").mkdir(parents=True)
    report = export_catalog(catalog, tmp_path, formats=["shp"], layers=["dams", "cities"], bbox=None)
    assert len(report.failures) == 1 and report.failures[0].startswith("shp (layer dams)")
    assert not (tmp_path / "shp" / "dams.shp.zip").exists()
    assert (tmp_path / "shp" / "cities.shp.zip").is_file() and (tmp_path / "shp" / "cities.fields.csv").is_file()
    assert _leftovers(tmp_path) == []


def test_a_writer_crash_in_gdal_is_reported_not_raised(catalog, tmp_path):
    (tmp_path / "atlas.gpkg").mkdir()  # a directory where the GeoPackage must go
    report = export_catalog(catalog, tmp_path, formats=["gpkg", "geojson"], layers=None, bbox=None)
    assert len(report.failures) == 1 and report.failures[0].startswith("gpkg: could not write atlas.gpkg")
    assert (tmp_path / "atlas.gpkg").is_dir() and not any((tmp_path / "atlas.gpkg").iterdir())
    assert all((tmp_path / "geojson" / f"{i}.geojson").is_file() for i in LAYER_IDS)
    assert _leftovers(tmp_path) == []


# -- scale ----------------------------------------------------------------------------------------


def test_a_layer_of_many_points_exports_and_reads_back(catalog, tmp_path):
    """Thousands of points through the vectorised formats, every one read back (speed: bench/run.py)."""
    count = 5_000
    rng = np.random.default_rng(7)
    points = shapely.points(np.column_stack([rng.uniform(55, 80, count), rng.uniform(37, 52, count)]).round(5))
    template = catalog.layers["cities"].features[0].properties
    spec = LayerSpec(
        id="many_points", title="Many points", description="Synthetic.", file="none.geojson", geometry_type="Point"
    )
    features = [
        Feature("many_points", dataclasses.replace(template, id=f"p{i}", name=f"Point {i}"), points[i])
        for i in range(count)
    ]
    layers = {"many_points": Layer(spec, features, "none.geojson")}
    c = catalog
    big = Catalog(
        layers,
        c.sources,
        c.projects,
        c.events,
        c.figures,
        c.maps,
        atlas=c.atlas,
        countries=c.countries,
        stored=c.stored,
    )
    formats = ["gpkg", "geojson", "fgb", "parquet", "shp", "csv"]
    report = export_catalog(big, tmp_path, formats=formats, layers=None, bbox=None)
    assert report.failures == []
    for fmt in ("gpkg", "fgb", "csv"):
        frame, _ = read_back(tmp_path, fmt, "many_points")
        assert len(frame) == count
        ends = frame.set_index("id").loc[["p0", f"p{count - 1}"]].geometry.to_numpy()
        assert shapely.equals_exact(ends, points[[0, -1]], tolerance=TOLERANCE).all(), fmt


# -- GDAL's own command-line tool ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def ogrinfo() -> str:
    found = shutil.which("ogrinfo")
    if found is None:
        reason = "ogrinfo (GDAL's command-line tools, Debian/Ubuntu package gdal-bin) is not installed"
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; CI must run these tests")
        pytest.skip(reason)
    return found


def _ogrinfo_counts(ogrinfo: str, dataset: str) -> dict[str, int]:
    result = subprocess.run([ogrinfo, "-ro", "-so", "-al", dataset], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "ERROR" not in result.stderr, result.stderr
    names = re.findall(r"^Layer name: (.+)$", result.stdout, re.M)
    counts = [int(n) for n in re.findall(r"^Feature Count: (\d+)$", result.stdout, re.M)]
    assert len(names) == len(counts), result.stdout
    return dict(zip(names, counts))


@pytest.mark.gdal_cli
@pytest.mark.parametrize("fmt", ALL_FORMATS)
def test_ogrinfo_opens_every_file(exported, catalog, ogrinfo, fmt):
    expected = {layer_id: len(catalog.layers[layer_id].features) for layer_id in LAYER_IDS}
    if fmt == "parquet":
        formats = subprocess.run([ogrinfo, "--formats"], capture_output=True, text=True).stdout
        if not re.search(r"^\s*Parquet\b", formats, re.M):
            pytest.skip(
                "this ogrinfo has no (Geo)Parquet driver (Debian's gdal-bin is built without Arrow); "
                "GeoParquet is read back with geopandas/pyarrow instead"
            )
    if fmt == "gpkg":
        counts = _ogrinfo_counts(ogrinfo, str(exported / "atlas.gpkg"))
        assert {k: counts[k] for k in expected} == expected
        assert {"projects", "events", "figures", "sources", "feature_sources"} <= set(counts)
        return
    if fmt in ("kml", "kmz"):
        counts = _ogrinfo_counts(ogrinfo, str(exported / f"atlas.{fmt}"))
        assert counts == {LAYERS[k]["title"]: v for k, v in expected.items()}
        return
    for layer_id, count in expected.items():
        dataset = {
            "geojson": exported / "geojson" / f"{layer_id}.geojson",
            "fgb": exported / "fgb" / f"{layer_id}.fgb",
            "parquet": exported / "parquet" / f"{layer_id}.parquet",
            "shp": f"/vsizip/{exported / 'shp' / f'{layer_id}.shp.zip'}",
            "csv": exported / "csv" / f"{layer_id}.csv",
        }[fmt]
        assert _ogrinfo_counts(ogrinfo, str(dataset)) == {layer_id: count}, (fmt, layer_id)
