"""How old a status is at build time: the one rule for "status as of <date>".

A status is true as of the day a source reported it. Maps, sheets, exports and
`geo validate --strict` ask here whether it is older than a year at the atlas's reference date:
data/atlas.yaml's `build_date` when given, else the data date (the newest source's date), never
the wall clock, so that the same data always builds the same bytes.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from geo.models import STATUS_STALE_AFTER_DAYS, Status

if TYPE_CHECKING:
    from geo.catalog import Catalog


def last_day(partial: str) -> dt.date:
    """The last day a partial ISO date can mean: '2024' -> 2024-12-31, '2024-02' -> 2024-02-29."""
    parts = [int(part) for part in partial.split("-")]
    year = parts[0]
    month = parts[1] if len(parts) > 1 else 12
    day = parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1]
    return dt.date(year, month, day)


def reference_date(catalog: Catalog) -> str | None:
    """The date statuses are judged at: the atlas's build_date, else the data date."""
    from geo.data_version import data_date

    explicit = catalog.atlas.build_date if catalog.atlas is not None else None
    return explicit or data_date(catalog)


def is_stale(status: Status | None, as_of: str | None, reference: str | None) -> bool:
    """True when a status that can go stale was last reported more than a year before `reference`.

    Both dates are taken at the last day they can mean, so a status is called stale only when it
    surely is ("2024" against "2025-06": 2024-12-31 is under a year before 2025-06-30).
    """
    if status is None or not status.can_go_stale or as_of is None or reference is None:
        return False
    return (last_day(reference) - last_day(as_of)).days > STATUS_STALE_AFTER_DAYS


@dataclass(frozen=True)
class StaleStatus:
    """A record whose status is older than a year at the reference date."""

    file: str
    record: str
    status: Status
    as_of: str


def stale_statuses(catalog: Catalog, reference: str | None = None) -> list[StaleStatus]:
    """Every feature and project whose status is older than a year at `reference` (default: reference_date)."""
    when = reference or reference_date(catalog)
    found: list[StaleStatus] = []
    for layer in catalog.layers.values():
        file = layer.shown
        for feature in layer.features:
            props = feature.properties
            if is_stale(props.status, props.status_as_of, when):
                assert props.status is not None and props.status_as_of is not None  # is_stale said so
                found.append(StaleStatus(file, props.id, props.status, props.status_as_of))
    projects_file = catalog.shown_file("projects")
    for project in catalog.projects.values():
        if is_stale(project.status, project.status_as_of, when):
            assert project.status_as_of is not None
            found.append(StaleStatus(projects_file, project.id, project.status, project.status_as_of))
    return found
