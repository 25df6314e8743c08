"""One export run: check the request, plan every file, write each job atomically, then the manifest.

Order matters for safety: everything that can refuse (formats, layers, bbox, output directory,
foreign files) is checked before the first byte is written; a job that fails is reported and
the rest go on; files of an earlier run that this run did not write again are removed, so that
the directory and its manifest always describe one run of one version of the data.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from geo.atomic import atomic_outputs
from geo.export.context import build_context
from geo.export.errors import ExportUsageError
from geo.export.formats import FORMATS
from geo.export.geometry import COORDINATE_DECIMALS, CRS, BBox, check_bbox
from geo.export.guard import check_out_dir, check_targets
from geo.export.manifest import MANIFEST, build_manifest, file_entry, read_owned, write_manifest
from geo.sizes import human_size

if TYPE_CHECKING:
    from geo.catalog import Catalog


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


def _prune(out_dir: Path, stale: set[str]) -> list[Path]:
    """Remove files an earlier run wrote and this one did not, and the folders they leave empty."""
    removed = []
    root = out_dir.resolve()
    for relative in sorted(stale):
        path = out_dir / relative
        if path.is_file() and not path.is_symlink() and root in path.resolve().parents:
            path.unlink()
            removed.append(path)
            parent = path.parent
            while parent.resolve() != root and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
    return removed


def export_catalog(
    catalog: Catalog,
    out_dir: Path,
    *,
    formats: list[str] | None = None,
    layers: list[str] | None = None,
    bbox: BBox | None = None,
    progress: Callable[[str], None] = lambda line: None,
) -> ExportReport:
    """Write the selected layers in the selected formats into out_dir, with manifest.json."""
    out_dir = Path(out_dir)
    names = _select(formats, list(FORMATS), "format")
    layer_ids = _select(layers, list(catalog.layers), "layer")
    bbox = check_bbox(bbox)
    check_out_dir(out_dir, Path(catalog.root))
    owned = read_owned(out_dir)

    ctx = build_context(catalog, layer_ids, bbox)
    jobs = [job for name in names for job in FORMATS[name].plan(ctx)]
    check_targets(out_dir, Path(catalog.root), [path for job in jobs for path in job.paths], owned)
    out_dir.mkdir(parents=True, exist_ok=True)

    report = ExportReport()
    entries = []
    for job in jobs:
        try:
            with atomic_outputs([out_dir / path for path in job.paths]) as temps:
                job.write(temps)
        except Exception as exc:  # any writer error costs only this job; it is reported, not raised
            message = f"{job.label}: could not write {', '.join(job.paths)}: {type(exc).__name__}: {exc}"
            report.failures.append(message)
            progress(f"FAILED {message}")
            continue
        for path in job.paths:
            ctx.written[path] = out_dir / path
            entries.append(file_entry(out_dir, path, job.format, job.layer))
            report.files.append(out_dir / path)
            progress(f"wrote {path} ({human_size(entries[-1]['bytes'])})")

    report.removed = _prune(out_dir, owned - {entry["path"] for entry in entries})
    for path in report.removed:
        progress(f"removed {path.relative_to(out_dir).as_posix()} (written by an earlier export, not by this one)")
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
    report.manifest = write_manifest(out_dir, manifest)
    report.files.append(report.manifest)
    progress(f"wrote {MANIFEST}")
    return report
