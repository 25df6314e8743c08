"""What a format is to the export: a name and a plan of jobs, each writing named files.

Planning comes before writing so that the run knows every path it will touch (to refuse foreign
files) before it writes anything; each job is then written atomically on its own, so one failing
job costs only its own files.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from geo.export.context import ExportContext


@dataclass(frozen=True)
class Job:
    """Write `paths` (relative to the output directory) by calling `write` with one temporary path each."""

    format: str
    layer: str | None
    paths: tuple[str, ...]
    write: Callable[[list[Path]], None]

    @property
    def label(self) -> str:
        return f"{self.format} (layer {self.layer})" if self.layer else self.format


@dataclass(frozen=True)
class Format:
    """A registered output format: `plan` lists the jobs for one run."""

    name: str
    title: str
    plan: Callable[[ExportContext], list[Job]]


def per_layer(
    name: str, folder: str, suffixes: tuple[str, ...], write: Callable[[ExportContext, str, list[Path]], None]
) -> Callable[[ExportContext], list[Job]]:
    """A plan with one job per layer writing folder/<layer><suffix> for each suffix."""

    def plan(ctx: ExportContext) -> list[Job]:
        return [
            Job(
                name,
                layer_id,
                tuple(f"{folder}/{layer_id}{suffix}" for suffix in suffixes),
                partial(write, ctx, layer_id),
            )
            for layer_id in ctx.layer_ids
        ]

    return plan
