"""The relations between records as link tables: which list of ids becomes which table.

Their one home: the GeoPackage's link tables (geo/export/tables.py) and the published schema's
(geo/publish/tables.py) are both derived from these two lists, so the tables a GIS user and a
database user join on have the same names, columns and order.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RecordLink:
    """One row per item of `owner`'s list field `field`: (owner_column, target_column, position)."""

    table: str
    owner: str  # the record kind that holds the list: "projects", "events", "figures"
    owner_column: str
    field: str  # the list of ids on each record
    target: str  # the table its ids point into
    target_column: str


@dataclass(frozen=True)
class FeatureLink:
    """One row per item of a feature's joined list: the feature's own ids and its projects'."""

    table: str
    joined: str  # the joined column of the export's layer rows ("all_sources": every source)
    target: str
    target_column: str
    description: str


RECORD_LINKS = (
    RecordLink("project_sources", "projects", "project_id", "sources", "sources", "source_id"),
    RecordLink("event_projects", "events", "event_id", "projects", "projects", "project_id"),
    RecordLink("event_features", "events", "event_id", "features", "features", "feature_id"),
    RecordLink("event_sources", "events", "event_id", "sources", "sources", "source_id"),
    RecordLink("figure_projects", "figures", "figure_id", "projects", "projects", "project_id"),
    RecordLink("figure_features", "figures", "figure_id", "features", "features", "feature_id"),
    RecordLink("figure_sources", "figures", "figure_id", "sources", "sources", "source_id"),
)
FEATURE_LINKS = (
    FeatureLink("feature_projects", "projects", "projects", "project_id", "The feature's projects, in the order of its `projects` list"),
    FeatureLink("feature_events", "events", "events", "event_id", "Events about the feature or its projects, oldest first"),
    FeatureLink("feature_figures", "figures", "figures", "figure_id", "Figures about the feature or its projects"),
    FeatureLink("feature_sources", "all_sources", "sources", "source_id",
                "Every source behind the feature and its joined facts; direct = its own"),
)  # fmt: skip
