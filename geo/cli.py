"""The `geo` command: thin wrappers that parse options, call one library function and report.

Heavy libraries (geopandas, folium, pydantic models) are imported inside the commands so that
`geo --help` stays fast.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from geo import __version__
from geo.sizes import human_size

if TYPE_CHECKING:
    from contextlib import ExitStack

    from geo.catalog import Catalog
    from geo.publish import Target

from geo.cycles import cycle_collection_paused
from geo.errors import AtlasError, DataError, Problem, UsageError
from geo.format_names import EXPORT_FORMATS, RENDER_FORMATS

DEFAULT_DATA = "data"
EXIT_FAILED = 1  # invalid data, failed build or export; usage errors exit 2 (click's default)


class AtlasGroup(click.Group):
    """Turns the atlas's errors into exit codes in one place: usage 2, data and failures 1."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise click.UsageError(str(exc), ctx) from None
        except DataError as exc:
            click.echo("\n".join(terminal_safe(line) for line in exc.report().splitlines()), err=True)
            ctx.exit(EXIT_FAILED)
        except AtlasError as exc:
            click.echo(f"error: {terminal_safe(exc)}", err=True)
            ctx.exit(EXIT_FAILED)


def _source(ctx: click.Context) -> Path | Target:
    """Where the atlas is read from: a data directory, or a published schema (--data postgresql://…)."""
    source: Path | Target = ctx.obj["data"]
    return source


def _is_db(ctx: click.Context) -> bool:
    return not isinstance(_source(ctx), Path)


def _data_dir(ctx: click.Context) -> Path:
    """--data as a directory, for the commands that need one (a usage error when it names a database)."""
    source = _source(ctx)
    if not isinstance(source, Path):
        raise click.BadParameter("this command reads a data directory, not a database", param_hint="--data")
    return source


def _load(ctx: click.Context, *, translations: bool = False) -> Catalog:
    """The catalog, read from data/ or the database and validated (geo.validate.validated).

    `translations`: also refuse a missing or outdated translation (geo validate); build, export
    and render show the English where one is missing, so an edit can be looked at before it is translated.
    """
    from geo.validate import validated

    with cycle_collection_paused():  # the checks walk every feature again (see _read)
        return validated(_read(ctx), translations=translations)


def _read(ctx: click.Context) -> tuple[Catalog, list[Problem]]:
    """The catalog as read from data/ or the database, and the reader's problems: not yet checked
    by geo.validate (`_load` checks it; `geo build` checks it beside drawing the maps)."""
    source = _source(ctx)
    if isinstance(source, Path) and not source.is_dir():
        raise DataError([_no_data_directory(ctx)])
    # Read and kept without the cycle collector: re-enabled between reading and keeping, it would
    # walk every feature just read once more (6 s at a million features).
    with cycle_collection_paused():
        if isinstance(source, Path):
            from geo.catalog import read_catalog

            read = read_catalog(source)
        else:
            from geo.publish import read_catalog as read_published  # the atlas as `geo publish` left it

            read = read_published(source)
        _keep_for_the_command(ctx)  # before the checks, which walk every feature again
    return read


def _keep_for_the_command(ctx: click.Context) -> None:
    """Move what is alive now (the catalog, millions of objects at scale) out of the cycle
    collector's sight until the command ends: every later collection would walk it again
    (bench/render.py), and it lives as long as the command anyway."""
    import gc

    gc.freeze()
    ctx.call_on_close(gc.unfreeze)


def _no_data_directory(ctx: click.Context) -> Problem:
    """Run from outside the repository: say where geo looked and how to point it at the data."""
    source = ctx.find_root().get_parameter_source("data")
    given = (
        "given by --data"
        if source is click.core.ParameterSource.COMMANDLINE
        else ("from $GEO_DATA" if "GEO_DATA" in os.environ else "the default: ./data, relative to where geo runs")
    )
    return Problem(
        Path(ctx.obj["data"]).as_posix(), "(directory)", "-",
        f"data directory not found ({given}); name the atlas's data directory with --data DIR or $GEO_DATA",
    )  # fmt: skip


