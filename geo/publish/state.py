"""Skip a table that neither the data nor anyone else changed since the last publish.

Each publish records, per table, a digest of the rows it wrote (`publish_state`). A statement
trigger on every atlas table marks the table dirty when rows change outside `geo publish` (an
edit in QGIS, a psql session), so such a table is diffed and put back in step next time. A
table whose digest matches and that is not dirty is neither staged nor compared: an unchanged
republish reads the catalog, hashes its rows and writes nothing.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, Any

from psycopg import sql

from geo.publish.tables import Table

if TYPE_CHECKING:
    from psycopg import Connection
    from pydantic import BaseModel

    from geo.catalog import Layer
    from geo.publish.rows import Row

PUBLISHING_SETTING = "geo_atlas.publishing"
_CHUNK = 10_000


def digest_rows(table: Table, rows: Iterable[Row], sink: list[str] | None = None) -> Iterator[Row]:
    """Yield the rows unchanged while hashing them (with the table's columns); the hex digest goes to sink."""
    digest = _start(table)
    rows = iter(rows)
    while chunk := list(islice(rows, _CHUNK)):
        digest.update(pickle.dumps(chunk, protocol=5))
        yield from chunk
    if sink is not None:
        sink.append(digest.hexdigest())


def digest_of(table: Table, rows: Iterable[Row]) -> str:
    digest = _start(table)
    rows = iter(rows)
    while chunk := list(islice(rows, _CHUNK)):
        digest.update(pickle.dumps(chunk, protocol=5))
    return digest.hexdigest()


def layer_digest(table: Table, layer: Layer) -> str:
    """The digest of a layer table from its features, without building rows: properties as JSON
    (orjson, in C, enums as their values) and geometries as WKB, both in catalog order."""
    import orjson
    import shapely

    digest = _start(table)
    digest.update(b"layer-v1")
    features = layer.features
    for index in range(0, len(features), _CHUNK):
        chunk = features[index : index + _CHUNK]
        digest.update(orjson.dumps([f.properties for f in chunk], default=_json_default))  # a dataclass: its fields
        for wkb in shapely.to_wkb([f.geometry for f in chunk], output_dimension=2):
            digest.update(wkb)
    return digest.hexdigest()


def _json_default(value: BaseModel) -> Any:
    return value.model_dump(mode="json")  # a nested pydantic model


def _start(table: Table) -> hashlib._Hash:
    return hashlib.sha256(repr([(c.name, c.sql_type) for c in table.columns]).encode())


def create(conn: Connection[Any], schema: str, tables: list[Table]) -> None:
    """The state table, the trigger function and one statement trigger per table."""
    state = sql.Identifier(schema, "publish_state")
    conn.execute(
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (table_name text PRIMARY KEY, digest text NOT NULL, dirty boolean NOT NULL)"
        ).format(state)
    )
    conn.execute(
        sql.SQL("COMMENT ON TABLE {} IS {}").format(
            state,
            sql.Literal(
                "Per table: digest of the rows the last publish wrote, and whether rows changed since outside geo publish"
            ),
        )
    )
    for column, text in (
        ("table_name", "Atlas table"),
        ("digest", "sha256 of the rows as published"),
        ("dirty", "True when rows changed outside geo publish: the next publish diffs the table"),
    ):
        conn.execute(sql.SQL("COMMENT ON COLUMN {}.{} IS {}").format(state, sql.Identifier(column), sql.Literal(text)))
    function = sql.Identifier(schema, "geo_atlas_mark_dirty")
    conn.execute(
        sql.SQL(
            "CREATE OR REPLACE FUNCTION {function}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            "IF current_setting({setting}, true) IS DISTINCT FROM 'on' THEN "
            "UPDATE {state} SET dirty = true WHERE table_name = TG_TABLE_NAME; END IF; RETURN NULL; END $$"
        ).format(function=function, setting=sql.Literal(PUBLISHING_SETTING), state=state)
    )
    for table in tables:
        conn.execute(
            sql.SQL(
                "CREATE OR REPLACE TRIGGER geo_atlas_mark_dirty AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {} "
                "FOR EACH STATEMENT EXECUTE FUNCTION {}()"
            ).format(sql.Identifier(schema, table.name), function)
        )


def begin(conn: Connection[Any]) -> None:
    """Mark this transaction as the publisher, so its own writes do not make tables dirty."""
    conn.execute("SELECT set_config(%s, 'on', true)", (PUBLISHING_SETTING,))


def load(conn: Connection[Any], schema: str) -> dict[str, tuple[str, bool]]:
    rows = conn.execute(
        sql.SQL("SELECT table_name, digest, dirty FROM {}").format(sql.Identifier(schema, "publish_state"))
    )
    return {name: (digest, dirty) for name, digest, dirty in rows}


def save(
    conn: Connection[Any], schema: str, digests: dict[str, str], known: dict[str, tuple[str, bool]], keep: set[str]
) -> None:
    """Record the digests that changed (or were dirty); an unchanged publish writes nothing here either.

    The state of a table that is gone (a layer dropped) is forgotten, so a table made anew is filled.
    """
    gone = [name for name in known if name not in keep]
    if gone:
        conn.execute(
            sql.SQL("DELETE FROM {} WHERE table_name = ANY(%s)").format(sql.Identifier(schema, "publish_state")),
            (gone,),
        )
    changed = [(name, digest) for name, digest in digests.items() if known.get(name) != (digest, False)]
    if changed:
        with conn.cursor() as cursor:
            cursor.executemany(
                sql.SQL(
                    "INSERT INTO {} (table_name, digest, dirty) VALUES (%s, %s, false) "
                    "ON CONFLICT (table_name) DO UPDATE SET digest = EXCLUDED.digest, dirty = false"
                ).format(sql.Identifier(schema, "publish_state")),
                changed,
            )
