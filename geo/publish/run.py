"""`geo publish`: the whole catalog into a PostGIS schema in one transaction, incrementally.

One advisory lock per schema serialises concurrent publishes; any failure rolls everything
back, so the previous publish stays whole.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from typing import TYPE_CHECKING, Any

from psycopg import sql

from geo import __version__
from geo.catalog import Catalog
from geo.publish import ddl, state
from geo.publish.connect import Target, connect
from geo.publish.errors import PublishError
from geo.publish.merge import Counts, delete_missing, stage, upsert
from geo.publish.rows import table_rows
from geo.publish.tables import Schema, build_schema, view_name

if TYPE_CHECKING:
    from psycopg import Connection

    from geo.models import LayerSpec

LOCK_NAMESPACE = "geo-atlas publish"
_LIBRARIES = ("psycopg", "pydantic", "shapely", "geopandas")


@dataclass
class PublishReport:
    schema: str
    counts: dict[str, Counts] = field(default_factory=dict)
    log_id: int | None = None
    seconds: dict[str, float] = field(default_factory=dict)  # wall time per phase, for the benchmark

    def timed(self, phase: str, start: float) -> float:
        now = time.perf_counter()
        self.seconds[phase] = self.seconds.get(phase, 0.0) + now - start
        return now

    @property
    def rows_written(self) -> int:
        return sum(c.written for c in self.counts.values())


def _libraries() -> dict[str, str]:
    versions = {}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "missing"
    return versions


def _server_versions(conn: Connection[Any]) -> dict[str, str]:
    row = conn.execute("SELECT current_setting('server_version'), postgis_lib_version()").fetchone()
    assert row is not None  # a SELECT without FROM returns one row
    server, postgis = row
    return {"postgresql": server, "postgis": postgis}


def publish_catalog(
    catalog: Catalog,
    target: Target,
    *,
    layers: list[str] | None = None,
    progress: Callable[[str], None] = lambda line: None,
) -> PublishReport:
    """Publish the catalog (or only the named layers' tables) into target.schema; raise PublishError."""
    import psycopg

    all_specs = [layer.spec for layer in catalog.layers.values()]
    chosen = [spec for spec in all_specs if not layers or spec.id in layers]
    schema_def = build_schema(chosen, catalog.field_dictionary)
    ddl.check_layer_names(build_schema(all_specs, None))
    report = PublishReport(target.schema)
    start = time.perf_counter()
    conn = connect(target)
    try:
        with conn.transaction():
            ddl.check_postgis(conn, target.shown)
            ddl.prefer_fast_compression(conn)
            conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"{LOCK_NAMESPACE} {target.schema}",))
            relations = ddl.existing_relations(conn, target.schema)
            ddl.check_owner(conn, target.schema)
            previous = ddl.published_layers(conn, target.schema, relations)
            all_ids = [spec.id for spec in all_specs]
            ours = _ours(previous, all_ids)
            ddl.check_foreign(target.schema, relations, ours)
            created = ddl.create_tables(
                conn, target.schema, schema_def, relations
            )  # (and drops a layer table whose type changed)
            existing = set(relations) - created
            if not layers:
                ddl.drop_layers(conn, target.schema, [name for name in previous if name not in all_ids])
            start = report.timed("checks and tables", start)
            _merge_all(conn, catalog, target.schema, schema_def, report, progress, existing)
            start = time.perf_counter()
            ddl.finish_tables(conn, target.schema, schema_def, created)
            start = report.timed("keys, indexes, foreign keys", start)
            ddl.create_views(conn, target.schema, schema_def)
            ddl.comment(conn, target.schema, schema_def)
            report.log_id = _log(
                conn, catalog, target.schema, chosen, report, catalog.identity.data_hash, catalog.identity.data_date
            )
            start = report.timed("views, comments, log", start)
        report.timed("commit", start)
    except psycopg.Error as exc:
        reason = target.masked(str(exc)) or type(exc).__name__
        raise PublishError(
            f"publish to {target.shown} (schema '{target.schema}') failed, nothing was changed: {reason}"
        ) from None
    finally:
        conn.close()
    return report


def _ours(previous: list[str], layer_ids: list[str]) -> set[str]:
    from geo.publish.tables import FIXED_TABLES

    names = set(FIXED_TABLES) | {"publish_log_id_seq"}  # publish_state is in FIXED_TABLES
    for layer_id in {*previous, *layer_ids}:
        names |= {layer_id, view_name(layer_id)}
    return names


def _merge_all(
    conn: Connection[Any],
    catalog: Catalog,
    schema: str,
    schema_def: Schema,
    report: PublishReport,
    progress: Callable[[str], None],
    existing: set[str],
) -> None:
    """Stage every table that changed, delete what is gone (children first), then upsert (parents first)."""
    start = time.perf_counter()
    tables = schema_def.tables
    cache: dict[str, Any] = {}
    state.create(conn, schema, list(tables))
    state.begin(conn)
    known = state.load(conn, schema)
    digests: dict[str, str] = {}
    staged = []
    for table in tables:
        report.counts[table.name] = Counts()
        rows = table_rows(catalog, schema_def, table.name, cache)
        previous = known.get(table.name)
        # A layer table's digest comes from its features directly (the biggest tables, hashed in C).
        layer_digest = state.layer_digest(table, catalog.layers[table.name]) if table.geometry_type else None
        if previous is not None and not previous[1] and table.name in existing:  # untouched since: compare digests
            digests[table.name] = layer_digest or state.digest_of(table, rows)
            if digests[table.name] == previous[0]:
                continue
            rows = table_rows(catalog, schema_def, table.name, cache)
        sink: list[str] = []
        stage(conn, table, rows if layer_digest else state.digest_rows(table, rows, sink))
        digests[table.name] = layer_digest or sink[0]
        staged.append(table)
    start = report.timed("rows: digest and COPY", start)
    for table in reversed(staged):
        if table.name in existing:
            report.counts[table.name].deleted = delete_missing(conn, schema, table)
    for table in staged:
        counts = report.counts[table.name]
        counts.inserted, counts.updated = upsert(conn, schema, table, fresh=table.name not in existing)
        if counts.written:
            progress(f"{table.name}: {counts.inserted} inserted, {counts.updated} updated, {counts.deleted} deleted")
    state.save(conn, schema, digests, known, keep=set(ddl.existing_relations(conn, schema)))
    report.timed("rows: delete and upsert", start)


def _log(
    conn: Connection[Any],
    catalog: Catalog,
    schema: str,
    chosen: list[LayerSpec],
    report: PublishReport,
    digest: str,
    date: str | None,
) -> int:
    libraries = {**_libraries(), **_server_versions(conn)}
    counts = {name: c.as_dict() for name, c in report.counts.items()}
    row = conn.execute(
        sql.SQL(
            "INSERT INTO {} (data_hash, data_date, tool_version, libraries, layers, counts, rows_written) "
            "VALUES (%s, %s, %s, %s::jsonb, %s, %s::jsonb, %s) RETURNING id"
        ).format(sql.Identifier(schema, "publish_log")),
        (
            digest,
            date,
            f"geo-atlas {__version__}",
            json.dumps(libraries),
            [s.id for s in chosen],
            json.dumps(counts),
            report.rows_written,
        ),
    ).fetchone()
    assert row is not None  # INSERT ... RETURNING of one row returns one row
    log_id: int = row[0]
    return log_id