def terminal_safe(text: object) -> str:
    """Data text for a terminal: control characters (escape sequences, line breaks) shown escaped."""
    import re

    return re.sub(r"[\x00-\x1f\x7f-\x9f]", lambda m: m.group().encode("unicode_escape").decode(), str(text))


def _require_known(names: Iterable[str], known: Iterable[str], what: str, hint: str) -> None:
    """Usage error (exit 2) naming what is unknown and what there is to choose from."""
    known = list(known)
    unknown = [name for name in names if name not in known]
    if unknown:
        raise click.BadParameter(f"unknown {what} {', '.join(unknown)} ({what}s: {', '.join(known)})", param_hint=hint)


class _DataLocation(click.Path):
    """A data directory (a Path), or a postgresql://HOST/DATABASE/SCHEMA URL as a Target (checked as --schema is)."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and value.startswith(("postgresql://", "postgres://")):
            from geo.publish.connect import split_data_url

            try:
                return split_data_url(value)
            except UsageError as exc:
                self.fail(str(exc), param, ctx)
        return super().convert(value, param, ctx)


@click.group(cls=AtlasGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="geo")
@click.option(
    "--data",
    "data",
    default=lambda: os.environ.get("GEO_DATA", DEFAULT_DATA),
    show_default="./data, or $GEO_DATA",
    type=_DataLocation(file_okay=False, path_type=Path),
    help="The atlas data directory: atlas.yaml, layers/, metadata/, base/, layers.yaml, maps.yaml "
    "(or postgresql://HOST/DATABASE/SCHEMA, as geo publish left it).",
)
@click.pass_context
def cli(ctx: click.Context, data: Path | Target) -> None:
    """Atlas of Central Asia's new trade corridors and border sites.

    Every command reads the atlas data (GeoJSON layers and YAML metadata under data/),
    validates it, and then checks, lists, draws or exports it.

    \b
    Typical use:
      geo validate             check the data; list every problem with file, record and field
      geo list                 the layers and their features
      geo build                write the interactive HTML maps into maps/
      geo export --out dist    write the layers for GIS (GeoPackage, GeoJSON, Shapefile, ...)
      geo render --format pdf  draw the maps as static PNG, SVG or PDF sheets for print
      geo publish --db URL     publish the atlas to PostGIS, incrementally

    Exit status: 0 success, 1 invalid data or a failed build/export, 2 wrong usage.
    """
    ctx.ensure_object(dict)
    ctx.obj["data"] = data  # a Path, or a Target (a published schema)


class _PartialDateParam(click.ParamType[str]):
    """An ISO date as precise as wanted: 2026, 2026-12 or 2026-12-03."""

    name = "DATE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        from pydantic import TypeAdapter, ValidationError

        from geo.models import PartialDate

        try:
            return str(TypeAdapter(PartialDate).validate_python(value))
        except ValidationError:
            self.fail(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)", param, ctx)


@cli.command()
@click.option(
    "--strict",
    is_flag=True,
    help="Also fail on statuses older than a year at the reference date (one line each), so they get checked against newer sources.",
)
@click.option(
    "--on",
    "on",
    type=_PartialDateParam(),
    default=None,
    help="The reference date for --strict (default: build_date in atlas.yaml, else the data date: the newest source's date).",
)
@click.pass_context
def validate(ctx: click.Context, strict: bool, on: str | None) -> None:
    """Check the data: schema, references, geometries, countries, stated sizes and translations.

    Prints one line per problem (file, record id, field, what is wrong) and exits 1 when
    there is any; prints a summary and exits 0 when the data is valid. With --strict, a status
    older than a year at the reference date is a problem too.
    """
    catalog = _load(ctx, translations=True)
    if strict:
        from geo.errors import Problem
        from geo.status_age import reference_date, stale_statuses

        when = on or reference_date(catalog)
        stale = stale_statuses(catalog, when)
        if stale:
            raise DataError(
                [
                    Problem(
                        item.file,
                        item.record,
                        "status_as_of",
                        f"status '{item.status.value}' is as of {item.as_of}, more than a year before {when}: "
                        "check it against a newer source and update status, status_as_of and status_sources",
                    )
                    for item in stale
                ]
            )
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
    _require_known(layer_ids, catalog.layers, "layer", "--layer")
    for layer in catalog.layers.values():
        if layer_ids and layer.id not in layer_ids:
            continue
        count = len(layer.features)
        title = terminal_safe(layer.spec.title)
        click.echo(
            f"{layer.id}  {title}  ({count} feature{'' if count == 1 else 's'}, {layer.spec.geometry_type.value})"
        )
        for feature in layer.features:
            props = feature.properties
            status = f", {props.status.value}" if props.status else ""
            name = terminal_safe(props.name)
            click.echo(f"  {props.id}  {name}  [{props.kind.value}, {'/'.join(props.country)}{status}]")


F = TypeVar("F", bound=Callable[..., Any])


def _out_beside_the_maps(help_text: str) -> Callable[[F], F]:
    """--out of the commands that write the maps and their images: the same directory, maps/ by default."""
    return click.option(
        "--out",
        "out_dir",
        default="maps",
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help=help_text,
    )


@cli.command()
@click.argument("names", nargs=-1, metavar="[MAP]...")
@_out_beside_the_maps("Directory to write the HTML maps and index.html into.")
@click.option(
    "--cdn", is_flag=True, help="Load Leaflet from a CDN instead of inlining it (smaller files, needs internet)."
)
@click.option(
    "--force",
    is_flag=True,
    help="Rebuild even when nothing changed since the last build, and replace files in --out that no build wrote.",
)
@click.pass_context
def build(ctx: click.Context, names: tuple[str, ...], out_dir: Path, cdn: bool, force: bool) -> None:
    """Build the interactive HTML maps declared in data/maps.yaml (all, or the MAPs named).

    Each map is one self-contained file that works offline (only basemap tiles are remote);
    maps/index.html lists them. The same data gives byte-identical files. Files are written
    atomically: a failure leaves the previous files as they were.
    """
    from geo.webmap.cache import up_to_date

    source = _source(ctx)  # from a database there are no files to compare: it rebuilds
    if not force and isinstance(source, Path) and up_to_date(source, out_dir, names, cdn):
        click.echo(f"maps in {out_dir} are up to date (use --force to rebuild)")
        click.echo(how_to_open(out_dir / "index.html"))
        return
    from geo.validate import problems_of, validated
    from geo.webmap.build import build_maps

    read = _read(ctx)
    if read[1]:  # the reader refused records: raise them with the checks' problems, before any drawing
        validated(read)
    catalog = read[0]
    _require_known(names, catalog.maps, "map", "MAP")
    written = build_maps(
        catalog,
        out_dir,
        checks=lambda: problems_of(read),
        names=list(names) or None,
        cdn=cdn,
        force=force,
        progress=lambda path, size: click.echo(f"  wrote {path} ({human_size(size)})"),
        note=lambda line: click.echo(f"  {line}"),
    )
    total = sum(size for _, size in written)
    click.echo(f"built {len(written)} files into {out_dir} ({human_size(total)})")
    click.echo(how_to_open(out_dir / "index.html"))


def how_to_open(index: Path) -> str:
    """The build's last line: where the maps are and how to look at them (a first run ends here)."""
    import shlex
    import sys

    opener = {"darwin": "open", "win32": "start"}.get(sys.platform, "xdg-open")
    shown = terminal_safe(index)
    return (
        f"open {shown} in a browser to see the maps (they work offline): "
        f"{opener} {shlex.quote(shown)}, or {terminal_safe(index.resolve().as_uri())}"
    )


