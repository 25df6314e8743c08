"""Every id a record names must exist: the links between layers, projects, events, figures and sources."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Iterable, Mapping
from itertools import chain, compress
from operator import attrgetter
from typing import TYPE_CHECKING

from geo.errors import Problem

MANIFEST_FILE = "atlas.yaml"  # as reports name it (geo.catalog reads it)

if TYPE_CHECKING:
    from geo.catalog import Catalog


def reference_problems(catalog: Catalog) -> list[Problem]:
    """Unknown ids in any reference, and feature ids used twice across layers."""
    problems: list[Problem] = []

    def need(ids: Iterable[str], pool: Mapping[str, object], file: str, record: str, field: str, what: str) -> None:
        for index, ref in enumerate(ids):
            if ref not in pool:
                problems.append(Problem(file, record, f"{field}[{index}]", f"unknown {what} id '{ref}'"))

    # Feature id -> the file that has it, one mapping per layer (a million-feature layer is not copied).
    seen: ChainMap[str, str] = ChainMap()
    for layer in catalog.layers.values():
        file = layer.shown
        properties = list(map(attrgetter("properties"), layer.features))
        # Checked layer-wide first (sets and maps, in C); a layer with a fault is walked feature by feature to name it.
        ids = dict.fromkeys(map(attrgetter("id"), properties), file)
        # Two key views: isdisjoint walks the smaller (a plain dict would be walked whole, a million ids).
        if len(ids) != len(properties) or not all(earlier.keys().isdisjoint(ids.keys()) for earlier in seen.maps):
            ids = {}
            for props in properties:
                if props.id in seen or props.id in ids:
                    problems.append(
                        Problem(
                            file,
                            props.id,
                            "id",
                            f"duplicate feature id (also in {seen.get(props.id) or ids[props.id]})",
                        )
                    )
                ids.setdefault(props.id, file)
        seen.maps.append(ids)
        if not set(chain.from_iterable(map(attrgetter("sources"), properties))) <= catalog.sources.keys():
            for props in properties:
                need(props.sources, catalog.sources, file, props.id, "sources", "source")
        if not set(chain.from_iterable(map(attrgetter("projects"), properties))) <= catalog.projects.keys():
            for props in properties:
                need(props.projects, catalog.projects, file, props.id, "projects", "project")
        if not set(chain.from_iterable(map(attrgetter("status_sources"), properties))) <= catalog.sources.keys():
            for props in compress(properties, map(attrgetter("status_sources"), properties)):
                need(props.status_sources, catalog.sources, file, props.id, "status_sources", "source")
        for props in compress(properties, map(attrgetter("positions"), properties)):
            for index, position in enumerate(props.positions):
                if position.source not in catalog.sources:
                    problems.append(
                        Problem(file, props.id, f"positions[{index}].source", f"unknown source id '{position.source}'")
                    )
    projects_file, events_file, figures_file, maps_file = (
        catalog.shown_file(key) for key in ("projects", "events", "figures", "maps")
    )
    for project in catalog.projects.values():
        need(project.sources, catalog.sources, projects_file, project.id, "sources", "source")
        need(project.status_sources, catalog.sources, projects_file, project.id, "status_sources", "source")
    for event in catalog.events.values():
        need(event.projects, catalog.projects, events_file, event.id, "projects", "project")
        need(event.features, seen, events_file, event.id, "features", "feature")
        need(event.sources, catalog.sources, events_file, event.id, "sources", "source")
    for figure in catalog.figures.values():
        need(figure.projects, catalog.projects, figures_file, figure.id, "projects", "project")
        need(figure.features, seen, figures_file, figure.id, "features", "feature")
        need(figure.sources, catalog.sources, figures_file, figure.id, "sources", "source")
        for index, alternative in enumerate(figure.alternatives):
            need(
                alternative.sources,
                catalog.sources,
                figures_file,
                figure.id,
                f"alternatives[{index}].sources",
                "source",
            )
    for spec in catalog.maps.values():
        need(spec.layers, catalog.layers, maps_file, spec.id, "layers", "layer")
    base_source = catalog.atlas.base_source if catalog.atlas else None
    if base_source is not None and base_source not in catalog.sources:
        problems.append(
            Problem(catalog.shown_file("manifest"), "(atlas)", "base_source", f"unknown source id '{base_source}'")
        )
    return problems
