"""The field dictionary: every column of a feature as outputs show it, declared once.

Exports (the flattening, the Shapefile field mapping, KML rows), the PostGIS comments, the
map pages and the static sheets read names, types, labels and descriptions from here; the
data's own field dictionary for editors is data/README.md (a test keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.messages import N_


@dataclass(frozen=True)
class Field:
    """One column of a flattened feature: name, value type, the label people read, and what it holds."""

    name: str
    type: str  # "str", "bool" or "float"
    label: str
    description: str


# The columns of every exported layer, in order. The schema is fixed here rather than taken from
# whatever the catalog frame holds, so that a new catalog column cannot silently change exports.
FEATURE_FIELDS: tuple[Field, ...] = (
    Field("id", "str", N_("Id"), "Feature id, unique in the atlas"),
    Field("layer", "str", N_("Layer"), "Layer id"),
    Field("name", "str", N_("Name"), "Name in English"),
    Field("name_ru", "str", N_("Russian"), "Name in Russian"),
    Field("name_local", "str", N_("Local"), "Name in the local language"),
    Field("local_lang", "str", N_("Language"), "Language code of name_local"),
    Field("kind", "str", N_("Kind"), "What the feature is (capital, dam, railway_line, ...)"),
    Field("country", "str", N_("Countries"), "ISO 3166-1 alpha-2 codes, '; '-joined"),
    Field("status", "str", N_("Status"), "Project status (proposed ... operational, unknown); null when not a project"),
    Field(
        "status_as_of",
        "str",
        N_("Status as of"),
        "When a source last reported the status (ISO date, as precise as the source)",
    ),
    Field("status_sources", "str", N_("Status sources"), "Ids of the sources that report the status, '; '-joined"),
    Field(
        "status_stale",
        "bool",
        N_("Status over a year old"),
        "True when status_as_of is more than a year before the atlas's reference date: read the status as 'status as of status_as_of'",
    ),
    Field("schematic", "bool", N_("Schematic"), "True when the geometry is drawn schematically, not surveyed"),
    Field("accuracy_m", "float", N_("Accuracy"), "Estimated positional accuracy in metres"),
    Field("geometry_source", "str", N_("Geometry"), "Where the geometry comes from"),
    Field(
        "geometry_source_ru",
        "str",
        N_("Geometry (Russian)"),
        "geometry_source in Russian (data/i18n/ru.yaml: the atlas's translation)",
    ),
    Field("note", "str", N_("Note"), "Free-text note"),
    Field("note_ru", "str", N_("Note (Russian)"), "note in Russian (data/i18n/ru.yaml: the atlas's translation)"),
    Field("sources", "str", N_("Own sources"), "Ids of the feature's own sources, '; '-joined"),
    Field("projects", "str", N_("Projects"), "Ids of the feature's projects, '; '-joined"),
    Field("project_names", "str", N_("Projects"), "Names of those projects, '; '-joined in the same order"),
    Field(
        "project_names_ru",
        "str",
        N_("Projects (Russian)"),
        "The projects' names in Russian, '; '-joined in the same order",
    ),
    Field("events", "str", N_("Events"), "Ids of events about the feature or its projects, oldest first, '; '-joined"),
    Field("figures", "str", N_("Figures"), "Ids of figures about the feature or its projects, '; '-joined"),
    Field(
        "all_sources", "str", N_("Sources"), "Ids of every source behind the feature and its joined facts, '; '-joined"
    ),
)
FEATURE_FIELDS_BY_NAME = {field.name: field for field in FEATURE_FIELDS}


def label(name: str) -> str:
    """The label people read for a column."""
    return FEATURE_FIELDS_BY_NAME[name].label


# The field dictionary for editors: data/README.md, one table per file under a `## <file>` heading.
FIELD_DICTIONARY_FILE = "README.md"


def parse_field_dictionary(text: str) -> dict[str, dict[str, str]]:
    """The meaning of each field, by the README section that documents it ('metadata/events.yaml', ...).

    A table row names its field(s) in backquotes in the first cell and says what it holds in the
    third; a row without a meaning falls back to its type (the second cell).
    """
    import re

    sections: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in text.splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip(), {})
        elif current is not None and line.startswith("| `"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if len(cells) >= 3:
                for name in re.findall(r"`([a-z_]+)`", cells[0]):
                    meaning = cells[2].replace("`", "")
                    current[name] = meaning or ("Record id" if name == "id" else cells[1].replace("`", ""))
    return sections