@cli.command()
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(EXPORT_FORMATS),
    help="Only this format (repeatable; default: all).",
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
@click.option("--force", is_flag=True, help="Replace files in --out that no export wrote, or that changed since.")
@click.option(
    "--csv-raw",
    is_flag=True,
    help="Write CSV cells as they are, without the ' that keeps spreadsheets from running =, +, -, @ cells as formulas.",
)
@click.pass_context
def export(
    ctx: click.Context,
    formats: tuple[str, ...],
    out_dir: Path,
    layer_ids: tuple[str, ...],
    bbox: tuple[float, float, float, float] | None,
    force: bool,
    csv_raw: bool,
) -> None:
    """Export the layers with their joined metadata in the formats GIS tools read.

    Writes a manifest.json with every file's checksum next to the files. A format that
    fails leaves no partial file; the others are still written and the exit status is 1.
    """
    from geo.export import export_catalog

    catalog = _load(ctx)
    _require_known(layer_ids, catalog.layers, "layer", "--layer")
    report = export_catalog(
        catalog,
        out_dir,
        formats=list(formats) or None,
        layers=list(layer_ids) or None,
        bbox=bbox,
        force=force,
        csv_raw=csv_raw,
        progress=lambda line: click.echo(f"  {line}"),
    )
    for failure in report.failures:
        click.echo(f"error: {failure}", err=True)
    click.echo(f"exported {len(report.files)} files into {out_dir}")
    if report.failures:
        ctx.exit(EXIT_FAILED)


