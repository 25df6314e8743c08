"""Make the schema ready for a publish: check the server and the schema are ours, then create
or extend tables, indexes, views and comments. Runs inside the publish transaction, after the lock.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from psycopg import sql

from geo.publish.errors import PublishError
from geo.publish.tables import FIXED_TABLES, Schema, Table, view_name

if TYPE_CHECKING:
    from psycopg import Connection

SCHEMA_COMMENT = "Published by geo-atlas (`geo publish`); tables are rewritten by each publish."


def check_postgis(conn: Connection[Any], shown: str) -> None:
    row = conn.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'").fetchone()
    if row is None:
        database_row = conn.execute("SELECT current_database()").fetchone()
        assert database_row is not None  # a SELECT without FROM returns one row
        database = database_row[0]
        raise PublishError(
            f"{shown}: the PostGIS extension is not installed in database '{database}' "
            "(a superuser can add it: CREATE EXTENSION postgis)"
        )


def schema_owner(conn: Connection[Any], schema: str) -> str | None:
    row = conn.execute("SELECT pg_get_userbyid(nspowner) FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone()
    return row[0] if row else None


def check_owner(conn: Connection[Any], schema: str) -> None:
    """The schema must belong to the connecting role (or a role it is a member of, superusers aside)."""
    owner = schema_owner(conn, schema)
    if owner is None:
        return
    row = conn.execute(
        "SELECT current_user, EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.roleid "
        "WHERE r.rolname = %s AND m.member = (SELECT oid FROM pg_roles WHERE rolname = current_user))",
        (owner,),
    ).fetchone()
    assert row is not None  # a SELECT without FROM returns one row
    user, member = row
    if owner != user and not member:
        raise PublishError(
            f"schema '{schema}' is owned by role '{owner}', not by '{user}': publish into another --schema"
        )


def existing_relations(conn: Connection[Any], schema: str) -> dict[str, str]:
    """Name → relkind of every table, view, sequence or foreign table in the schema."""
    rows = conn.execute(
        "SELECT c.relname, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = %s AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')",
        (schema,),
    ).fetchall()
    return dict(rows)


def published_layers(conn: Connection[Any], schema: str, relations: dict[str, str]) -> list[str]:
    if relations.get("layers") != "r":
        return []
    return [row[0] for row in conn.execute(sql.SQL("SELECT id FROM {}").format(sql.Identifier(schema, "layers")))]


def check_layer_names(schema_def: Schema) -> None:
    reserved = set(FIXED_TABLES) | {"publish_log_id_seq"}
    clashes = [t.name for t in schema_def.layers if t.name in reserved or view_name(t.name) in reserved]
    if clashes:
        raise PublishError(f"layer id(s) {', '.join(clashes)} clash with the atlas's own table names; rename the layer")


def check_foreign(schema: str, relations: dict[str, str], ours: set[str]) -> None:
    foreign = sorted(name for name in relations if name not in ours)
    if foreign:
        named = ", ".join(foreign[:FOREIGN_NAMED])
        more = f" and {len(foreign) - FOREIGN_NAMED} more" if len(foreign) > FOREIGN_NAMED else ""
        raise PublishError(
            f"schema '{schema}' holds relations the atlas did not create: {named}{more} "
            "(publish into another --schema, or move them away)"
        )


# How many of the relations in the way a refusal names: the rest are counted, so the line stays readable.
FOREIGN_NAMED = 10


def _column_sql(table: Table) -> sql.Composable:
    """Columns only: the primary key is added after the first load (finish_tables)."""
    return sql.SQL(", ").join(
        sql.SQL("{} {}{}").format(
            sql.Identifier(c.name), sql.SQL(c.sql_type), sql.SQL(" NOT NULL" if c.not_null else "")
        )
        for c in table.columns
    )


def _foreign_keys(conn: Connection[Any], schema: str, table: Table) -> None:
    for fk in table.foreign_keys:
        name = f"{table.name}_{fk.column}_fkey"
        exists = conn.execute(
            "SELECT 1 FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace "
            "WHERE n.nspname = %s AND c.conname = %s",
            (schema, name),
        ).fetchone()
        if not exists:
            conn.execute(
                sql.SQL(
                    "ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}) ON DELETE CASCADE"
                ).format(
                    sql.Identifier(schema, table.name),
                    sql.Identifier(name),
                    sql.Identifier(fk.column),
                    sql.Identifier(schema, fk.table),
                    sql.Identifier(fk.target),
                )
            )


def _geometry_type(conn: Connection[Any], schema: str, table: str) -> str | None:
    row = conn.execute(
        "SELECT type FROM geometry_columns WHERE f_table_schema = %s AND f_table_name = %s AND f_geometry_column = 'geom'",
        (schema, table),
    ).fetchone()
    return row[0] if row else None


def create_tables(conn: Connection[Any], schema: str, schema_def: Schema, relations: dict[str, str]) -> set[str]:
    """Create what is missing (returned by name) and add columns for new model fields."""
    created: set[str] = set()
    conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
    conn.execute(sql.SQL("COMMENT ON SCHEMA {} IS {}").format(sql.Identifier(schema), sql.Literal(SCHEMA_COMMENT)))
    for table in schema_def.layers:  # a layer whose geometry type changed gets a new table
        assert table.geometry_type is not None  # every layer table has its geometry column
        if (
            table.name in relations
            and (_geometry_type(conn, schema, table.name) or "").upper() != table.geometry_type.upper()
        ):
            conn.execute(sql.SQL("DROP TABLE {} CASCADE").format(sql.Identifier(schema, table.name)))
            relations.pop(table.name)
    for table in schema_def.tables:
        target = sql.Identifier(schema, table.name)
        if table.name not in relations:
            conn.execute(sql.SQL("CREATE TABLE {} ({})").format(target, _column_sql(table)))
            created.add(table.name)
        else:  # a model field added since the last publish becomes a new column
            conn.execute(
                sql.SQL("ALTER TABLE {} {}").format(
                    target,
                    sql.SQL(", ").join(
                        sql.SQL("ADD COLUMN IF NOT EXISTS {} {}").format(sql.Identifier(c.name), sql.SQL(c.sql_type))
                        for c in table.columns
                    ),
                )
            )
    conn.execute(
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (id bigserial PRIMARY KEY, published_at timestamptz NOT NULL DEFAULT now(), "
            "data_hash text NOT NULL, data_date text, tool_version text NOT NULL, libraries jsonb NOT NULL, "
            "layers text[] NOT NULL, counts jsonb NOT NULL, rows_written bigint NOT NULL)"
        ).format(sql.Identifier(schema, "publish_log"))
    )
    return created


def finish_tables(conn: Connection[Any], schema: str, schema_def: Schema, created: set[str]) -> None:
    """Keys, indexes and foreign keys after the rows: on new tables, one bulk build (a sort) and one
    set-based check instead of an index insert and a trigger query per row (25 s → 2 s at 100k
    points). On existing tables they are there already."""
    for table in schema_def.tables:
        if table.name in created:
            conn.execute(
                sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} PRIMARY KEY ({})").format(
                    sql.Identifier(schema, table.name),
                    sql.Identifier(f"{table.name}_pkey"),
                    sql.SQL(", ").join(map(sql.Identifier, table.key)),
                )
            )
    for table in schema_def.tables:
        target = sql.Identifier(schema, table.name)
        if table.geometry_type:
            conn.execute(
                sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} USING gist (geom)").format(
                    sql.Identifier(f"{table.name}_geom_idx"), target
                )
            )
        for fk in table.foreign_keys:  # the side a cascading delete searches
            if fk.column not in table.key[:1]:
                conn.execute(
                    sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} ({})").format(
                        sql.Identifier(f"{table.name}_{fk.column}_idx"), target, sql.Identifier(fk.column)
                    )
                )
    for table in schema_def.tables:
        _foreign_keys(conn, schema, table)


def drop_layers(conn: Connection[Any], schema: str, names: list[str]) -> None:
    for name in names:
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {} CASCADE").format(sql.Identifier(schema, name)))


def _agg(schema: str, link: str, record: str, target_col: str, expression: str, alias: str) -> sql.Composable:
    return sql.SQL(
        "(SELECT string_agg({expr}, '; ' ORDER BY k.position) FROM {link} k JOIN {record} r ON r.id = k.{target} "
        "WHERE k.feature_id = l.id) AS {alias}"
    ).format(
        expr=sql.SQL(expression),
        link=sql.Identifier(schema, link),
        record=sql.Identifier(schema, record),
        target=sql.Identifier(target_col),
        alias=sql.Identifier(alias),
    )


def create_views(conn: Connection[Any], schema: str, schema_def: Schema) -> None:
    """One view per layer: the feature with its projects, events, figures and sources as readable text."""
    for table in schema_def.layers:
        view = sql.Identifier(schema, view_name(table.name))
        conn.execute(sql.SQL("DROP VIEW IF EXISTS {}").format(view))
        joined = [
            _agg(schema, "feature_projects", "projects", "project_id", "r.name", "project_names"),
            _agg(schema, "feature_events", "events", "event_id", "concat_ws(' ', r.date, r.title)", "event_titles"),
            _agg(
                schema,
                "feature_figures",
                "figures",
                "figure_id",
                "concat_ws(' ', r.label || ':', r.qualifier, r.value::text, r.unit)",
                "figure_values",
            ),
            _agg(schema, "feature_sources", "sources", "source_id", "r.title", "source_titles"),
        ]
        conn.execute(
            sql.SQL("CREATE VIEW {} AS SELECT l.*, {} FROM {} l").format(
                view, sql.SQL(", ").join(joined), sql.Identifier(schema, table.name)
            )
        )
        conn.execute(
            sql.SQL("COMMENT ON VIEW {} IS {}").format(
                view,
                sql.Literal(f"{table.description} Joined with its projects, events, figures and sources, for GIS."),
            )
        )


def comment(conn: Connection[Any], schema: str, schema_def: Schema) -> None:
    """COMMENT ON every table and column, from the field dictionary (one round trip: no parameters)."""
    statements: list[sql.Composable] = []
    for table in schema_def.tables:
        target = sql.Identifier(schema, table.name)
        statements.append(sql.SQL("COMMENT ON TABLE {} IS {}").format(target, sql.Literal(table.description)))
        statements += [
            sql.SQL("COMMENT ON COLUMN {}.{} IS {}").format(target, sql.Identifier(c.name), sql.Literal(c.description))
            for c in table.columns
        ]
    log = sql.Identifier(schema, "publish_log")
    statements.append(
        sql.SQL("COMMENT ON TABLE {} IS {}").format(
            log,
            sql.Literal("One row per publish: data hash and date, tool and library versions, rows written per table"),
        )
    )
    statements += [
        sql.SQL("COMMENT ON COLUMN {}.{} IS {}").format(log, sql.Identifier(column), sql.Literal(text))
        for column, text in PUBLISH_LOG_COLUMNS.items()
    ]
    conn.execute(sql.SQL(";\n").join(statements))


PUBLISH_LOG_COLUMNS = {
    "id": "Run number",
    "published_at": "When the publishing transaction started",
    "data_hash": "sha256 over the records, geometries and stored files published (as in export manifests; README)",
    "data_date": "Newest publication date of any source: the data's as-of date",
    "tool_version": "geo-atlas version that published",
    "libraries": "Versions of psycopg, pydantic, shapely, geopandas, PostgreSQL and PostGIS",
    "layers": "Layers whose tables this run wrote (all, unless --layer)",
    "counts": "Rows inserted, updated and deleted per table",
    "rows_written": "Sum of counts: 0 for a republish of unchanged data",
}


def prefer_fast_compression(conn: Connection[Any]) -> None:
    """Large values written in this transaction (the base files, some 3 MB) compressed with lz4
    where the server has it: with pglz, the default, they took two fifths of a first publish's
    time in the server. Readers see the same values either way."""
    row = conn.execute(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
    ).fetchone()
    if row and row[0]:
        conn.execute("SET LOCAL default_toast_compression = 'lz4'")
