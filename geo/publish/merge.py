"""Bring one table in step with the catalog: COPY into a temporary table, then set-based SQL.

INSERT … ON CONFLICT DO UPDATE … WHERE the row IS DISTINCT FROM the staged one, then DELETE the
rows the catalog no longer has: an unchanged table is read but not written (0 rows), a changed
row is rewritten alone. All inside the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from psycopg import sql

from geo.publish.rows import Row, array_literal
from geo.publish.tables import Column, Table

if TYPE_CHECKING:
    from psycopg import Connection


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
    """How a column travels: geometry as WKB, arrays as array literals and jsonb as JSON text (see rows.py)."""
    if sql_type.startswith("geometry"):
        return "bytea"
    return "text" if sql_type in ("text[]", "jsonb") else sql_type


def _staged(column: Column) -> sql.Composable:
    """The staged value converted to the column's type (geometry stays WKB, compared as WKB)."""
    name = sql.Identifier(column.name)
    if column.sql_type == "text[]":
        return sql.SQL("{c}::text[] AS {c}").format(c=name)
    if column.sql_type == "jsonb":
        return sql.SQL("{c}::jsonb AS {c}").format(c=name)
    return name


def _staged_rows(table: Table) -> sql.Composable:
    return sql.SQL("(SELECT {} FROM {})").format(
        sql.SQL(", ").join(_staged(c) for c in table.columns), _stage_name(table)
    )


def stage(conn: Connection[Any], table: Table, rows: Iterable[Row]) -> None:
    """COPY the rows (binary) into a temporary table that disappears with the transaction."""
    stage_name = _stage_name(table)
    columns = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(c.name), sql.SQL(_stage_type(c.sql_type))) for c in table.columns
    )
    conn.execute(sql.SQL("CREATE TEMPORARY TABLE {} ({}) ON COMMIT DROP").format(stage_name, columns))
    types = [_stage_type(c.sql_type) for c in table.columns]
    arrays = [index for index, c in enumerate(table.columns) if c.sql_type == "text[]"]
    copy_sql = sql.SQL("COPY {} FROM STDIN (FORMAT BINARY)").format(stage_name)
    with conn.cursor().copy(copy_sql) as copy:
        copy.set_types(types)
        write = copy.write_row
        if not arrays:
            for row in rows:
                write(row)
        else:
            for row in rows:
                values = list(row)
                for index in arrays:
                    if values[index] is not None:
                        values[index] = array_literal(values[index])
                write(values)
    conn.execute(sql.SQL("ANALYZE {}").format(stage_name))


def delete_missing(conn: Connection[Any], schema: str, table: Table) -> int:
    """Delete the rows whose key is not staged; return how many."""
    target = sql.Identifier(schema, table.name)
    match = sql.SQL(" AND ").join(sql.SQL("s.{k} = t.{k}").format(k=sql.Identifier(k)) for k in table.key)
    query = sql.SQL("DELETE FROM {} AS t WHERE NOT EXISTS (SELECT 1 FROM {} AS s WHERE {})").format(
        target, _stage_name(table), match
    )
    return conn.execute(query).rowcount


def upsert(conn: Connection[Any], schema: str, table: Table, *, fresh: bool = False) -> tuple[int, int]:
    """Insert new rows, update changed ones (only those); return (inserted, updated).

    fresh: the table was created by this publish (empty, no key yet): a plain INSERT.
    """
    target = sql.Identifier(schema, table.name)
    names = [sql.Identifier(c.name) for c in table.columns]
    values = [
        sql.SQL("ST_GeomFromWKB(s.{}, 4326)").format(sql.Identifier(c.name))
        if c.sql_type.startswith("geometry")
        else sql.SQL("s.{}").format(sql.Identifier(c.name))
        for c in table.columns
    ]
    if fresh:
        inserted = conn.execute(
            sql.SQL("INSERT INTO {} ({}) SELECT {} FROM {} AS s").format(
                target, sql.SQL(", ").join(names), sql.SQL(", ").join(values), _staged_rows(table)
            )
        ).rowcount
        return inserted, 0
    rest = [sql.Identifier(c.name) for c in table.columns if c.name not in table.key]
    conflict: sql.Composable
    if rest:
        assignments = sql.SQL(", ").join(sql.SQL("{c} = EXCLUDED.{c}").format(c=c) for c in rest)
        old = sql.SQL(", ").join(sql.SQL("t.{}").format(c) for c in rest)
        new = sql.SQL(", ").join(sql.SQL("EXCLUDED.{}").format(c) for c in rest)
        conflict = sql.SQL("DO UPDATE SET {} WHERE ROW({}) IS DISTINCT FROM ROW({})").format(assignments, old, new)
    else:
        conflict = sql.SQL("DO NOTHING")
    # Only the staged rows that are new or differ reach the INSERT: an anti-join finds them in one
    # pass, and unchanged rows are not even locked (ON CONFLICT would lock each one it compares).
    same_key = sql.SQL(" AND ").join(sql.SQL("x.{k} = s.{k}").format(k=sql.Identifier(k)) for k in table.key)
    stored = [
        sql.SQL("ST_AsBinary(x.{})").format(sql.Identifier(c.name))
        if c.sql_type.startswith("geometry")
        else sql.SQL("x.{}").format(sql.Identifier(c.name))
        for c in table.columns
    ]
    staged = [sql.SQL("s.{}").format(sql.Identifier(c.name)) for c in table.columns]
    unchanged = sql.SQL(
        "NOT EXISTS (SELECT 1 FROM {target} AS x WHERE {same_key} AND ROW({stored}) IS NOT DISTINCT FROM ROW({staged}))"
    ).format(target=target, same_key=same_key, stored=sql.SQL(", ").join(stored), staged=sql.SQL(", ").join(staged))
    query = sql.SQL(
        "WITH changed AS (INSERT INTO {target} AS t ({names}) SELECT {values} FROM {stage} AS s WHERE {unchanged} "
        "ON CONFLICT ({key}) {conflict} RETURNING (xmax = 0) AS inserted) "
        "SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM changed"
    ).format(
        target=target,
        names=sql.SQL(", ").join(names),
        values=sql.SQL(", ").join(values),
        stage=_staged_rows(table),
        key=sql.SQL(", ").join(sql.Identifier(k) for k in table.key),
        conflict=conflict,
        unchanged=unchanged,
    )
    row = conn.execute(query).fetchone()
    assert row is not None  # an aggregate without GROUP BY returns one row
    inserted, updated = row
    return inserted, updated
