"""`geo publish` against a real PostgreSQL + PostGIS server, and the atlas read back from it.

The server comes from $GEO_TEST_DATABASE_URL (CI starts a private cluster with .ci/postgres.sh;
locally run `eval "$(.ci/postgres.sh start)"`). Without one the tests skip with the reason;
with CI=true they fail instead. Each test publishes into its own schema of one test database.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import shapely

from tests.conftest import DATA, ROOT, edit_feature, file_digest, run_geo, set_properties

psycopg = pytest.importorskip("psycopg", reason="psycopg 3 is not installed (pip install -e '.[test]')")
from psycopg import sql

from geo.catalog import Catalog, load_catalog
from geo.catalog import read_catalog as read_data_catalog
from geo.models import FigureValue
from geo.publish import PublishError
from geo.publish.connect import Target
from geo.publish.read import read_catalog as read_published
from geo.publish.run import publish_catalog
from geo.publish.tables import FEATURE_LINKS, RECORD_LINKS
from geo.validate import validate_catalog

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
        _unavailable(
            f"no PostgreSQL server at {base} ({str(exc).strip().splitlines()[0]}); "
            'start one with: eval "$(.ci/postgres.sh start)"'
        )
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
    tables = [
        row[0]
        for row in pg.query(
            "SELECT tablename FROM pg_tables WHERE schemaname = %s AND tablename <> 'publish_log' ORDER BY 1", (schema,)
        )
    ]
    with pg.connect() as conn:
        return {
            table: conn.execute(
                sql.SQL("SELECT t::text FROM {} t ORDER BY 1").format(sql.Identifier(schema, table))
            ).fetchall()
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
    types = dict(
        pg.query(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = 'atlas' AND table_name = 'cities'"
        )
    )
    assert types["schematic"] == "boolean"
    assert types["accuracy_m"] == "double precision"
    assert types["country"] == "ARRAY" and types["sources"] == "ARRAY"
    for layer_id, layer in catalog.layers.items():
        columns = pg.query(
            "SELECT srid, type FROM geometry_columns WHERE f_table_schema = 'atlas' AND f_table_name = %s", (layer_id,)
        )
        assert columns == [(4326, layer.spec.geometry_type.value.upper())]
        rows = pg.query(
            sql.SQL(
                "SELECT id, ST_SRID(geom), ST_AsBinary(geom), country, schematic, accuracy_m FROM {} ORDER BY position"
            ).format(sql.Identifier("atlas", layer_id))
        )
        assert [row[0] for row in rows] == [f.id for f in layer.features]
        import shapely

        for feature, row in zip(layer.features, rows):
            assert row[1] == 4326
            assert shapely.from_wkb(bytes(row[2])).equals_exact(feature.geometry, 1e-9)
            assert row[3] == feature.properties.country and row[4] is feature.properties.schematic
            assert row[5] == feature.properties.accuracy_m
        index = pg.query(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = 'atlas' AND tablename = %s "
            "AND indexdef LIKE '%%USING gist%%'",
            (layer_id,),
        )
        assert len(index) == 1


def test_link_tables_hold_every_join_in_catalog_order(pg, catalog, published):
    for table, owner, owner_col, list_field, _, target_col in RECORD_LINKS:
        rows = pg.query(
            sql.SQL("SELECT {}, {} FROM {} ORDER BY {}, position").format(
                sql.Identifier(owner_col),
                sql.Identifier(target_col),
                sql.Identifier("atlas", table),
                sql.Identifier(owner_col),
            )
        )
        expected = sorted(
            ((r.id, item) for r in getattr(catalog, owner).values() for item in getattr(r, list_field)),
            key=lambda pair: pair[0],
        )
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
            rows = pg.query(
                sql.SQL("SELECT {} FROM {} WHERE feature_id = %s ORDER BY position").format(
                    sql.Identifier(FEATURE_LINKS[list(joins).index(table)][1]), sql.Identifier("atlas", table)
                ),
                (feature.id,),
            )
            assert [row[0] for row in rows] == of(feature), (table, feature.id)
    direct = pg.query(
        "SELECT source_id FROM atlas.feature_sources WHERE feature_id = 'gulistan-checkpoint' AND direct ORDER BY position"
    )
    assert [row[0] for row in direct] == catalog.feature("gulistan-checkpoint").properties.sources


def test_foreign_keys_refuse_an_orphan_link_and_cascade(pg, catalog, published):
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        pg.query("INSERT INTO atlas.feature_projects VALUES ('gulistan-checkpoint', 'no-such-project', 9)")
    with pytest.raises(psycopg.errors.ForeignKeyViolation):
        pg.query("INSERT INTO atlas.event_features VALUES ('no-such-event', 'astana', 0)")
    cascades = pg.query(
        "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
        "WHERE n.nspname = 'atlas' AND c.contype = 'f' AND c.confdeltype = 'c'"
    )[0][0]
    every = pg.query(
        "SELECT count(*) FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
        "WHERE n.nspname = 'atlas' AND c.contype = 'f'"
    )[0][0]
    assert every == cascades >= 2 * (len(RECORD_LINKS) + len(FEATURE_LINKS)) + len(catalog.layers)


def test_views_join_projects_events_figures_and_sources(pg, catalog, published):
    for layer_id in catalog.layers:
        assert pg.query(
            "SELECT srid FROM geometry_columns WHERE f_table_schema = 'atlas' AND f_table_name = %s",
            (f"{layer_id}_view",),
        ) == [(4326,)]
    feature = catalog.feature("gulistan-checkpoint")
    row = pg.query(
        "SELECT name, project_names, event_titles, figure_values, source_titles, ST_SRID(geom) "
        "FROM atlas.border_checkpoints_view WHERE id = %s",
        (feature.id,),
    )[0]
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
        "AND col_description(c.oid, a.attnum) IS NULL"
    )
    assert missing == []
    tables = pg.query(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'atlas' AND c.relkind IN ('r', 'v') AND obj_description(c.oid) IS NULL"
    )
    assert tables == []

    # From flatten.FIELDS and data/README.md, not written again here.
    def described(table: str, column: str) -> str:
        return pg.query(
            f"SELECT col_description('atlas.{table}'::regclass, (SELECT attnum FROM pg_attribute "
            f"WHERE attrelid = 'atlas.{table}'::regclass AND attname = '{column}'))"
        )[0][0]

    assert described("cities", "accuracy_m") == "Estimated positional accuracy in metres"
    assert described("figures", "qualifier") == "the source's hedge"


def test_publish_log_records_hash_date_versions_and_counts(pg, catalog, published):

    row = pg.query(
        "SELECT data_hash, data_date, tool_version, libraries, counts, rows_written FROM atlas.publish_log "
        "WHERE id = %s",
        (published.log_id,),
    )[0]
    assert row[0] == catalog.identity.data_hash and row[1] == catalog.identity.data_date
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
    assert (
        pg.query(sql.SQL("SELECT id, xmin::text FROM {} ORDER BY id").format(sql.Identifier(schema, "cities"))) == xmins
    )
    result = run_geo("--data", str(DATA), "publish", "--db", pg.url(), "--schema", schema)
    assert result.returncode == 0 and "0 rows written in 0 tables" in result.output


def test_an_edit_made_in_the_database_is_put_back_by_the_next_publish(pg, catalog):
    schema = _schema()
    publish_catalog(catalog, pg.target(schema))
    pg.query(
        sql.SQL("UPDATE {} SET name = 'edited in QGIS' WHERE id = 'astana'").format(sql.Identifier(schema, "cities"))
    )
    pg.query(
        sql.SQL("DELETE FROM {} WHERE source_id = 'art-mazhilis-icic-2025' AND feature_id = 'astana'").format(
            sql.Identifier(schema, "feature_sources")
        )
    )
    report = publish_catalog(catalog, pg.target(schema))
    written = {name: c.as_dict() for name, c in report.counts.items() if c.written}
    assert written["cities"] == {"inserted": 0, "updated": 1, "deleted": 0}
    assert written["feature_sources"] == {"inserted": 1, "updated": 0, "deleted": 0}
    assert set(written) == {"cities", "feature_sources"}
    assert pg.query(sql.SQL("SELECT name FROM {} WHERE id = 'astana'").format(sql.Identifier(schema, "cities"))) == [
        ("Astana",)
    ]
    assert publish_catalog(catalog, pg.target(schema)).rows_written == 0


def test_a_dropped_or_removed_layer_table_is_made_again_and_filled(pg, catalog, data_copy):
    schema = _schema()
    publish_catalog(catalog, pg.target(schema))
    pg.query(sql.SQL("DROP TABLE {} CASCADE").format(sql.Identifier(schema, "dams")))
    assert publish_catalog(catalog, pg.target(schema)).counts["dams"].inserted == len(catalog.layers["dams"].features)
    # A layer renamed in layers.yaml: the old table goes; named back, it is made and filled again.
    for name, old, new in (
        ("layers.yaml", "- id: dams\n", "- id: dams_renamed\n"),
        ("maps.yaml", " dams,", " dams_renamed,"),
    ):
        text = (data_copy / name).read_text(encoding="utf-8")
        assert old in text
        (data_copy / name).write_text(text.replace(old, new), encoding="utf-8")
    publish_catalog(load_catalog(data_copy), pg.target(schema))
    assert pg.query("SELECT to_regclass(%s) IS NULL", (f"{schema}.dams",)) == [(True,)]
    report = publish_catalog(catalog, pg.target(schema))
    assert report.counts["dams"].inserted == len(catalog.layers["dams"].features)


@pytest.mark.parametrize(
    "items", [[], ["KZ", "UZ"], ['quote " and \\ backslash', "{braces}, commas", "NULL", "", "\n\t"]]
)
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
        table: pg.query(
            sql.SQL("SELECT count(*) FROM {} WHERE feature_id = %s").format(sql.Identifier(schema, table)),
            (removed_id,),
        )[0][0]
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
        ("Astana (edited)",)
    ]
    assert pg.query(
        sql.SQL("SELECT count(*) FROM {} WHERE id = %s").format(sql.Identifier(schema, "features")), (removed_id,)
    ) == [(0,)]


def test_publishing_one_layer_leaves_the_others_alone(pg, catalog, data_copy):
    schema = _schema()
    publish_catalog(catalog, pg.target(schema))
    edit_feature(data_copy, "cities", "astana", set_properties(name="Astana (one layer)"))
    edit_feature(data_copy, "dams", "kayrakkum-dam", set_properties(name="Dam (not published)"))
    result = run_geo("--data", str(data_copy), "publish", "--db", pg.url(), "--schema", schema, "--layer", "cities")
    assert result.returncode == 0, result.output
    assert "cities: 0 inserted, 1 updated, 0 deleted" in result.output
    assert pg.query(
        sql.SQL("SELECT name FROM {} WHERE id = 'kayrakkum-dam'").format(sql.Identifier(schema, "dams"))
    ) != [("Dam (not published)",)]


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
        threading.Thread(
            target=lambda name=name, cat=cat: results.__setitem__(name, publish_catalog(cat, pg.target(schema)))
        )
        for name, cat in (("a", catalog), ("b", other))
    ]
    for thread in threads:
        thread.start()
    waiting_query = (
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
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


HOSTILE = 'Robert\'); DROP TABLE atlas.cities; -- "quoted" \\ $$ {{ 1 }} \t tab ü 🚂'


def test_hostile_strings_stay_data(pg, data_copy):
    schema = _schema()
    edit_feature(data_copy, "cities", "astana", set_properties(name=HOSTILE, note=HOSTILE, geometry_source=HOSTILE))
    hostile = load_catalog(data_copy)
    publish_catalog(hostile, pg.target(schema))
    assert pg.query(
        sql.SQL("SELECT name, note FROM {} WHERE id = 'astana'").format(sql.Identifier(schema, "cities"))
    ) == [(HOSTILE, HOSTILE)]
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
            {**f.model_dump(), "revisions": [{"value": 1.5, "note": "restated"}] if i == first else []}
        )
        for i, f in catalog.figures.items()
    }
    import dataclasses

    extended = dataclasses.replace(catalog, figures=figures, _index={})
    schema = _schema()
    publish_catalog(extended, pg.target(schema))
    assert pg.query(
        "SELECT data_type FROM information_schema.columns WHERE table_schema = %s AND table_name = 'figures' "
        "AND column_name = 'revisions'",
        (schema,),
    ) == [("jsonb",)]
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
        assert file_digest(out / name) == file_digest(ROOT / "maps" / name), name
    again = run_geo("--data", pg.url() + "/atlas", "build", "--out", str(out))
    assert "built 5 files" in again.output  # a database source always rebuilds: no file hashes to compare
    # The base files the maps were built from went in with lz4 (this server has it), not pglz.
    methods = pg.query(
        sql.SQL("SELECT DISTINCT pg_column_compression(content) FROM {} WHERE length(content) > 100000").format(
            sql.Identifier("atlas", "base_files")
        )
    )
    assert methods == [("lz4",)]


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
    pg.query(
        sql.SQL("UPDATE {} SET file = '../../escaped.geojson' WHERE id = 'dams'").format(
            sql.Identifier(schema, "layers")
        )
    )
    result = run_geo("pull", "--db", pg.url(), "--schema", schema, "--out", str(tmp_path / "a" / "pulled"))
    assert result.returncode == 1
    assert (
        f"{schema}.layers: dams: field 'file': '../../escaped.geojson' must not leave the data directory ('..')"
        in result.output
    )
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
            ("geo_publisher",)
        ]
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
    pg.query(
        "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'geo_other_owner') "
        "THEN CREATE ROLE geo_other_owner; END IF; END $$"
    )
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


# --- the database path held to the standard of the files ------------------------------------------
# What goes into PostGIS comes back out (records, layers and the data hash, for the shipped data and
# for generated data with edge values); what data/ would refuse is refused from the database too,
# naming schema.table and the record id; geo pull is guarded like every other writer; passwords are
# masked by libpq's own parsing; a --data postgresql://… URL is checked as --schema is.


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


def test_the_shipped_data_round_trips_with_its_data_hash(
    pg: Server, catalog: Catalog, published, tmp_path: Path
) -> None:
    _round_trip(pg, catalog, "atlas", tmp_path / "pulled")
    logged = pg.query(sql.SQL("SELECT data_hash, data_date FROM {} ORDER BY id DESC LIMIT 1").format(
        sql.Identifier("atlas", "publish_log")))  # fmt: skip
    assert logged == [(catalog.identity.data_hash, catalog.identity.data_date)]


EDGE_TEXT = [
    "a quote \" and a backslash \\ and \\N, COPY's null",
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
            features.append(
                dataclasses.replace(feature, properties=dataclasses.replace(props, **changes), geometry=geometry)
            )
        layers[layer_id] = dataclasses.replace(layer, features=features)
    figures = {}
    for figure_id, figure in shipped.figures.items():
        update: dict[str, object] = {"note": rng.choice(EDGE_TEXT)}
        if figure.measure is None:
            update["value"] = rng.choice(EDGE_NUMBERS)
            update["alternatives"] = [
                *figure.alternatives,
                *(
                    FigureValue(value=value, unit=figure.unit, sources=figure.sources)
                    for value in rng.sample(EDGE_NUMBERS, 3)
                ),
            ]
        figures[figure_id] = figure.model_copy(update=update)
    events = {i: e.model_copy(update={"note": rng.choice([None, *EDGE_TEXT])}) for i, e in shipped.events.items()}
    return dataclasses.replace(
        shipped, layers=layers, figures=figures, events=events, _index={}, _identity=None, _context=None
    )


@pytest.mark.parametrize("seed", [1])
def test_generated_edge_values_round_trip_with_their_data_hash(
    pg: Server, catalog: Catalog, tmp_path: Path, seed: int
) -> None:
    from geo.publish.pull import data_files

    data = tmp_path / "data"
    for name, content in data_files(_edge_catalog(catalog, seed)).items():
        (data / name).parent.mkdir(parents=True, exist_ok=True)
        (data / name).write_bytes(content)
    original, problems = read_data_catalog(data)  # the generated data, as data/'s reader reads it
    assert problems == [] and validate_catalog(original) == []
    assert original.identity != catalog.identity
    schema = _schema()
    published = run_geo("--data", str(data), "publish", "--db", pg.url(), "--schema", schema)
    assert published.returncode == 0, published.stderr
    _round_trip(pg, original, schema, tmp_path / "pulled")


def test_an_export_from_postgis_states_the_data_hash_of_data(
    pg: Server, catalog: Catalog, published, tmp_path: Path
) -> None:
    hashes = []
    for name, source in (("files", str(DATA)), ("db", f"{pg.url()}/atlas")):
        result = run_geo(
            "--data", source, "export", "--out", str(tmp_path / name), "--format", "csv", "--layer", "dams"
        )
        assert result.returncode == 0, result.stderr
        hashes.append(json.loads((tmp_path / name / "manifest.json").read_text(encoding="utf-8"))["data"])
    assert hashes[0] == hashes[1] == {"hash": catalog.identity.data_hash, "date": catalog.identity.data_date}


def test_a_nan_alternative_is_refused_before_it_can_be_published(pg: Server, data_copy: Path) -> None:
    figures = data_copy / "metadata" / "figures.yaml"
    figures.write_text(
        figures.read_text(encoding="utf-8").replace("    - value: 50\n", "    - value: .nan\n", 1), encoding="utf-8"
    )
    schema = _schema()
    result = run_geo("--data", str(data_copy), "publish", "--db", pg.url(), "--schema", schema)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        "figures.yaml: icic-kz-section-area: field 'alternatives[0].value': Input should be a finite number"
        in result.stderr
    )
    assert pg.query("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)) == []


def test_what_data_would_refuse_is_refused_from_the_database_by_table_and_id(
    pg: Server, catalog: Catalog, tmp_path: Path
) -> None:
    """A city turned into a LineString and another into a MultiPoint (view dropped, column made
    generic), an infinite accuracy, a NULL flag, a NaN alternative: each named schema.table and id."""
    schema = _schema()
    publish_catalog(catalog, pg.target(schema))
    cities, figures = sql.Identifier(schema, "cities"), sql.Identifier(schema, "figures")
    for statement in (
        sql.SQL("DROP VIEW {}").format(sql.Identifier(schema, "cities_view")),
        sql.SQL("ALTER TABLE {} ALTER COLUMN geom TYPE geometry(Geometry, 4326)").format(cities),
        sql.SQL(
            "UPDATE {} SET geom = ST_GeomFromText('LINESTRING(69.2 41.3, 69.3 41.4)', 4326) WHERE id = 'tashkent'"
        ).format(cities),
        sql.SQL(
            "UPDATE {} SET geom = ST_GeomFromText('MULTIPOINT((68.8 40.5))', 4326) WHERE id = 'gulistan-uz'"
        ).format(cities),
        sql.SQL("UPDATE {} SET accuracy_m = 'Infinity' WHERE id = 'astana'").format(cities),
        sql.SQL("ALTER TABLE {} ALTER COLUMN schematic DROP NOT NULL").format(cities),
        sql.SQL("UPDATE {} SET schematic = NULL WHERE id = 'dushanbe'").format(cities),
        sql.SQL(
            "UPDATE {} SET alternatives = jsonb_set(alternatives, '{{0,value}}', 'null') WHERE id = 'icic-kz-section-area'"
        ).format(figures),
    ):
        pg.query(statement)
    result = run_geo("--data", f"{pg.url()}/{schema}", "validate")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    problems = [line.removeprefix("  - ") for line in result.stderr.splitlines()[1:]]
    for expected in (
        f"{schema}.cities: tashkent: field 'geometry.type': layer 'cities' holds Point geometries, got 'LineString'",
        f"{schema}.cities: gulistan-uz: field 'geometry.type': layer 'cities' holds Point geometries, got 'MultiPoint'",
        f"{schema}.cities: astana: field 'accuracy_m': Input should be a finite number (got inf)",
        f"{schema}.cities: dushanbe: field 'schematic': Input should be a valid boolean (got None)",
        f"{schema}.figures: icic-kz-section-area: field 'alternatives[0].value': Input should be a valid number (got None)",
    ):
        assert expected in problems, result.stderr
    assert not any("geo-atlas-db" in line or "/tmp" in line or ": #" in line for line in problems), problems
    built = run_geo("--data", f"{pg.url()}/{schema}", "build", "--out", str(tmp_path / "maps"))
    assert built.returncode == 1 and "Traceback" not in built.stderr and problems[0] in built.stderr


def test_a_pull_killed_while_writing_is_cleaned_up_by_the_next(pg: Server, published, tmp_path: Path) -> None:
    out, private_tmp = tmp_path / "pulled", tmp_path / "tmp"
    private_tmp.mkdir()
    env = {**os.environ, "TMPDIR": str(private_tmp), "PYTHONIOENCODING": "utf-8"}
    killed = subprocess.run(
        [sys.executable, "-m", "tests.faults", "pull-file-3", "pull", "--db", pg.url(), "--schema", "atlas", "--out", str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert killed.returncode == -9, killed.stderr
    assert (tmp_path / ".pulled.pull").is_dir() and not out.exists()  # what kill -9 leaves
    again = run_geo("pull", "--db", pg.url(), "--schema", "atlas", "--out", str(out))
    assert again.returncode == 0, again.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pulled", "tmp"]  # no staging, no lock file
    assert list(private_tmp.iterdir()) == []  # nothing in the system's temporary directory either
    assert load_catalog(out).identity == load_catalog(DATA).identity


def test_two_pulls_into_one_out_give_one_result_and_one_named_refusal(
    pg: Server, published, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import geo.publish.pull as pull

    out = tmp_path / "pulled"
    writing, release = threading.Event(), threading.Event()

    write_file = pull.write_file

    def write_and_hold(path: Path, payload: bytes) -> None:  # the first pull, held after its first file
        write_file(path, payload)
        if not writing.is_set():
            writing.set()
            release.wait(30)

    monkeypatch.setattr(pull, "write_file", write_and_hold)
    back, _ = read_published(pg.target("atlas"))
    first: dict[str, object] = {}
    thread = threading.Thread(target=lambda: first.setdefault("files", pull.write_data_dir(back, out)))
    thread.start()
    try:
        assert writing.wait(30)
        second = run_geo("pull", "--db", pg.url(), "--schema", "atlas", "--out", str(out))
    finally:
        release.set()
        thread.join(60)
    assert second.returncode == 1 and "Traceback" not in second.stderr
    assert f"is in use by `geo pull` (pid {os.getpid()}" in second.stderr
    assert first["files"] and load_catalog(out).identity == load_catalog(DATA).identity
    third = run_geo("pull", "--db", pg.url(), "--schema", "atlas", "--out", str(out))
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


def test_relations_in_the_way_are_named_ten_at_most(pg: Server, catalog: Catalog) -> None:
    schema = _schema()
    pg.query(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema)))
    for number in range(15):
        pg.query(sql.SQL("CREATE TABLE {} (x int)").format(sql.Identifier(schema, f"mine_{number:02d}")))
    with pytest.raises(Exception) as refused:
        publish_catalog(catalog, pg.target(schema))
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


def test_geo_diff_compares_a_published_schema_with_data_record_by_record(pg, catalog, published, tmp_path):
    """`geo diff postgresql://…/SCHEMA DIR`: nothing against the data published, exactly the edits made since."""
    from tests.test_site import _known_edits

    published_catalog = catalog
    url = pg.url() + "/atlas"
    same = run_geo("diff", url, str(DATA))
    assert same.returncode == 0, same.stderr
    assert same.stdout.strip() == "no differences"
    edited = tmp_path / "data"
    shutil.copytree(DATA, edited)
    _known_edits(edited)
    report = json.loads(run_geo("diff", "--json", url, str(edited)).stdout)
    assert {(c["change"], c["kind"], c["id"]) for c in report["changes"]} == {
        ("added", "feature", "new-town"), ("removed", "feature", "aktobe"), ("changed", "feature", "tashkent"),
        ("changed", "feature", "khujand"), ("changed", "project", next(iter(published_catalog.projects))),
    }  # fmt: skip
    assert report["old"]["label"] == url and report["old"]["version"] == published_catalog.atlas.version
