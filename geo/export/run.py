"""One export run: check the request, plan every file, stage each job, then commit all with the manifest.

Order matters for safety: everything that can refuse (formats, layers, bbox, output directory,
foreign or changed files) is checked before the first byte is written; a job that fails is
reported and the rest go on; files of an earlier run that this run did not write again are
removed in the same commit (only while unchanged), so that the directory and its manifest
always describe one run of one version of the data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.export.context import build_context
from geo.export.errors import ExportUsageError
from geo.export.formats import FORMATS
from geo.export.geometry import COORDINATE_DECIMALS, CRS, BBox, check_bbox
from geo.export.manifest import MANIFEST, build_manifest, file_entry_staged, manifest_bytes, read_owned
from geo.outdir import OutputDir, OutputUsageError, output_dir, refuse_data_dir
from geo.sizes import human_size

if TYPE_CHECKING:
    from geo.catalog import Catalog
    from geo.export.context import ExportContext
    from geo.export.formats.base import Job


@dataclass
class ExportReport:
    """What a run wrote (manifest last), what failed (one message per failed job) and what it removed."""

    files: list[Path] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    manifest: Path | None = None


def _select(requested: Sequence[str] | None, known: Sequence[str], what: str) -> list[str]:
    """The requested names in the registry's order, each once; all when none are requested."""
    if not requested:
        return list(known)
    unknown = [name for name in requested if name not in known]
    if unknown:
        raise ExportUsageError(f"unknown {what} {', '.join(unknown)} ({what}s: {', '.join(known)})")
    return [name for name in known if name in set(requested)]


def export_catalog(
    catalog: Catalog,
    out_dir: Path,
    *,
    formats: list[str] | None = None,
    layers: list[str] | None = None,
    bbox: BBox | None = None,
    force: bool = False,
    csv_raw: bool = False,
    progress: Callable[[str], None] = lambda line: None,
) -> ExportReport:
    """Write the selected layers in the selected formats into out_dir, with manifest.json.

    Every file is staged first and the whole run is committed at the end (geo/outdir.py): an
    interrupted run leaves the previous export, or a journal the next run finishes.
    """
    out_dir = Path(out_dir)
    names = _select(formats, list(FORMATS), "format")
    layer_ids = _select(layers, list(catalog.layers), "layer")
    bbox = check_bbox(bbox)
    try:
        refuse_data_dir(out_dir, catalog.data_dir)
        if out_dir.exists() and not out_dir.is_dir():
            raise OutputUsageError(f"--out {out_dir} exists and is not a directory")
        ctx = build_context(catalog, layer_ids, bbox)
        ctx.csv_raw = csv_raw
        jobs = [job for name in names for job in FORMATS[name].plan(ctx)]
        with output_dir(out_dir, data_dir=catalog.data_dir, command="export", force=force, owned=read_owned) as od:
            for note in od.notes:
                progress(note)
            od.check_targets([*(path for job in jobs for path in job.paths), MANIFEST])
            return _write(catalog, ctx, od, jobs, names, layer_ids, bbox, progress)
    except OutputUsageError as exc:
        raise ExportUsageError(str(exc)) from None


def _write(
    catalog: Catalog,
    ctx: ExportContext,
    od: OutputDir,
    jobs: list[Job],
    names: list[str],
    layer_ids: list[str],
    bbox: BBox | None,
    progress: Callable[[str], None],
) -> ExportReport:
    """Stage every job (a failing one costs only itself), then commit them with the manifest."""
    report = ExportReport()
    entries: list[dict[str, Any]] = []
    for job in jobs:
        try:
            with od.stage(list(job.paths)) as temps:
                job.write(temps)
        except Exception as exc:  # any writer error costs only this job; it is reported, not raised
            message = f"{job.label}: could not write {', '.join(job.paths)}: {type(exc).__name__}: {exc}"
            report.failures.append(message)
            progress(f"FAILED {message}")
            continue
        for path, temp in zip(job.paths, temps):
            ctx.written[path] = temp  # a later job may reuse it (kmz the kml) before the commit
            entries.append(file_entry_staged(path, od.staged_size(path), od.sha256(path), job.format, job.layer))
            report.files.append(od.path / path)
            progress(f"wrote {path} ({human_size(entries[-1]['bytes'])})")
    manifest = build_manifest(
        files=entries,
        formats=names,
        layers=[
            {
                "id": layer_id,
                "title": catalog.layers[layer_id].spec.title,
                "geometry_type": ctx.geometry_type(layer_id),
                "features": len(ctx.flat[layer_id]),
            }
            for layer_id in layer_ids
        ],
        data_hash=ctx.provenance.data_hash,
        data_date=ctx.provenance.data_date,
        crs=CRS,
        coordinate_decimals=COORDINATE_DECIMALS,
        bbox=bbox,
        failures=report.failures,
    )
    od.stage_bytes(MANIFEST, manifest_bytes(manifest))
    written = {entry["path"] for entry in entries} | {MANIFEST}
    removed, kept = od.commit(remove=set(od.owned) - written)
    report.removed = [od.path / path for path in removed]
    for path in removed:
        progress(f"removed {path} (written by an earlier export, not by this one)")
    for path in kept:
        progress(f"kept {path}: written by an earlier export but changed since, so it is not this command's to remove")
    report.manifest = od.path / MANIFEST
    report.files.append(report.manifest)
    progress(f"wrote {MANIFEST}")
    return report
