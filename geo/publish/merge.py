"""Bring one table in step with the catalog: COPY into a temporary table, then set-based SQL.

INSERT … ON CONFLICT DO UPDATE … WHERE the row IS DISTINCT FROM the staged one, then DELETE the
rows the catalog no longer has: an unchanged table is read but not written (0 rows), a changed
row is rewritten alone. All inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from psycopg import sql

from geo.publish.tables import Table


@dataclass
class Counts:
    inserted: int = 0
    updated: int = 0
    deleted: int = 0

    @property
    def written(self) -> int:
        return self.inserted + self.updated + self.deleted

    def as_dict(self) -> dict[str, int]:
        return {"inserted": self.inserted, "updated": self.updated, "deleted": self.deleted}


def _stage_name(table: Table) -> sql.Identifier:
    return sql.Identifier(f"stage_{table.name}")


def _stage_type(sql_type: str) -> str:
    return "bytea" if sql_type.startswith("geometry") else sql_type  # geometry travels as WKB


def stage(conn, table: Table, rows: Iterable[tuple]) -> None:
    """COPY the rows (binary) into a temporary table that disappears with the transaction."""
    stage_name = _stage_name(table)
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(_stage_type(c.sql_type))) for c in table.columns
    )
    conn.execute(sql.SQL("CREATE TEMPORARY TABLE {} ({}) ON COMMIT DROP").format(stage_name, columns))
    types = [_stage_type(c.sql_type) for c in table.columns]
    copy_sql = sql.SQL("COPY {} FROM STDIN (FORMAT BINARY)").format(stage_name)
    with conn.cursor().copy(copy_sql) as copy:
        copy.set_types(types)
        for row in rows:
            copy.write_row(row)
    conn.execute(sql.SQL("ANALYZE {}").format(stage_name))


def delete_missing(conn, schema: str, table: Table) -> int:
    """Delete the rows whose key is not staged; return how many."""
    target = sql.Identifier(schema, table.name)
    match = sql.SQL(" AND ").join(
        sql.SQL("s.{k} = t.{k}").format(k=sql.Identifier(k)) for k in table.key
    )
    query = sql.SQL("DELETE FROM {} AS t WHERE NOT EXISTS (SELECT 1 FROM {} AS s WHERE {})").format(
        target, _stage_name(table), match
    )
    return conn.execute(query).rowcount


def upsert(conn, schema: str, table: Table) -> tuple[int, int]:
    """Insert new rows, update changed ones (only those); return (inserted, updated)."""
    target = sql.Identifier(schema, table.name)
    names = [sql.Identifier(c.name) for c in table.columns]
    values = [
        sql.SQL("ST_GeomFromWKB({}, 4326)").format(sql.Identifier(c.name)) if c.sql_type.startswith("geometry") else sql.Identifier(c.name)
        for c in table.columns
    ]
    rest = [sql.Identifier(c.name) for c in table.columns if c.name not in table.key]
    if rest:
        assignments = sql.SQL(", ").join(sql.SQL("{c} = EXCLUDED.{c}").format(c=c) for c in rest)
        old = sql.SQL(", ").join(sql.SQL("t.{}").format(c) for c in rest)
        new = sql.SQL(", ").join(sql.SQL("EXCLUDED.{}").format(c) for c in rest)
        conflict = sql.SQL("DO UPDATE SET {} WHERE ROW({}) IS DISTINCT FROM ROW({})").format(assignments, old, new)
    else:
        conflict = sql.SQL("DO NOTHING")
    query = sql.SQL(
        "WITH changed AS (INSERT INTO {target} AS t ({names}) SELECT {values} FROM {stage} "
        "ON CONFLICT ({key}) {conflict} RETURNING (xmax = 0) AS inserted) "
        "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM changed"
    ).format(
        target=target,
        names=sql.SQL(", ").join(names),
        values=sql.SQL(", ").join(values),
        stage=_stage_name(table),
        key=sql.SQL(", ").join(sql.Identifier(k) for k in table.key),
        conflict=conflict,
    )
    inserted, updated = conn.execute(query).fetchone()
    return inserted, updated
