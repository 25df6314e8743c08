"""The `geo` command: thin wrappers that parse options, call one library function and report.

Heavy libraries (geopandas, folium, pydantic models) are imported inside the commands so that
`geo --help` stays fast.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from geo import __version__

DEFAULT_DATA = "data"
EXIT_FAILED = 1  # invalid data, failed build or export; usage errors exit 2 (click's default)


def _data_dir(ctx: click.Context) -> Path:
    return Path(ctx.obj["data"])  # a postgresql:// URL is no directory: the no-op build check says "rebuild"


def _is_db(ctx: click.Context) -> bool:
    return isinstance(ctx.obj["data"], str) and ctx.obj["data"].startswith(("postgresql://", "postgres://"))


def _load(ctx: click.Context):
    """Load the validated catalog, or exit 1 with the full problem report on stderr."""
    from geo.catalog import load_catalog
    from geo.errors import DataError

    try:
        if _is_db(ctx):  # --data postgresql://HOST/DB/SCHEMA: the atlas as `geo publish` left it
            from geo.publish import PublishError, read_catalog, split_data_url

            try:
                return read_catalog(split_data_url(ctx.obj["data"]))
            except PublishError as exc:
                _fail(ctx, str(exc))
        return load_catalog(_data_dir(ctx))
    except DataError as exc:
        click.echo(exc.report(), err=True)
        ctx.exit(EXIT_FAILED)


def _fail(ctx: click.Context, message: str) -> None:
    click.echo(f"error: {message}", err=True)
    ctx.exit(EXIT_FAILED)


def _require_known(names, known, what: str, plural: str, hint: str) -> None:
    """Usage error (exit 2) naming what is unknown and what there is to choose from."""
    unknown = [name for name in names if name not in known]
    if unknown:
        raise click.BadParameter(f"unknown {what} {', '.join(unknown)} ({plural}: {', '.join(known)})", param_hint=hint)


def _human_size(size: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if size < 1000 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1000
    return f"{size} B"


class _DataLocation(click.Path):
    """A data directory (a Path), or a postgresql:// URL kept as the text given (a Path would fold its '//')."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and value.startswith(("postgresql://", "postgres://")):
            return value
        return super().convert(value, param, ctx)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="geo")
@click.option(
    "--data",
    "data",
    default=lambda: os.environ.get("GEO_DATA", DEFAULT_DATA),
    show_default="./data, or $GEO_DATA",
    type=_DataLocation(file_okay=False, path_type=Path),
    help="The atlas data directory: layers/, metadata/, base/, layers.yaml, maps.yaml "
    "(or postgresql://HOST/DATABASE/SCHEMA, as geo publish left it).",
)
@click.pass_context
def cli(ctx: click.Context, data: Path) -> None:
    """Atlas of Central Asia's new trade corridors and border sites.

    Every command reads the atlas data (GeoJSON layers and YAML metadata under data/),
    validates it, and then checks, lists, draws or exports it.

    \b
    Typical use:
      geo validate             check the data; list every problem with file, record and field
      geo list                 the layers and their features
      geo build                write the interactive HTML maps into maps/
      geo export --out dist    write the layers for GIS (GeoPackage, GeoJSON, Shapefile, ...)
      geo publish --db URL     publish the atlas to PostGIS, incrementally

    Exit status: 0 success, 1 invalid data or a failed build/export, 2 wrong usage.
    """
    ctx.ensure_object(dict)
    ctx.obj["data"] = data  # a Path, or a postgresql:// URL (str)


@cli.command()
@click.pass_context
def validate(ctx: click.Context) -> None:
    """Check the data: schema, references, geometries, countries and stated sizes.

    Prints one line per problem (file, record id, field, what is wrong) and exits 1 when
    there is any; prints a summary and exits 0 when the data is valid.
    """
    catalog = _load(ctx)
    features = sum(len(layer.features) for layer in catalog.layers.values())
    click.echo(
        f"data is valid: {len(catalog.layers)} layers, {features} features, {len(catalog.projects)} projects, "
        f"{len(catalog.events)} events, {len(catalog.figures)} figures, {len(catalog.sources)} sources, "
        f"{len(catalog.maps)} maps"
    )


