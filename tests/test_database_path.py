"""The database path held to the standard of the files, against a real PostgreSQL + PostGIS.

What goes into PostGIS comes back out (records, layers and the data hash, for the shipped data
and for generated data with edge values); what data/ would refuse is refused from the database
too, naming `schema.table` and the record id; `geo pull` is guarded like every other writer;
passwords are masked by libpq's own parsing; a `--data postgresql://…` URL is checked as
`--schema` is. The server: see tests/test_publish.py.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import shapely

from tests.conftest import DATA, ROOT, run_geo
from tests.test_publish import Server, _schema, pg  # noqa: F401 (pg: the server fixture)

psycopg = pytest.importorskip("psycopg", reason="psycopg 3 is not installed (pip install -e '.[test]')")
from psycopg import sql  # noqa: E402

from geo.catalog import Catalog, load_catalog, read_catalog  # noqa: E402
from geo.models import FigureValue  # noqa: E402
from geo.publish.read import read_catalog as read_published  # noqa: E402
from geo.publish.run import publish_catalog  # noqa: E402
from geo.validate import validate_catalog  # noqa: E402

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def shipped() -> Catalog:
    return load_catalog(DATA)


@pytest.fixture(scope="module")
def shipped_schema(pg: Server, shipped: Catalog) -> str:
    """data/ published once into a schema of its own (read-only for the tests that use it)."""
    schema = _schema()
    publish_catalog(shipped, pg.target(schema))
    return schema


def _same(original: Catalog, back: Catalog) -> None:
    """Records (every field, in order), layers (spec, properties, exact geometry), stored files,
    translations and the identity are equal."""
    for kind in ("sources", "projects", "events", "figures", "maps"):
        assert list(getattr(back, kind).items()) == list(getattr(original, kind).items()), kind
    assert list(back.layers) == list(original.layers)
    for layer_id, layer in original.layers.items():
        theirs = back.layers[layer_id]
        assert theirs.spec == layer.spec
        assert [f.properties for f in theirs.features] == [f.properties for f in layer.features], layer_id
        mine_wkb = shapely.to_wkb([f.geometry for f in layer.features], output_dimension=2)
        their_wkb = shapely.to_wkb([f.geometry for f in theirs.features], output_dimension=2)
        assert list(their_wkb) == list(mine_wkb), layer_id  # the exact doubles
    assert back.stored == original.stored
    assert {lang: t.entries for lang, t in back.translations.items()} == {
        lang: t.entries for lang, t in original.translations.items()
    }
    assert back.identity == original.identity


def _round_trip(pg: Server, original: Catalog, schema: str, out: Path) -> None:
    """publish -> --data read -> pull: each step gives the original back."""
    read_back, problems = read_published(pg.target(schema))
    assert problems == [] and validate_catalog(read_back) == []
    _same(original, read_back)
    result = run_geo("pull", "--db", pg.url(), "--schema", schema, "--out", str(out))
    assert result.returncode == 0, result.stderr
    _same(original, load_catalog(out))


def test_the_shipped_data_round_trips_with_its_data_hash(pg: Server, shipped: Catalog, shipped_schema: str, tmp_path: Path) -> None:
    _round_trip(pg, shipped, shipped_schema, tmp_path / "pulled")
    logged = pg.query(sql.SQL("SELECT data_hash, data_date FROM {} ORDER BY id DESC LIMIT 1").format(
        sql.Identifier(shipped_schema, "publish_log")))  # fmt: skip
    assert logged == [(shipped.identity.data_hash, shipped.identity.data_date)]


EDGE_TEXT = [
    'a quote " and a backslash \\ and \\N, COPY\'s null',
    "NULL",
    "tab\there, a line break\nthere",
    '{"json": [1, 2]} %s %(x)s',
    "'); DROP TABLE atlas.cities; --",
    "Кайраккум \u202e an unclosed override",
    "a locomotive 🚂 and an astral letter 𝔘",
    "long " + "x" * 3000,
]
EDGE_NUMBERS = [-0.0, 0.1 + 0.2, 1e308, -1e-308, 5e-324, 2.0**53 + 2, 123456.78901234567, -987654321.5, 7]


def _edge_catalog(shipped: Catalog, seed: int) -> Catalog:
    """The shipped catalog with edge values put in at random (seeded): text that COPY, JSON, SQL
    and bidi rules treat specially, doubles at the ends of their range, coordinates at full
    precision, alternatives with every edge number."""
    rng = random.Random(seed)
    layers = {}
    for layer_id, layer in shipped.layers.items():
        features = []
        for feature in layer.features:
            props = feature.properties
            changes = {"note": rng.choice(EDGE_TEXT)}
            if rng.random() < 0.5:
                changes["accuracy_m"] = float(rng.choice([props.accuracy_m * 3, 1_000_000.0]))
            geometry = shapely.transform(feature.geometry, lambda xy: xy + rng.choice([1e-11, -7e-12, 3.3e-13]))
            features.append(dataclasses.replace(feature, properties=dataclasses.replace(props, **changes), geometry=geometry))
        layers[layer_id] = dataclasses.replace(layer, features=features)
    figures = {}
    for figure_id, figure in shipped.figures.items():
        update: dict[str, object] = {"note": rng.choice(EDGE_TEXT)}
        if figure.measure is None:
            update["value"] = rng.choice(EDGE_NUMBERS)
            update["alternatives"] = [
                *figure.alternatives,
                *(FigureValue(value=value, unit=figure.unit, sources=figure.sources) for value in rng.sample(EDGE_NUMBERS, 3)),
            ]
        figures[figure_id] = figure.model_copy(update=update)
    events = {i: e.model_copy(update={"note": rng.choice([None, *EDGE_TEXT])}) for i, e in shipped.events.items()}
    return dataclasses.replace(shipped, layers=layers, figures=figures, events=events, _index={}, _identity=None, _context=None)


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_edge_values_round_trip_with_their_data_hash(pg: Server, shipped: Catalog, tmp_path: Path, seed: int) -> None:
    from geo.publish.pull import data_files

    data = tmp_path / "data"
    for name, content in data_files(_edge_catalog(shipped, seed)).items():
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_bytes(content)
    original, problems = read_catalog(data)  # the generated data, as data/'s reader reads it
    assert problems == [] and validate_catalog(original) == []
    assert original.identity != shipped.identity
    schema = _schema()
    published = run_geo("--data", str(data), "publish", "--db", pg.url(), "--schema", schema)
    assert published.returncode == 0, published.stderr
    _round_trip(pg, original, schema, tmp_path / "pulled")


def test_an_export_from_postgis_states_the_data_hash_of_data(pg: Server, shipped: Catalog, shipped_schema: str, tmp_path: Path) -> None:
    hashes = []
    for name, source in (("files", str(DATA)), ("db", f"{pg.url()}/{shipped_schema}")):
        result = run_geo("--data", source, "export", "--out", str(tmp_path / name), "--format", "csv", "--layer", "dams")
        assert result.returncode == 0, result.stderr
        hashes.append(json.loads((tmp_path / name / "manifest.json").read_text(encoding="utf-8"))["data"])
    assert hashes[0] == hashes[1] == {"hash": shipped.identity.data_hash, "date": shipped.identity.data_date}


def test_a_nan_alternative_is_refused_before_it_can_be_published(pg: Server, data_copy: Path) -> None:
    figures = data_copy / "metadata" / "figures.yaml"
    figures.write_text(figures.read_text(encoding="utf-8").replace("    - value: 50\n", "    - value: .nan\n", 1), encoding="utf-8")
    schema = _schema()
    result = run_geo("--data", str(data_copy), "publish", "--db", pg.url(), "--schema", schema)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "figures.yaml: icic-kz-section-area: field 'alternatives[0].value': Input should be a finite number" in result.stderr
    assert pg.query("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)) == []


def test_what_data_would_refuse_is_refused_from_the_database_by_table_and_id(pg: Server, shipped: Catalog, tmp_path: Path) -> None:
    """A city turned into a LineString and another into a MultiPoint (view dropped, column made
    generic), an infinite accuracy, a NULL flag, a NaN alternative: each named schema.table and id."""
    schema = _schema()
    publish_catalog(shipped, pg.target(schema))
    cities, figures = sql.Identifier(schema, "cities"), sql.Identifier(schema, "figures")
    for statement in (
        sql.SQL("DROP VIEW {}").format(sql.Identifier(schema, "cities_view")),
        sql.SQL("ALTER TABLE {} ALTER COLUMN geom TYPE geometry(Geometry, 4326)").format(cities),
        sql.SQL("UPDATE {} SET geom = ST_GeomFromText('LINESTRING(69.2 41.3, 69.3 41.4)', 4326) WHERE id = 'tashkent'").format(cities),
        sql.SQL("UPDATE {} SET geom = ST_GeomFromText('MULTIPOINT((68.8 40.5))', 4326) WHERE id = 'gulistan'").format(cities),
        sql.SQL("UPDATE {} SET accuracy_m = 'Infinity' WHERE id = 'astana'").format(cities),
        sql.SQL("ALTER TABLE {} ALTER COLUMN schematic DROP NOT NULL").format(cities),
        sql.SQL("UPDATE {} SET schematic = NULL WHERE id = 'dushanbe'").format(cities),
        sql.SQL("UPDATE {} SET alternatives = jsonb_set(alternatives, '{{0,value}}', 'null') WHERE id = 'icic-kz-section-area'").format(figures),
    ):
        pg.query(statement)
    result = run_geo("--data", f"{pg.url()}/{schema}", "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    problems = [line.removeprefix("  - ") for line in result.stderr.splitlines()[1:]]
    for expected in (
        f"{schema}.cities: tashkent: field 'geometry.type': layer 'cities' holds Point geometries, got 'LineString'",
        f"{schema}.cities: gulistan: field 'geometry.type': layer 'cities' holds Point geometries, got 'MultiPoint'",
        f"{schema}.cities: astana: field 'accuracy_m': Input should be a finite number (got inf)",
        f"{schema}.cities: dushanbe: field 'schematic': Input should be a valid boolean (got None)",
        f"{schema}.figures: icic-kz-section-area: field 'alternatives[0].value': Input should be a valid number (got None)",
    ):
        assert expected in problems, result.stderr
    assert not any("geo-atlas-db" in line or "/tmp" in line or ": #" in line for line in problems), problems
    for command in (["build", "--out", str(tmp_path / "maps")], ["export", "--out", str(tmp_path / "x"), "--format", "gpkg"]):
        other = run_geo("--data", f"{pg.url()}/{schema}", *command)
        assert other.returncode == 1 and "Traceback" not in other.stderr and problems[0] in other.stderr


def test_a_pull_killed_while_writing_is_cleaned_up_by_the_next(pg: Server, shipped_schema: str, tmp_path: Path) -> None:
    out, private_tmp = tmp_path / "pulled", tmp_path / "tmp"
    private_tmp.mkdir()
    env = {**os.environ, "GEO_FAULT_AFTER": "pull-file-3", "TMPDIR": str(private_tmp), "PYTHONIOENCODING": "utf-8"}
    killed = subprocess.run(
        [sys.executable, "-m", "geo", "pull", "--db", pg.url(), "--schema", shipped_schema, "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert killed.returncode == -9, killed.stderr
    assert (tmp_path / ".pulled.pull").is_dir() and not out.exists()  # what kill -9 leaves
    again = run_geo("pull", "--db", pg.url(), "--schema", shipped_schema, "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pulled", "tmp"]  # no staging, no lock file
    assert list(private_tmp.iterdir()) == []  # nothing in the system's temporary directory either
    assert load_catalog(out).identity == load_catalog(DATA).identity


def test_two_pulls_into_one_out_give_one_result_and_one_named_refusal(pg: Server, shipped_schema: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import geo.publish.pull as pull

    out = tmp_path / "pulled"
    writing, release = threading.Event(), threading.Event()

    def hold(step: str) -> None:
        if step == "pull-file-1":
            writing.set()
            release.wait(30)

    monkeypatch.setattr(pull, "fault_point", hold)
    catalog, _ = read_published(pg.target(shipped_schema))
    first: dict[str, object] = {}
    thread = threading.Thread(target=lambda: first.setdefault("files", pull.write_data_dir(catalog, out)))
    thread.start()
    try:
        assert writing.wait(30)
        second = run_geo("pull", "--db", pg.url(), "--schema", shipped_schema, "--out", str(out))
    finally:
        release.set()
        thread.join(60)
    assert second.returncode == 1 and "Traceback" not in second.stderr
    assert f"is in use by `geo pull` (pid {os.getpid()}" in second.stderr
    assert first["files"] and load_catalog(out).identity == load_catalog(DATA).identity
    third = run_geo("pull", "--db", pg.url(), "--schema", shipped_schema, "--out", str(out))
    assert third.returncode == 2 and "is not empty" in third.stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://127.0.0.1/db/Atlas", "'Atlas' is not a plain schema name"),
        ("postgresql://127.0.0.1/db/a;b", "'a;b' is not a plain schema name"),
        ("postgresql://127.0.0.1/db/atlas/extra", "expected postgresql://HOST/DATABASE/SCHEMA, got 3 path parts"),
        ("postgresql://127.0.0.1/db/pg_catalog", "'pg_catalog' is one of PostgreSQL's own schemas"),
        ("postgresql://me:s3cr3t-pw@127.0.0.1/db/Bad", "postgresql://me:***@127.0.0.1/db"),
    ],
)
def test_a_data_url_is_checked_as_schema_is(url: str, message: str) -> None:
    result = run_geo("--data", url, "validate")
    assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
    assert "s3cr3t" not in result.stderr


def test_refusing_a_system_schema_is_a_usage_error() -> None:
    result = run_geo("publish", "--db", "postgresql://127.0.0.1:1/db", "--schema", "pg_catalog")
    assert result.returncode == 2 and "'pg_catalog' is one of PostgreSQL's own schemas" in result.stderr


def test_relations_in_the_way_are_named_ten_at_most(pg: Server, shipped: Catalog) -> None:
    schema = _schema()
    pg.query(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    for number in range(15):
        pg.query(sql.SQL("CREATE TABLE {} (x int)").format(sql.Identifier(schema, f"mine_{number:02d}")))
    with pytest.raises(Exception) as refused:
        publish_catalog(shipped, pg.target(schema))
    text = str(refused.value)
    assert "mine_00, mine_01" in text and "mine_09 and 5 more" in text and "mine_10" not in text


@pytest.mark.parametrize(
    ("db", "secrets"),
    [
        ("host=127.0.0.1 port=1 dbname=x user=u password='wr0ng S3cret zz'", ["wr0ng", "S3cret", " zz"]),
        ("postgresql://u:p4ss@w0rd@127.0.0.1:1/x", ["p4ss", "w0rd"]),
        ("postgresql://u:p%40ss%20w0rd@127.0.0.1:1/x", ["p%40ss", "w0rd", "p@ss"]),
    ],
)
def test_a_password_never_reaches_a_message(db: str, secrets: list[str]) -> None:
    result = run_geo("publish", "--db", db)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "cannot connect to" in result.stderr
    for secret in secrets:
        assert secret not in result.stderr, result.stderr