@cli.command()
@click.argument("names", nargs=-1, metavar="[MAP]...")
@_out_beside_the_maps("Directory to write the images into (never data/).")
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(RENDER_FORMATS),
    help="Only this format (repeatable; default: png).",
)
@click.option("--size", default="A4", show_default=True, help="A4, A3, letter or WIDTHxHEIGHTpx (e.g. 1600x1000px).")
@click.option("--landscape/--portrait", default=True, show_default=True, help="Orientation of a paper size.")
@click.option(
    "--dpi", type=int, default=150, show_default=True, help="Resolution (36 to 1200; at most 20,000 px a side)."
)
@click.option(
    "--lang", default="en", show_default=True, metavar="LANG", help="Language of the sheets: en, or ru (MAP.ru.png)."
)
@click.option("--force", is_flag=True, help="Replace files in --out that no render wrote, or that changed since.")
@click.pass_context
def render(
    ctx: click.Context,
    names: tuple[str, ...],
    out_dir: Path,
    formats: tuple[str, ...],
    size: str,
    landscape: bool,
    dpi: int,
    lang: str,
    force: bool,
) -> None:
    """Draw the maps of data/maps.yaml as static images for print and reports (all, or the MAPs named).

    One file per map and format (MAP.png, MAP.svg, MAP.pdf; MAP.ru.png in Russian): country outlines, every layer in the
    web maps' symbols, labels, legend, scale bar, north arrow, locator, credits and projection.
    Offline; the same data gives byte-identical files; a map that fails leaves no partial file.
    `geo build` then links the images from index.html.
    """
    from geo.messages import check_language
    from geo.static import make_sheet, render_maps

    check_language(lang)
    sheet = make_sheet(size, landscape=landscape, dpi=dpi)
    catalog = _load(ctx)
    _require_known(names, catalog.maps, "map", "MAP")
    written = render_maps(
        catalog,
        out_dir,
        sheet,
        names=list(names) or None,
        formats=list(formats),
        force=force,
        progress=lambda path, size: click.echo(f"  wrote {path} ({human_size(size)})"),
        note=lambda line: click.echo(f"  {line}"),
        lang=lang,
    )
    click.echo(f"rendered {len(written)} files into {out_dir} ({sheet.name}, {dpi} dpi)")


# --- PostGIS: geo publish, geo pull -------------------------------------------------------------


