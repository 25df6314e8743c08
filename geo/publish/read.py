"""Read a published schema back into a geo.catalog.Catalog, so every command works on the database.

The rows go through the same checks as data/'s files: records through geo.records.parse_records,
features through geo.layer_file.features_of_rows (the schema, the layer's geometry type, finite
coordinates), the stored files (atlas.yaml, README.md, base/) through the parsers data/'s reader
uses. Every problem names `schema.table` and the record id. Nothing is written anywhere: the
catalog is a value, held in memory.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

import shapely
from psycopg import sql

from geo.base_layer import parse_countries
from geo.catalog import MANIFEST_FILE, Catalog, Layer, parse_manifest
from geo.errors import Problem
from geo.layer_file import features_of_rows
from geo.messages import languages
from geo.models import AtlasFiles, Event, FeatureProperties, Figure, LayerSpec, MapSpec, Project, SchemaRecord, Source
from geo.publish.connect import Target, connect
from geo.publish.errors import PublishError
from geo.publish.tables import RECORD_MODELS
from geo.readers import data_file_problem
from geo.records import parse_records
from geo.references import reference_problems
from geo.translations import parse_translations, translation_file

if TYPE_CHECKING:
    from psycopg import Connection


def _columns(model: type[SchemaRecord]) -> sql.Composable:
    return sql.SQL(", ").join(sql.Identifier(name) for name in model.model_fields)


def _as_input(model: type[SchemaRecord], names: tuple[str, ...], row: tuple[Any, ...]) -> dict[str, Any]:
    """A row as model input; a null where the field defaults to None is left out, as in the file."""
    fields = model.model_fields
    return {name: value for name, value in zip(names, row) if value is not None or fields[name].default is not None}


def _records(
    conn: Connection[Any], schema: str, table: str, model: type[Any], problems: list[Problem]
) -> dict[str, Any]:
    """The table's records, each validated as a record of data/ is; problems name schema.table and the id."""
    names = tuple(model.model_fields)
    rows = conn.execute(
        sql.SQL("SELECT {} FROM {} ORDER BY position").format(_columns(model), sql.Identifier(schema, table))
    ).fetchall()
    return parse_records([_as_input(model, names, row) for row in rows], model, f"{schema}.{table}", problems)


def _features(conn: Connection[Any], schema: str, spec: LayerSpec, problems: list[Problem]) -> list[Any]:
    names = tuple(FeatureProperties.model_fields)
    rows = conn.execute(
        sql.SQL("SELECT {}, ST_AsBinary(geom) FROM {} ORDER BY position").format(
            _columns(FeatureProperties), sql.Identifier(schema, spec.id)
        ),
        binary=True,
    ).fetchall()
    properties = [_as_input(FeatureProperties, names, row[:-1]) for row in rows]
    geometries = list(shapely.from_wkb([None if row[-1] is None else bytes(row[-1]) for row in rows]))
    return features_of_rows(spec, properties, geometries, f"{schema}.{spec.id}", problems)


def _stored(conn: Connection[Any], schema: str, problems: list[Problem]) -> dict[str, bytes]:
    """The files published byte for byte, by their path in the data directory; a path that would
    leave it is a problem, not a file."""
    stored: dict[str, bytes] = {}
    table = f"{schema}.base_files"
    for path, content in conn.execute(
        sql.SQL("SELECT path, content FROM {} ORDER BY path").format(sql.Identifier(schema, "base_files"))
    ):
        outside = data_file_problem(path) if path else "an empty path"
        if outside:
            problems.append(Problem(table, path[:80], "path", outside))
            continue
        stored[path] = bytes(content)
    return stored


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
    """The catalog published in target.schema, and the problems met (as geo.catalog.read_catalog gives them)."""
    import psycopg

    problems: list[Problem] = []
    schema = target.schema
    conn = connect(target)
    try:
        conn.read_only = True
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ  # one consistent snapshot
        with conn.transaction():
            _check_published(conn, target)
            specs: dict[str, LayerSpec] = _records(conn, schema, "layers", LayerSpec, problems)
            maps = _records(conn, schema, "maps", MapSpec, problems)
            # The record models as publish knows them (RECORD_MODELS): a field added there reads back.
            sources = _records(conn, schema, "sources", cast("type[Source]", RECORD_MODELS["sources"]), problems)
            projects = _records(conn, schema, "projects", cast("type[Project]", RECORD_MODELS["projects"]), problems)
            events = _records(conn, schema, "events", cast("type[Event]", RECORD_MODELS["events"]), problems)
            figures = _records(conn, schema, "figures", cast("type[Figure]", RECORD_MODELS["figures"]), problems)
            stored = _stored(conn, schema, problems)
            layers: dict[str, Layer] = {}
            for spec in specs.values():
                # A layer's file stays inside the data directory, as data/'s reader requires (pull writes it).
                outside = data_file_problem(spec.file)
                if outside:
                    problems.append(Problem(f"{schema}.layers", spec.id, "file", outside))
                layers[spec.id] = Layer(spec, _features(conn, schema, spec, problems), f"{schema}.{spec.id}")
    except psycopg.Error as exc:
        raise PublishError(f"reading schema '{schema}' of {target.shown} failed: {target.masked(str(exc))}") from None
    finally:
        conn.close()
    stored_file = f"{schema}.base_files"
    atlas = parse_manifest(stored.get(MANIFEST_FILE), f"{stored_file}[{MANIFEST_FILE}]", problems)
    if MANIFEST_FILE not in stored:
        problems.append(Problem(f"{stored_file}[{MANIFEST_FILE}]", "(file)", "-", "file is missing"))
    files = atlas.files if atlas is not None else AtlasFiles()
    places = {key: f"{schema}.{key}" for key in ("layers", "maps", "sources", "projects", "events", "figures")}
    places["countries"] = f"{stored_file}[{files.countries}]"
    places["manifest"] = f"{stored_file}[{MANIFEST_FILE}]"
    places["stored"] = f"{stored_file}[{{}}]"
    countries = parse_countries(stored.get(files.countries), places["countries"], problems)
    names = {lang: translation_file(files.translations, lang) for lang in languages()[1:]}
    translations = parse_translations(
        {lang: stored.get(name) for lang, name in names.items()},
        languages(),
        {lang: f"{stored_file}[{name}]" for lang, name in names.items()},
        problems,
    )
    catalog = Catalog(
        layers,
        sources,
        projects,
        events,
        figures,
        maps,
        atlas=atlas,
        countries=countries,
        stored=stored,
        places=places,
        translations=translations,
    )
    problems += reference_problems(catalog)
    return catalog, problems
