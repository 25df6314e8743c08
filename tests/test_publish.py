"""`geo publish` against a real PostgreSQL + PostGIS server, and the atlas read back from it.

The server comes from $GEO_TEST_DATABASE_URL (CI starts a private cluster with .ci/postgres.sh;
locally run `eval "$(.ci/postgres.sh start)"`). Without one the tests skip with the reason;
with CI=true they fail instead. Each test publishes into its own schema of one test database.
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import DATA, ROOT, edit_feature, run_geo, set_properties

psycopg = pytest.importorskip("psycopg", reason="psycopg 3 is not installed (pip install -e '.[test]')")
from psycopg import sql

from geo.catalog import load_catalog
from geo.publish import PublishError
from geo.publish.connect import Target
from geo.publish.read import read_catalog as read_published
from geo.publish.run import publish_catalog
from geo.publish.tables import FEATURE_LINKS, RECORD_LINKS

pytestmark = pytest.mark.postgres
DEFAULT_URL = "postgresql://postgres@127.0.0.1:55432/postgres"  # what .ci/postgres.sh starts


@dataclass
class Server:
    base: str  # the maintenance database URL
    database: str  # a test database with PostGIS

    def url(self, database: str | None = None, *, password: str | None = None, user: str | None = None) -> str:
        parts = urlsplit(self.base)
        netloc = parts.netloc
        if user is not None:
            host = netloc.rsplit("@", 1)[-1]
            netloc = f"{user}:{password}@{host}" if password else f"{user}@{host}"
        return urlunsplit((parts.scheme, netloc, f"/{database or self.database}", parts.query, ""))

    def target(self, schema: str, database: str | None = None) -> Target:
        return Target(self.url(database), schema)

    def connect(self, database: str | None = None, **kwargs):
        return psycopg.connect(self.url(database), autocommit=True, **kwargs)

    def query(self, text, params=None, database: str | None = None) -> list[tuple]:
        with self.connect(database) as conn:
            cursor = conn.execute(text, params)
            return cursor.fetchall() if cursor.description else []


def _unavailable(reason: str):
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}; CI must run the PostgreSQL tests (.ci/run starts a cluster)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def pg():
    base = os.environ.get("GEO_TEST_DATABASE_URL") or DEFAULT_URL
    try:
        admin = psycopg.connect(base, autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        _unavailable(f"no PostgreSQL server at {base} ({str(exc).strip().splitlines()[0]}); "
                     "start one with: eval \"$(.ci/postgres.sh start)\"")
    suffix = uuid.uuid4().hex[:8]
    database, bare = f"geo_test_{suffix}", f"geo_test_nogis_{suffix}"
    with admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(bare)))
        server = Server(base, database)
        try:
            with server.connect() as conn:
                conn.execute("CREATE EXTENSION postgis")
        except psycopg.Error as exc:
            _unavailable(f"PostGIS cannot be installed on {base}: {exc}")
        server.bare = bare
        yield server
        for name in (database, bare):
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def published(pg, catalog):
    """data/ published once into schema `atlas` (read-only for the tests that use it)."""
    report = publish_catalog(catalog, pg.target("atlas"))
    return report


def _schema() -> str:
    return f"t_{uuid.uuid4().hex[:10]}"


def _snapshot(pg: Server, schema: str) -> dict[str, list]:
    """Every row of every table in the schema (publish_log aside), to compare before and after."""
    tables = [row[0] for row in pg.query(
        "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename <> 'publish_log' ORDER BY 1", (schema,))]
    with pg.connect() as conn:
        return {
            table: conn.execute(sql.SQL("SELECT t::text FROM {} t ORDER BY 1").format(sql.Identifier(schema, table))).fetchall()
            for table in tables
        }


# --- what is published --------------------------------------------------------------------------


def read_catalog(target):
    """The published catalog, which must read back without a problem."""
    catalog, problems = read_published(target)
    assert problems == []
    return catalog


def test_read_back_equals_the_catalog_model_by_model(pg, catalog, published):
    back = read_catalog(pg.target("atlas"))
    for kind in ("sources", "projects", "events", "figures", "maps"):
        assert list(getattr(back, kind)) == list(getattr(catalog, kind)), kind  # ids and order
        assert getattr(back, kind) == getattr(catalog, kind), kind  # every field
    assert list(back.layers) == list(catalog.layers)
    for layer_id, layer in catalog.layers.items():
        assert back.layers[layer_id].spec == layer.spec
        assert [f.properties for f in back.layers[layer_id].features] == [f.properties for f in layer.features]
        for mine, theirs in zip(layer.features, back.layers[layer_id].features):
            assert theirs.geometry.equals_exact(mine.geometry, 1e-9), mine.id


def test_layer_tables_have_real_types_srid_4326_gist_and_every_row(pg, catalog, published):
    types = dict(pg.query(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'atlas' AND table_name = 'cities'"))
    assert types["schematic"] == "boolean"
    assert types["accuracy_m"] == "double precision"
    assert types["country"] == "ARRAY" and types["sources"] == "ARRAY"
    for layer_id, layer in catalog.layers.items():
        columns = pg.query("SELECT srid, type FROM geometry_columns WHERE f_table_schema = 'atlas' AND f_table_name = %s",
                           (layer_id,))
        assert columns == [(4326, layer.spec.geometry_type.value.upper())]
        rows = pg.query(sql.SQL("SELECT id, ST_SRID(geom), ST_AsBinary(geom), country, schematic, accuracy_m FROM {} "
                                "ORDER BY position").format(sql.Identifier("atlas", layer_id)))
        assert [row[0] for row in rows] == [f.id for f in layer.features]
        import shapely

        for feature, row in zip(layer.features, rows):
            assert row[1] == 4326
            assert shapely.from_wkb(bytes(row[2])).equals_exact(feature.geometry, 1e-9)
            assert row[3] == feature.properties.country and row[4] is feature.properties.schematic
            assert row[5] == feature.properties.accuracy_m
        index = pg.query("SELECT indexdef FROM pg_indexes WHERE schemaname = 'atlas' AND tablename = %s "
                         "AND indexdef LIKE '%%USING gist%%'", (layer_id,))
        assert len(index) == 1


def test_link_tables_hold_every_join_in_catalog_order(pg, catalog, published):
    for table, owner, owner_col, list_field, _, target_col in RECORD_LINKS:
        rows = pg.query(sql.SQL("SELECT {}, {} FROM {} ORDER BY {}, position").format(
            sql.Identifier(owner_col), sql.Identifier(target_col), sql.Identifier("atlas", table), sql.Identifier(owner_col)))
        expected = sorted(((r.id, item) for r in getattr(catalog, owner).values() for item in getattr(r, list_field)),
                          key=lambda pair: pair[0])
        assert rows == expected, table
    joins = {
        "feature_projects": lambda f: f.properties.projects,
        "feature_events": lambda f: [e.id for e in catalog.events_of(f)],
        "feature_figures": lambda f: [x.id for x in catalog.figures_of(f)],
        "feature_sources": lambda f: [s.id for s in catalog.sources_of(f)],
    }
    assert set(joins) == {link[0] for link in FEATURE_LINKS}
    for table, of in joins.items():
        for feature in catalog.features():
            rows = pg.query(sql.SQL("SELECT {} FROM {} WHERE feature_id = %s ORDER BY position").format(
                sql.Identifier(FEATURE_LINKS[list(joins).index(table)][1]), sql.Identifier("atlas", table)), (feature.id,))
            assert [row[0] for row in rows] == of(feature), (table, feature.id)
    direct = pg.query("SELECT source_id FROM atlas.feature_sources WHERE feature_id = 'gulistan-checkpoint' AND direct ORDER BY position")
    assert [row[0] for row in direct] == catalog.feature("gulistan-checkpoint").properties.sources


def test_foreign_keys_refuse_an_orphan_link_and_cascade(pg, catalog, published):
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        pg.query("INSERT INTO atlas.feature_projects VALUES ('gulistan-checkpoint', 'no-such-project', 9)")
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        pg.query("INSERT INTO atlas.event_features VALUES ('no-such-event', 'astana', 0)")
    cascades = pg.query("SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                        "WHERE n.nspname = 'atlas' AND c.contype = 'f' AND c.confdeltype = 'c'")[0][0]
    every = pg.query("SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
                     "WHERE n.nspname = 'atlas' AND c.contype = 'f'")[0][0]
    assert every == cascades >= 2 * (len(RECORD_LINKS) + len(FEATURE_LINKS)) + len(catalog.layers)


def test_views_join_projects_events_figures_and_sources(pg, catalog, published):
    for layer_id in catalog.layers:
        assert pg.query("SELECT srid FROM geometry_columns WHERE f_table_schema = 'atlas' AND f_table_name = %s",
                        (f"{layer_id}_view",)) == [(4326,)]
    feature = catalog.feature("gulistan-checkpoint")
    row = pg.query("SELECT name, project_names, event_titles, figure_values, source_titles, ST_SRID(geom) "
                   "FROM atlas.border_checkpoints_view WHERE id = %s", (feature.id,))[0]
    assert row[0] == feature.properties.name
    assert row[1] == "; ".join(catalog.projects[p].name for p in feature.properties.projects)
    assert row[2] == "; ".join(" ".join(filter(None, [e.date, e.title])) for e in catalog.events_of(feature))
    assert row[4] == "; ".join(s.title for s in catalog.sources_of(feature))
    if catalog.figures_of(feature):
        assert catalog.figures_of(feature)[0].label in row[3]
    assert row[5] == 4326


def test_every_table_and_column_has_a_comment_from_the_field_dictionary(pg, published):
    missing = pg.query(
        "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'atlas' AND c.relkind = 'r' "
        "AND a.attnum > 0 AND NOT a.attisdropped "
        "AND col_description(c.oid, a.attnum) IS NULL")
    assert missing == []
    tables = pg.query("SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                      "WHERE n.nspname = 'atlas' AND c.relkind IN ('r', 'v') AND obj_description(c.oid) IS NULL")
    assert tables == []
    # From flatten.FIELDS and data/README.md, not written again here.
    def described(table: str, column: str) -> str:
        return pg.query(f"SELECT col_description('atlas.{table}'::regclass, (SELECT attnum FROM pg_attribute "
                        f"WHERE attrelid = 'atlas.{table}'::regclass AND attname = '{column}'))")[0][0]

    assert described("cities", "accuracy_m") == "Estimated positional accuracy in metres"
    assert described("figures", "qualifier") == "the source's hedge"


def test_publish_log_records_hash_date_versions_and_counts(pg, catalog, published):
    from geo.export.provenance import data_date, data_hash

    row = pg.query("SELECT data_hash, data_date, tool_version, libraries, counts, rows_written FROM atlas.publish_log "
                   "WHERE id = %s", (published.log_id,))[0]
    assert row[0] == data_hash(DATA) and row[1] == data_date(catalog)
    assert row[2].startswith("geo-atlas ")
    assert {"psycopg", "postgis", "postgresql"} <= set(row[3])
    assert row[4]["cities"] == {"inserted": len(catalog.layers["cities"].features), "updated": 0, "deleted": 0}
    assert row[5] == published.rows_written > 0


# --- incremental ----------------------------------------------------------------------------------


def test_unchanged_republish_writes_no_row(pg, catalog):
    schema = _schema()
    first = publish_catalog(catalog, pg.target(schema))
    xmins = pg.query(sql.SQL("SELECT id, xmin::text FROM {} ORDER BY id").format(sql.Identifier(schema, "cities")))
    again = publish_catalog(catalog, pg.target(schema))
    assert first.rows_written > 0
    assert again.rows_written == 0
    assert all(c.written == 0 for c in again.counts.values())
    assert pg.query(sql.SQL("SELECT id, xmin::text FROM {} ORDER BY id").format(sql.Identifier(schema, "cities"))) == xmins
    result = run_geo("--data", str(DATA), "publish", "--db", pg.url(), "--schema", schema)
    assert result.returncode == 0 and "0 rows written in 0 tables" in result.output


def test_an_edit_made_in_the_database_is_put_back_by_the_next_publish(pg, catalog):
    schema = _schema()
    publish_catalog(catalog, pg.target(schema))
    pg.query(sql.SQL("UPDATE {} SET name = 'edited in QGIS' WHERE id = 'astana'").format(sql.Identifier(schema, "cities")))
    pg.query(sql.SQL("DELETE FROM {} WHERE source_id = 'art-mazhilis-icic-2025' AND feature_id = 'astana'").format(
        sql.Identifier(schema, "feature_sources")))
    report = publish_catalog(catalog, pg.target(schema))
    written = {name: c.as_dict() for name, c in report.counts.items() if c.written}
    assert written["cities"] == {"inserted": 0, "updated": 1, "deleted": 0}
    assert written["feature_sources"] == {"inserted": 1, "updated": 0, "deleted": 0}
    assert set(written) == {"cities", "feature_sources"}
    assert pg.query(sql.SQL("SELECT name FROM {} WHERE id = 'astana'").format(sql.Identifier(schema, "cities"))) == [
        ("Astana",)]
    assert publish_catalog(catalog, pg.target(schema)).rows_written == 0


def test_a_dropped_or_removed_layer_table_is_made_again_and_filled(pg, catalog, data_copy):
    schema = _schema()
    publish_catalog(catalog, pg.target(schema))
    pg.query(sql.SQL("DROP TABLE {} CASCADE").format(sql.Identifier(schema, "dams")))
    assert publish_catalog(catalog, pg.target(schema)).counts["dams"].inserted == len(catalog.layers["dams"].features)
    # A layer renamed in layers.yaml: the old table goes; named back, it is made and filled again.
    for name, old, new in (("layers.yaml", "- id: dams\n", "- id: dams_renamed\n"), ("maps.yaml", " dams,", " dams_renamed,")):
        text = (data_copy / name).read_text(encoding="utf-8")
        assert old in text
        (data_copy / name).write_text(text.replace(old, new), encoding="utf-8")
    publish_catalog(load_catalog(data_copy), pg.target(schema))
    assert pg.query("SELECT to_regclass(%s) IS NULL", (f"{schema}.dams",)) == [(True,)]
    report = publish_catalog(catalog, pg.target(schema))
    assert report.counts["dams"].inserted == len(catalog.layers["dams"].features)


@pytest.mark.parametrize("items", [[], ["KZ", "UZ"], ['quote " and \\ backslash', "{braces}, commas", "NULL", "", "\n\t"]])
def test_text_arrays_travel_exactly(pg, items):
    from geo.publish.rows import array_literal

    assert pg.query("SELECT %s::text[]", (array_literal(items),)) == [(items,)]


def test_a_changed_and_a_removed_feature_write_exactly_their_rows(pg, catalog, data_copy):
    schema = _schema()
    publish_catalog(catalog, pg.target(schema))
    edit_feature(data_copy, "cities", "astana", set_properties(name="Astana (edited)"))
    path = data_copy / "layers/railway_stations.geojson"
    document = json.loads(path.read_text(encoding="utf-8"))
    removed_id = document["features"].pop()["properties"]["id"]
    path.write_text(json.dumps(document), encoding="utf-8")
    links = {
        table: pg.query(sql.SQL("SELECT count(*) FROM {} WHERE feature_id = %s").format(sql.Identifier(schema, table)),
                        (removed_id,))[0][0]
        for table in ("feature_projects", "feature_events", "feature_figures", "feature_sources")
    }
    assert links["feature_sources"] > 0
    report = publish_catalog(load_catalog(data_copy), pg.target(schema))
    written = {name: c.as_dict() for name, c in report.counts.items() if c.written}
    expected = {
        "cities": {"inserted": 0, "updated": 1, "deleted": 0},
        "railway_stations": {"inserted": 0, "updated": 0, "deleted": 1},
        "features": {"inserted": 0, "updated": 0, "deleted": 1},
        **{table: {"inserted": 0, "updated": 0, "deleted": count} for table, count in links.items() if count},
    }
    assert written == expected
    assert pg.query(sql.SQL("SELECT name FROM {} WHERE id = 'astana'").format(sql.Identifier(schema, "cities"))) == [
        ("Astana (edited)",)]
    assert pg.query(sql.SQL("SELECT count(*) FROM {} WHERE id = %s").format(sql.Identifier(schema, "features")),
                    (removed_id,)) == [(0,)]


def test_publishing_one_layer_leaves_the_others_alone(pg, catalog, data_copy):
    schema = _schema()
    publish_catalog(catalog, pg.target(schema))
    edit_feature(data_copy, "cities", "astana", set_properties(name="Astana (one layer)"))
    edit_feature(data_copy, "dams", "kayrakkum-dam", set_properties(name="Dam (not published)"))
    result = run_geo("--data", str(data_copy), "publish", "--db", pg.url(), "--schema", schema, "--layer", "cities")
    assert result.returncode == 0, result.output
    assert "cities: 0 inserted, 1 updated, 0 deleted" in result.output
    assert pg.query(sql.SQL("SELECT name FROM {} WHERE id = 'kayrakkum-dam'").format(sql.Identifier(schema, "dams"))) != [
        ("Dam (not published)",)]


# --- safe -----------------------------------------------------------------------------------------


def test_a_constraint_failing_midway_leaves_the_previous_publish(pg, catalog, data_copy):
    schema = _schema()
    publish_catalog(catalog, pg.target(schema))
    before = _snapshot(pg, schema)
    # A team's own rule on the layer table; the new data breaks it after the records were merged.
    pg.query(sql.SQL("ALTER TABLE {} ADD CONSTRAINT no_x CHECK (name <> 'X')").format(sql.Identifier(schema, "cities")))
    edit_feature(data_copy, "cities", "astana", set_properties(name="X"))
    edit_feature(data_copy, "dams", "kayrakkum-dam", set_properties(name="changed too"))
    result = run_geo("--data", str(data_copy), "publish", "--db", pg.url(), "--schema", schema)
    assert result.returncode == 1
    assert "failed, nothing was changed" in result.output and "no_x" in result.output
    assert _snapshot(pg, schema) == before
    assert pg.query(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, "publish_log"))) == [(1,)]


def test_a_lost_connection_midway_leaves_the_previous_publish(pg, catalog, data_copy, monkeypatch):
    schema = _schema()
    publish_catalog(catalog, pg.target(schema))
    before = _snapshot(pg, schema)
    edit_feature(data_copy, "dams", "kayrakkum-dam", set_properties(name="Dam (lost)"))
    edit_feature(data_copy, "cities", "astana", set_properties(name="Astana (lost)"))
    from geo.publish import merge, run

    upserted: list[str] = []
    real_upsert = merge.upsert

    def upsert_then_drop(conn, schema_name, table, **options):
        if table.name == "cities":  # the dams are merged already when the connection goes away
            conn.execute("SELECT pg_terminate_backend(pg_backend_pid())")
        upserted.append(table.name)
        return real_upsert(conn, schema_name, table, **options)

    monkeypatch.setattr(run, "upsert", upsert_then_drop)
    with pytest.raises(PublishError, match="nothing was changed"):
        publish_catalog(load_catalog(data_copy), pg.target(schema))
    assert upserted == ["dams"]
    assert _snapshot(pg, schema) == before


def test_two_concurrent_publishes_serialise(pg, catalog, data_copy):
    schema = _schema()
    publish_catalog(catalog, pg.target(schema))
    edit_feature(data_copy, "cities", "astana", set_properties(name="Astana B"))
    other = load_catalog(data_copy)
    # Hold the publish lock: a publish started now must wait for it, not interleave.
    holder = pg.connect()
    holder.autocommit = False
    holder.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"geo-atlas publish {schema}",))
    results: dict[str, object] = {}
    threads = [
        threading.Thread(target=lambda name=name, cat=cat: results.__setitem__(name, publish_catalog(cat, pg.target(schema))))
        for name, cat in (("a", catalog), ("b", other))
    ]
    for thread in threads:
        thread.start()
    waiting_query = ("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
                     "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")
    # Both publishes reach the lock and wait on it (asked until they do; the bound only ends a hang).
    for _ in range(600):
        if pg.query(waiting_query)[0][0] == 2:
            break
        time.sleep(0.05)
    assert pg.query(waiting_query)[0][0] == 2 and not results
    holder.rollback()
    holder.close()
    for thread in threads:
        thread.join(60)
    assert set(results) == {"a", "b"}
    log = pg.query(sql.SQL("SELECT id FROM {} ORDER BY id").format(sql.Identifier(schema, "publish_log")))
    assert len(log) == 3
    name = pg.query(sql.SQL("SELECT name FROM {} WHERE id = 'astana'").format(sql.Identifier(schema, "cities")))[0][0]
    # Whichever ran second saw the first one's result whole: it wrote only the one changed row.
    if results["a"].log_id < results["b"].log_id:
        assert (results["a"].rows_written, results["b"].rows_written, name) == (0, 1, "Astana B")
    else:
        assert (results["b"].rows_written, results["a"].rows_written, name) == (1, 1, "Astana")


HOSTILE = "Robert'); DROP TABLE atlas.cities; -- \"quoted\" \\ $$ {{ 1 }} \t tab ü 🚂"


def test_hostile_strings_stay_data(pg, data_copy):
    schema = _schema()
    edit_feature(data_copy, "cities", "astana", set_properties(name=HOSTILE, note=HOSTILE, geometry_source=HOSTILE))
    hostile = load_catalog(data_copy)
    publish_catalog(hostile, pg.target(schema))
    assert pg.query(sql.SQL("SELECT name, note FROM {} WHERE id = 'astana'").format(sql.Identifier(schema, "cities"))) == [
        (HOSTILE, HOSTILE)]
    back = read_catalog(pg.target(schema))
    assert back.feature("astana").properties == hostile.feature("astana").properties
    assert pg.query("SELECT to_regclass('atlas.cities') IS NOT NULL") == [(True,)]


def test_a_new_nested_model_field_is_published_as_jsonb_and_read_back(pg, catalog, monkeypatch):
    """A figure model that gains a list of alternative values (nested models) still publishes."""
    from pydantic import BaseModel, ConfigDict, Field

    from geo.models import Figure
    from geo.publish import tables

    class Revision(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True)
        value: float
        note: str

    class FigureWithRevisions(Figure):  # a nested field the schema does not have yet
        revisions: list[Revision] = Field(default_factory=list)

    monkeypatch.setitem(tables.RECORD_MODELS, "figures", FigureWithRevisions)
    first = next(iter(catalog.figures))
    figures = {
        i: FigureWithRevisions.model_validate(
            {**f.model_dump(), "revisions": [{"value": 1.5, "note": "restated"}] if i == first else []})
        for i, f in catalog.figures.items()
    }
    import dataclasses

    extended = dataclasses.replace(catalog, figures=figures, _index={})
    schema = _schema()
    publish_catalog(extended, pg.target(schema))
    assert pg.query("SELECT data_type FROM information_schema.columns WHERE table_schema = %s AND table_name = 'figures' "
                    "AND column_name = 'revisions'", (schema,)) == [("jsonb",)]
    back = read_catalog(pg.target(schema))
    assert back.figures == figures


# --- maps and files from the database ------------------------------------------------------------


def test_build_from_the_database_gives_byte_identical_maps(pg, published, tmp_path):
    out = tmp_path / "maps"
    result = run_geo("--data", pg.url() + "/atlas", "build", "--out", str(out))
    assert result.returncode == 0, result.output
    built = sorted(p.name for p in out.iterdir() if p.suffix == ".html")
    assert built == sorted(p.name for p in (ROOT / "maps").iterdir() if p.suffix == ".html")
    for name in built:
        assert (out / name).read_bytes() == (ROOT / "maps" / name).read_bytes(), name
    again = run_geo("--data", pg.url() + "/atlas", "build", "--out", str(out))
    assert "built 5 files" in again.output  # a database source always rebuilds: no file hashes to compare


def test_validate_and_list_read_the_database(pg, catalog, published):
    result = run_geo("--data", pg.url() + "/atlas", "validate")
    assert result.returncode == 0 and f"{len(catalog.figures)} figures" in result.output
    listing = run_geo("--data", pg.url() + "/atlas", "list", "--layer", "cities")
    assert listing.output == run_geo("--data", str(DATA), "list", "--layer", "cities").output


def test_pull_writes_data_files_that_load_to_the_same_catalog(pg, catalog, published, tmp_path):
    out = tmp_path / "pulled"
    result = run_geo("pull", "--db", pg.url(), "--out", str(out))
    assert result.returncode == 0, result.output
    pulled = load_catalog(out)
    assert pulled.figures == catalog.figures and pulled.maps == catalog.maps
    assert [f.properties for f in pulled.features()] == [f.properties for f in catalog.features()]
    assert (out / "base/countries.geojson").read_bytes() == (DATA / "base/countries.geojson").read_bytes()


def test_empty_layers_publish_read_back_and_pull_as_empty_collections(pg, tmp_path):
    """A layer declared before its first feature: a Point, a LineString and a Polygon layer of none."""
    from bench import synth

    data = tmp_path / "data"
    synth.generate(data, 0, lines=0, polygons=0)
    schema = _schema()
    result = run_geo("--data", str(data), "publish", "--db", pg.url(), "--schema", schema)
    assert result.returncode == 0, result.output
    again = run_geo("--data", str(data), "publish", "--db", pg.url(), "--schema", schema)
    assert "0 rows written" in again.output, again.output
    empty = {"bench_points": "POINT", "bench_lines": "LINESTRING", "bench_polygons": "POLYGON"}
    for layer_id, geometry_type in empty.items():
        assert pg.query(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, layer_id))) == [(0,)]
        assert pg.query("SELECT type FROM geometry_columns WHERE f_table_schema = %s AND f_table_name = %s",
                        (schema, layer_id)) == [(geometry_type,)]  # fmt: skip
    listing = run_geo("--data", f"{pg.url()}/{schema}", "list")
    assert "bench_lines  Synthetic railway lines  (0 features, LineString)" in listing.output, listing.output
    out = tmp_path / "pulled"
    pulled = run_geo("pull", "--db", pg.url(), "--schema", schema, "--out", str(out))
    assert pulled.returncode == 0, pulled.output
    for layer_id in empty:
        document = json.loads((out / "layers" / f"{layer_id}.geojson").read_text(encoding="utf-8"))
        assert document["features"] == [], layer_id


def test_pull_refuses_a_layer_file_outside_the_output(pg, catalog, tmp_path):
    schema = _schema()
    publish_catalog(catalog, pg.target(schema))
    pg.query(sql.SQL("UPDATE {} SET file = '../../escaped.geojson' WHERE id = 'dams'").format(sql.Identifier(schema, "layers")))
    result = run_geo("pull", "--db", pg.url(), "--schema", schema, "--out", str(tmp_path / "a" / "pulled"))
    assert result.returncode == 1
    assert "layer file '../../escaped.geojson' would be written outside" in result.output
    assert not (tmp_path / "escaped.geojson").exists() and not (tmp_path / "a" / "pulled").exists()


def test_publish_reads_the_database_url_from_the_environment(pg, published):
    result = run_geo("--data", str(DATA), "publish", env={"DATABASE_URL": pg.url()})
    assert result.returncode == 0, result.stderr
    assert "0 rows written" in result.stdout and "schema 'atlas'" in result.stdout


# --- bad input --------------------------------------------------------------------------------------


def test_unreachable_server_is_a_clear_error_without_the_password():
    result = run_geo("--data", str(DATA), "publish", "--db", "postgresql://someone:s3cret-pw@127.0.0.1:1/atlas")
    assert result.returncode == 1
    assert "cannot connect to postgresql://someone:***@127.0.0.1:1/atlas" in result.output
    assert "s3cret-pw" not in result.output


def test_wrong_credentials_are_a_clear_error_without_the_password(pg):
    pg.query("DROP ROLE IF EXISTS geo_password_test")
    pg.query("CREATE ROLE geo_password_test LOGIN PASSWORD 'right-one'")
    try:
        url = pg.url(user="geo_password_test", password="wrong-one")
        try:
            psycopg.connect(url, connect_timeout=3).close()
            pytest.skip("this server does not check passwords on loopback (not a .ci/postgres.sh cluster)")
        except psycopg.OperationalError:
            pass
        result = run_geo("--data", str(DATA), "publish", "--db", url)
        assert result.returncode == 1
        assert "password authentication failed" in result.output and "wrong-one" not in result.output
        nobody = run_geo("--data", str(DATA), "publish", "--db", pg.url(user="no_such_role_x"))
        assert nobody.returncode == 1 and 'role "no_such_role_x" does not exist' in nobody.output
    finally:
        pg.query("DROP ROLE IF EXISTS geo_password_test")


def test_missing_postgis_is_a_clear_error_and_creates_nothing(pg):
    result = run_geo("--data", str(DATA), "publish", "--db", pg.url(pg.bare))
    assert result.returncode == 1
    assert "PostGIS extension is not installed" in result.output
    assert pg.query("SELECT count(*) FROM pg_namespace WHERE nspname = 'atlas'", database=pg.bare) == [(0,)]


def test_an_ordinary_role_publishes_and_reads_back(pg, catalog, tmp_path):
    """A team's database user is no superuser: CREATE on the database is all publish needs."""
    schema = _schema()
    pg.query("DROP ROLE IF EXISTS geo_publisher")
    pg.query("CREATE ROLE geo_publisher LOGIN")
    pg.query(sql.SQL("GRANT CREATE ON DATABASE {} TO geo_publisher").format(sql.Identifier(pg.database)))
    url = pg.url(user="geo_publisher")
    try:
        result = run_geo("--data", str(DATA), "publish", "--db", url, "--schema", schema)
        assert result.returncode == 0, result.output
        assert pg.query("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = %s", (schema,)) == [
            ("geo_publisher",)]
        again = run_geo("--data", str(DATA), "publish", "--db", url, "--schema", schema)
        assert "0 rows written" in again.output
        listing = run_geo("--data", f"{url}/{schema}", "list", "--layer", "dams")
        assert listing.returncode == 0 and "kayrakkum-dam" in listing.output
    finally:
        pg.query(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        pg.query(sql.SQL("REVOKE CREATE ON DATABASE {} FROM geo_publisher").format(sql.Identifier(pg.database)))
        pg.query("DROP ROLE IF EXISTS geo_publisher")


def test_a_schema_owned_by_someone_else_is_refused(pg):
    schema = _schema()
    pg.query("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'geo_other_owner') "
             "THEN CREATE ROLE geo_other_owner; END IF; END $$")
    try:
        pg.query(sql.SQL("CREATE SCHEMA {} AUTHORIZATION geo_other_owner").format(sql.Identifier(schema)))
        result = run_geo("--data", str(DATA), "publish", "--db", pg.url(), "--schema", schema)
        assert result.returncode == 1
        assert f"schema '{schema}' is owned by role 'geo_other_owner'" in result.output
        assert _snapshot(pg, schema) == {}
    finally:  # roles outlive the test database: leave none behind
        pg.query(sql.SQL("DROP SCHEMA IF EXISTS {}").format(sql.Identifier(schema)))
        pg.query("DROP ROLE IF EXISTS geo_other_owner")


def test_a_foreign_table_in_the_schema_is_refused_and_nothing_changes(pg, catalog, data_copy):
    schema = _schema()
    publish_catalog(catalog, pg.target(schema))
    pg.query(sql.SQL("CREATE TABLE {} (x int)").format(sql.Identifier(schema, "my_notes")))
    before = _snapshot(pg, schema)
    edit_feature(data_copy, "cities", "astana", set_properties(name="never written"))
    result = run_geo("--data", str(data_copy), "publish", "--db", pg.url(), "--schema", schema)
    assert result.returncode == 1
    assert f"schema '{schema}' holds relations the atlas did not create: my_notes" in result.output
    assert _snapshot(pg, schema) == before


def test_reading_a_schema_with_nothing_published_is_a_clear_error(pg):
    result = run_geo("--data", pg.url() + "/nothing_here", "validate")
    assert result.returncode == 1
    assert "no atlas is published in schema 'nothing_here'" in result.output


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        ([], {}, "no database given"),
        (["--db", "postgresql://x@127.0.0.1:1/db", "--schema", "Bad-Name"], {}, "is not a plain schema name"),
        (["--db", "postgresql://x@127.0.0.1:1/db", "--layer", "roads"], {}, "unknown layer roads"),
    ],
)
def test_usage_errors_exit_2(args, env, message, monkeypatch):
    for name in ("DATABASE_URL", "PGHOST", "PGHOSTADDR", "PGPORT", "PGDATABASE", "PGUSER", "PGSERVICE"):
        monkeypatch.delenv(name, raising=False)
    result = run_geo("--data", str(DATA), "publish", *args)
    assert result.returncode == 2
    assert message in result.output
