"""Read a published schema back into a geo.catalog.Catalog, so every command works on the database.

The models are rebuilt with model_validate from the stored columns (pydantic dump → store →
validate), geometries from WKB; the base files are written byte for byte to a private
directory that serves as the catalog's root, so maps built from the database equal maps built
from data/.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import shapely
from psycopg import sql
from pydantic import BaseModel, TypeAdapter, ValidationError

from geo.catalog import Catalog, Layer, read_stored_layout
from geo.errors import DataError, Problem
from geo.layer_file import Feature
from geo.models import Event, FeatureProperties, Figure, LayerSpec, MapSpec, Project, SchemaRecord, Source
from geo.publish.connect import Target, connect, mask
from geo.publish.errors import PublishError
from geo.publish.tables import RECORD_MODELS
from geo.references import reference_problems

if TYPE_CHECKING:
    from psycopg import Connection


ModelT = TypeVar("ModelT", bound=BaseModel)


def _columns(model: type[SchemaRecord]) -> sql.Composable:
    return sql.SQL(", ").join(sql.Identifier(name) for name in model.model_fields)


def _as_input(model: type[SchemaRecord], names: tuple[str, ...], row: tuple[Any, ...]) -> dict[str, Any]:
    """A row as model input; a null where the field defaults to None is left out, as in the file."""
    fields = model.model_fields
    return {name: value for name, value in zip(names, row) if value is not None or fields[name].default is not None}


def _records(conn: Connection[Any], schema: str, table: str, model: type[ModelT]) -> list[ModelT]:
    names = tuple(model.model_fields)
    rows = conn.execute(
        sql.SQL("SELECT {} FROM {} ORDER BY position").format(_columns(model), sql.Identifier(schema, table))
    ).fetchall()
    records: list[ModelT] = []
    for row in rows:
        data = _as_input(model, names, row)
        try:
            records.append(model.model_validate(data))
        except ValidationError as exc:
            from geo.records import pydantic_problems

            raise DataError(pydantic_problems(exc, f"{schema}.{table}", str(data.get("id", "?")))) from None
    return records


_PROPERTIES = TypeAdapter(list[FeatureProperties])


def _features(conn: Connection[Any], schema: str, spec: LayerSpec) -> list[Feature]:
    names = tuple(FeatureProperties.model_fields)
    rows = conn.execute(
        sql.SQL("SELECT {}, ST_AsBinary(geom) FROM {} ORDER BY position").format(
            _columns(FeatureProperties), sql.Identifier(schema, spec.id)
        ),
        binary=True,
    ).fetchall()
    inputs = [_as_input(FeatureProperties, names, row[:-1]) for row in rows]
    try:
        properties = _PROPERTIES.validate_python(inputs)
    except ValidationError as exc:
        from geo.records import pydantic_problems

        raise DataError(pydantic_problems(exc, f"{schema}.{spec.id}", "(table)")) from None
    geometries = shapely.from_wkb([bytes(row[-1]) for row in rows])
    return [Feature(spec.id, props, geometry) for props, geometry in zip(properties, geometries)]


def _root_with_base_files(conn: Connection[Any], schema: str) -> Path:
    root = Path(tempfile.mkdtemp(prefix="geo-atlas-db-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    for path, content in conn.execute(sql.SQL("SELECT path, content FROM {} ORDER BY path").format(
            sql.Identifier(schema, "base_files"))):
        target = root / path  # relative to the data directory: atlas.yaml, base/...
        if not target.resolve().is_relative_to(root.resolve()):
            raise PublishError(f"{schema}.base_files: path {path!r} leaves the data directory")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(bytes(content))
    return root


def _count(conn: Connection[Any], schema: str, table: str) -> Any:
    row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, table))).fetchone()
    assert row is not None  # an aggregate without GROUP BY returns one row
    return row[0]


def _check_published(conn: Connection[Any], target: Target) -> None:
    row = conn.execute(
        "SELECT to_regclass(format('%%I.%%I', %s::text, 'publish_log')::text) IS NOT NULL", (target.schema,)
    ).fetchone()
    assert row is not None  # a SELECT without FROM returns one row
    if not row[0] or _count(conn, target.schema, "publish_log") == 0:
        raise PublishError(f"{target.shown}: no atlas is published in schema '{target.schema}' (run geo publish first)")


def read_catalog(target: Target) -> tuple[Catalog, list[Problem]]:
    """The catalog published in target.schema, and the problems met (as geo.catalog.read_catalog gives them).

    The stored files (atlas.yaml and base/, byte for byte) are written to a private directory
    that serves as the catalog's root, so the manifest and the country outlines are read by the
    same code as from data/.
    """
    import psycopg

    conn = connect(target)
    try:
        conn.read_only = True
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ  # one consistent snapshot
        with conn.transaction():
            _check_published(conn, target)
            schema = target.schema
            specs = _records(conn, schema, "layers", LayerSpec)
            maps = _records(conn, schema, "maps", MapSpec)
            # The record models as publish knows them (RECORD_MODELS): a field added there reads back.
            sources = _records(conn, schema, "sources", cast("type[Source]", RECORD_MODELS["sources"]))
            projects = _records(conn, schema, "projects", cast("type[Project]", RECORD_MODELS["projects"]))
            events = _records(conn, schema, "events", cast("type[Event]", RECORD_MODELS["events"]))
            figures = _records(conn, schema, "figures", cast("type[Figure]", RECORD_MODELS["figures"]))
            root = _root_with_base_files(conn, schema)
            layers = {spec.id: Layer(spec, root / spec.file, _features(conn, schema, spec)) for spec in specs}
    except psycopg.Error as exc:
        raise PublishError(f"reading schema '{target.schema}' of {target.shown} failed: {' '.join(mask(str(exc)).split())}") from None
    finally:
        conn.close()
    problems: list[Problem] = []
    atlas, countries = read_stored_layout(root, problems)
    catalog = Catalog(
        root, layers,
        {r.id: r for r in sources}, {r.id: r for r in projects},
        {r.id: r for r in events}, {r.id: r for r in figures},
        {m.id: m for m in maps}, atlas=atlas, countries=countries,
    )
    problems += reference_problems(catalog)
    return catalog, problems