def _db_target(db: str | None, schema: str) -> Target:
    """The database from --db, $DATABASE_URL or libpq's PG* variables (usage error when none)."""
    from geo.publish import Target, resolve_db
    from geo.publish.connect import schema_problem

    conninfo = resolve_db(db)
    if conninfo is None:
        raise click.UsageError("no database given: pass --db URL, or set $DATABASE_URL or libpq's PG* variables")
    problem = schema_problem(schema)
    if problem:
        raise click.BadParameter(problem, param_hint="--schema")
    return Target(conninfo, schema)


_db_option = click.option(
    "--db",
    "db",
    metavar="URL",
    default=None,
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
    from geo.publish.run import publish_catalog

    target = _db_target(db, schema)
    catalog = _load(ctx)
    _require_known(layer_ids, catalog.layers, "layer", "--layer")
    report = publish_catalog(
        catalog, target, layers=list(layer_ids) or None, progress=lambda line: click.echo(f"  {line}")
    )
    tables = sum(1 for counts in report.counts.values() if counts.written)
    click.echo(
        f"published to {target.shown} schema '{schema}': {report.rows_written} rows written in {tables} tables "
        f"(publish_log id {report.log_id})"
    )


@cli.command()
@_db_option
@_schema_option
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write the data files into (an empty or new directory).",
)
@click.pass_context
def pull(ctx: click.Context, db: str | None, schema: str, out_dir: Path) -> None:
    """Write the published atlas back as data files (atlas.yaml, layers.yaml, layers/, metadata/, base/), validated."""
    from geo.publish import read_catalog as read_published
    from geo.publish.pull import write_data_dir
    from geo.validate import validated

    target = _db_target(db, schema)
    if out_dir.exists() and any(out_dir.iterdir()):
        raise click.BadParameter(f"{out_dir} is not empty", param_hint="--out")
    catalog = validated(read_published(target))
    written = write_data_dir(catalog, out_dir)
    click.echo(f"pulled schema '{schema}' into {out_dir}: {written} files, valid")


@cli.command()
@click.option(
    "--out",
    "out_dir",
    default="site",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Directory to write the site into (never data/).",
)
@click.option(
    "--base-url",
    default=None,
    metavar="URL",
    help="Where the site will be served (https://example.org/atlas/): makes og:image, og:url, the "
    "feed's links and the embed code absolute. Without it every link is relative.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Rebuild even when nothing changed, and replace files in --out that no site build wrote.",
)
@click.pass_context
def site(ctx: click.Context, out_dir: Path, base_url: str | None, force: bool) -> None:
    """Build the publishable site: maps, landing page, a page per feature, downloads, changelog and feed.

    One directory that any static host serves as it is (or that opens from disk): the
    interactive maps, the landing page with previews, embed code, GIS downloads (GeoPackage,
    GeoJSON, CSV, KML with manifest and checksums), sources, licences and how to cite; a plain
    HTML page per feature; the changelog and its Atom feed. The same data gives the same bytes;
    only files that changed are written; nothing is written when nothing changed.
    """
    from contextlib import ExitStack

    from geo.outdir import refuse_data_dir
    from geo.site_build import build_site, is_up_to_date

    if base_url is not None:
        from urllib.parse import urlsplit

        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise click.BadParameter(f"{base_url!r} is not an http(s) URL", param_hint="--base-url")
        base_url = base_url if base_url.endswith("/") else base_url + "/"
    if _is_db(ctx):
        raise click.BadParameter(
            "the site is built from a data directory (its hash and releases are read from files)", param_hint="--data"
        )
    data_dir = _data_dir(ctx)
    refuse_data_dir(out_dir, data_dir)
    current, inputs = is_up_to_date(data_dir, out_dir, base_url) if data_dir.is_dir() else (False, "")
    if current and not force:
        click.echo(f"site in {out_dir} is up to date (use --force to rebuild)")
        return
    catalog = _load(ctx)
    with ExitStack() as stack:

        def read_revision(revision: str) -> Catalog | None:
            try:
                old, _ = _read_version(ctx, revision, stack)
            except (AtlasError, click.ClickException) as exc:
                click.echo(f"  note: release changes since {revision} are not listed: {terminal_safe(exc)}")
                return None
            return old

        report = build_site(
            catalog, out_dir, inputs, base_url=base_url, force=force, read_revision=read_revision,
            note=lambda line: click.echo(f"  {line}"),
        )  # fmt: skip
    for path in report.removed:
        click.echo(f"  removed {path} (written by an earlier site build, not by this one)")
    for path in report.kept:
        click.echo(f"  kept {path}: written by an earlier site build but changed since")
    click.echo(f"site in {out_dir}: {len(report.written)} files written, {report.unchanged} unchanged")