@cli.command(name="list")
@click.option("--layer", "layer_ids", multiple=True, metavar="LAYER", help="Only this layer (repeatable).")
@click.pass_context
def list_(ctx: click.Context, layer_ids: tuple[str, ...]) -> None:
    """List the layers with their feature counts, and the features of each."""
    catalog = _load(ctx)
    _require_known(layer_ids, catalog.layers, "layer", "layers", "--layer")
    for layer in catalog.layers.values():
        if layer_ids and layer.id not in layer_ids:
            continue
        count = len(layer.features)
        click.echo(f"{layer.id}  {layer.spec.title}  ({count} feature{'' if count == 1 else 's'}, {layer.spec.geometry_type.value})")
        for feature in layer.features:
            props = feature.properties
            status = f", {props.status.value}" if props.status else ""
            click.echo(f"  {props.id}  {props.name}  [{props.kind.value}, {'/'.join(props.country)}{status}]")


@cli.command()
@click.argument("names", nargs=-1, metavar="[MAP]...")
@click.option(
    "--out",
    "out_dir",
    default="maps",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write the HTML maps and index.html into.",
)
@click.option("--cdn", is_flag=True, help="Load Leaflet from a CDN instead of inlining it (smaller files, needs internet).")
@click.option("--force", is_flag=True, help="Rebuild even when nothing changed since the last build.")
@click.pass_context
def build(ctx: click.Context, names: tuple[str, ...], out_dir: Path, cdn: bool, force: bool) -> None:
    """Build the interactive HTML maps declared in data/maps.yaml (all, or the MAPs named).

    Each map is one self-contained file that works offline (only basemap tiles are remote);
    maps/index.html lists them. The same data gives byte-identical files. Files are written
    atomically: a failure leaves the previous files as they were.
    """
    from geo.render.cache import up_to_date

    data_dir = _data_dir(ctx)
    if not force and up_to_date(data_dir, out_dir, names, cdn):
        click.echo(f"maps in {out_dir} are up to date (use --force to rebuild)")
        return
    from geo.errors import AtlasError
    from geo.render.build import build_maps

    catalog = _load(ctx)
    _require_known(names, catalog.maps, "map", "maps", "MAP")
    try:
        written = build_maps(
            catalog,
            out_dir,
            names=list(names) or None,
            cdn=cdn,
            progress=lambda path, size: click.echo(f"  wrote {path} ({_human_size(size)})"),
        )
    except AtlasError as exc:
        _fail(ctx, str(exc))
    total = sum(size for _, size in written)
    click.echo(f"built {len(written)} files into {out_dir} ({_human_size(total)})")


@cli.command()
@click.option(
    "--format",
    "formats",
    multiple=True,
    metavar="FORMAT",
    help="gpkg, geojson, fgb, parquet, shp, kml, kmz or csv (repeatable; default: all).",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write into (never data/); only this command's own earlier output is replaced.",
)
@click.option("--layer", "layer_ids", multiple=True, metavar="LAYER", help="Only this layer (repeatable).")
@click.option(
    "--bbox",
    nargs=4,
    type=float,
    metavar="WEST SOUTH EAST NORTH",
    default=None,
    help="Keep only features that intersect this lon/lat box.",
)
@click.pass_context
def export(
    ctx: click.Context,
    formats: tuple[str, ...],
    out_dir: Path,
    layer_ids: tuple[str, ...],
    bbox: tuple[float, float, float, float] | None,
) -> None:
    """Export the layers with their joined metadata in the formats GIS tools read.

    Writes a manifest.json with every file's checksum next to the files. A format that
    fails leaves no partial file; the others are still written and the exit status is 1.
    """
    from geo.export import FORMATS, ExportUsageError, export_catalog

    _require_known(formats, FORMATS, "format", "formats", "--format")
    catalog = _load(ctx)
    _require_known(layer_ids, catalog.layers, "layer", "layers", "--layer")
    try:
        report = export_catalog(
            catalog,
            out_dir,
            formats=list(formats) or None,
            layers=list(layer_ids) or None,
            bbox=bbox,
            progress=lambda line: click.echo(f"  {line}"),
        )
    except ExportUsageError as exc:
        raise click.UsageError(str(exc)) from None
    for failure in report.failures:
        click.echo(f"error: {failure}", err=True)
    click.echo(f"exported {len(report.files)} files into {out_dir}")
    if report.failures:
        ctx.exit(EXIT_FAILED)


# --- PostGIS: geo publish, geo pull -------------------------------------------------------------

_SCHEMA_NAME = r"^[a-z_][a-z0-9_]{0,62}$"


def _db_target(db: str | None, schema: str):
    """The database from --db, $DATABASE_URL or libpq's PG* variables (usage error when none)."""
    import re

    from geo.publish import Target, resolve_db

    conninfo = resolve_db(db)
    if conninfo is None:
        raise click.UsageError("no database given: pass --db URL, or set $DATABASE_URL or libpq's PG* variables")
    if not re.match(_SCHEMA_NAME, schema):
        raise click.BadParameter(f"{schema!r} is not a plain schema name (lowercase letters, digits, _)", param_hint="--schema")
    return Target(conninfo, schema)


_db_option = click.option(
    "--db", "db", metavar="URL", default=None,
    help="postgresql://USER@HOST:PORT/DATABASE (default: $DATABASE_URL, else libpq's PG* variables).",
)
_schema_option = click.option("--schema", default="atlas", show_default=True, help="The schema the atlas lives in.")


@cli.command()
@_db_option
@_schema_option
@click.option("--layer", "layer_ids", multiple=True, metavar="LAYER", help="Only this layer's table (repeatable).")
@click.pass_context
def publish(ctx: click.Context, db: str | None, schema: str, layer_ids: tuple[str, ...]) -> None:
    """Publish the atlas to a PostGIS schema: layer tables, records, links, views, comments.

    Incremental: only rows that changed are written (an unchanged republish writes 0 rows).
    One transaction under an advisory lock: a failure leaves the previous publish whole.
    """
    from geo.publish import PublishError
    from geo.publish.run import publish_catalog

    target = _db_target(db, schema)
    catalog = _load(ctx)
    _require_known(layer_ids, catalog.layers, "layer", "layers", "--layer")
    try:
        report = publish_catalog(catalog, target, layers=list(layer_ids) or None, progress=lambda line: click.echo(f"  {line}"))
    except PublishError as exc:
        _fail(ctx, str(exc))
    tables = sum(1 for counts in report.counts.values() if counts.written)
    click.echo(
        f"published to {target.shown} schema '{schema}': {report.rows_written} rows written in {tables} tables "
        f"(publish_log id {report.log_id})"
    )


@cli.command()
@_db_option
@_schema_option
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Directory to write the data files into (an empty or new directory).")
@click.pass_context
def pull(ctx: click.Context, db: str | None, schema: str, out_dir: Path) -> None:
    """Write the published atlas back as data files (layers.yaml, layers/, metadata/, base/), validated."""
    from geo.errors import DataError
    from geo.publish import PublishError, read_catalog
    from geo.publish.pull import write_data_dir

    target = _db_target(db, schema)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise click.BadParameter(f"{out_dir} is not empty", param_hint="--out")
    try:
        catalog = read_catalog(target)
        written = write_data_dir(catalog, out_dir)
    except PublishError as exc:
        _fail(ctx, str(exc))
    except DataError as exc:
        click.echo(exc.report(), err=True)
        ctx.exit(EXIT_FAILED)
    click.echo(f"pulled schema '{schema}' into {out_dir}: {written} files, valid")


def main() -> None:
    cli(prog_name="geo")


if __name__ == "__main__":
    sys.exit(main())