# --- Versions: geo diff ---------------------------------------------------------------------------


def _read_version(ctx: click.Context, where: str | Path | Target, stack: ExitStack) -> tuple[Catalog, dict[str, Any]]:
    """The catalog (read, not validated) at a data directory, a postgresql:// schema or a git revision.

    A git revision is looked up in the repository that holds --data and read from a temporary
    checkout of its data directory, removed when `stack` closes.
    """
    from geo.catalog import read_catalog
    from geo.errors import Problem
    from geo.publish import Target

    label, root = str(where), None
    if isinstance(where, Target) or str(where).startswith(("postgresql://", "postgres://")):
        from geo.publish import read_catalog as read_published
        from geo.publish import split_data_url

        target = where if isinstance(where, Target) else split_data_url(str(where))
        label = f"{target.shown} schema {target.schema}"
        catalog, problems = read_published(target)
    elif Path(where).is_dir():
        root = Path(where)
        catalog, problems = read_catalog(root)
    else:
        from geo.git_data import resolve_revision, temporary_checkout

        if resolve_revision(_data_dir(ctx), str(where)) is None:
            raise click.BadParameter(
                f"{where!r} is neither a data directory, a postgresql:// URL, nor a git revision of the "
                f"repository holding {_data_dir(ctx)}",
                param_hint="OLD/NEW",
            )
        holder, root = temporary_checkout(_data_dir(ctx), str(where))
        stack.callback(holder.cleanup)
        catalog, problems = read_catalog(root)
    if problems:
        raise DataError([Problem(f"{label}: {p.file}", p.record, p.field, p.message) for p in problems])
    info = {
        "version": catalog.atlas.version if catalog.atlas else None,
        "data_hash": catalog.identity.data_hash,
        "data_date": catalog.identity.data_date,
    }
    return catalog, info


@cli.command()
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="[NEW]", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the differences as JSON (for tools) instead of text.")
@click.pass_context
def diff(ctx: click.Context, old: str, new: str | None, as_json: bool) -> None:
    """What changed from OLD to NEW: records added, removed and changed, field by field.

    OLD and NEW are each a data directory, a git revision (a commit, tag or branch of the
    repository that holds --data: HEAD~3, v1.0.0) or a published schema
    (postgresql://HOST/DATABASE/SCHEMA). NEW defaults to --data. A moved feature says how far
    it moved. Exit status 0 whether or not there are differences.
    """
    import json
    from contextlib import ExitStack

    from geo.diff import diff_catalogs

    source = _source(ctx)
    new_where = (
        new
        if new is not None
        else str(source)
        if isinstance(source, Path)
        else f"{source.shown} schema {source.schema}"
    )
    with ExitStack() as stack:
        old_catalog, old_info = _read_version(ctx, old, stack)
        new_catalog, new_info = _read_version(ctx, new if new is not None else source, stack)
        result = diff_catalogs(old_catalog, new_catalog)
    if as_json:
        click.echo(
            json.dumps(result.as_json(old, new_where, old_info, new_info), ensure_ascii=False, indent=1, sort_keys=True)
        )
    else:
        click.echo("\n".join(terminal_safe(line) for line in result.text().splitlines()))


def main() -> None:
    cli(prog_name="geo")


if __name__ == "__main__":
    main()
