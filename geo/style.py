"""The one style vocabulary: how each kind and status looks, read by the web maps, KML and static maps.

A kind's colour, fill, symbol, line weight and opacity are declared once here; the page payload
(geo/webmap/payload.py), the KML export (geo/export/formats/kml.py) and the static renderer
(geo/static/) each translate them into their own terms and copy none of them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TypedDict

from geo.messages import N_
from geo.models import FeatureKind, Status

KML_ICONS = "https://maps.google.com/mapfiles/kml/shapes/"  # Google Earth's own icon set


@dataclass(frozen=True)
class KindStyle:
    """How one kind of feature is drawn and named.

    `symbol` is a point shape (diamond, square, station, triangle, capital, dot), or "line" or
    "area"; `weight` is a line width in CSS pixels (None: the output's default); `opacity` is the
    stroke opacity (None: opaque); `fill` is an area's fill colour (None: the stroke colour).
    """

    label: str
    symbol: str
    colour: str
    weight: int | None = None
    opacity: float | None = None
    fill: str | None = None
    kml_icon: str = "placemark_circle.png"
    kml_icon_scale: float = 1.1

    def web(self) -> dict[str, object]:
        """The page's form: only the keys that are set (the page script supplies the defaults)."""
        out: dict[str, object] = {"symbol": self.symbol, "color": self.colour, "label": self.label}
        for key in ("weight", "opacity", "fill"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        return out

    @property
    def kml_href(self) -> str:
        return KML_ICONS + self.kml_icon


# Symbol shapes are drawn by atlas.css (marker classes) for small layers and as coloured canvas
# circles for large ones; colours are from the ColorBrewer/Tableau palettes, distinct in print.
KIND_STYLES: dict[str, KindStyle] = {
    FeatureKind.border_checkpoint.value: KindStyle(N_("Border checkpoint"), "diamond", "#c0392b", kml_icon="flag.png"),
    FeatureKind.industrial_site.value: KindStyle(
        N_("Industrial cooperation site"), "square", "#7b3fa0", kml_icon="square.png"
    ),
    FeatureKind.railway_station.value: KindStyle(N_("Railway station"), "station", "#222222", kml_icon="rail.png"),
    FeatureKind.dam.value: KindStyle(N_("Dam / hydropower station"), "triangle", "#1f5f99", kml_icon="triangle.png"),
    FeatureKind.capital.value: KindStyle(N_("Capital"), "capital", "#111111", kml_icon="star.png"),
    FeatureKind.city.value: KindStyle(N_("City"), "dot", "#555555"),
    FeatureKind.railway_line.value: KindStyle(N_("Railway line"), "line", "#3d3d3d", weight=4),
    FeatureKind.corridor.value: KindStyle(
        N_("Transport corridor (schematic)"), "line", "#e67e22", weight=6, opacity=0.75
    ),
    FeatureKind.reservoir.value: KindStyle(N_("Reservoir"), "area", "#1f6fb2", fill="#7fb8e6"),
    FeatureKind.sea.value: KindStyle(N_("Sea / lake"), "area", "#1f6fb2", fill="#a9d0ef"),
}
FALLBACK_STYLE = KindStyle(N_("Feature"), "dot", "#555555")

# Lines: built and running is solid; anything not yet running is dashed; unknown is dotted.
# Dash and gap lengths in CSS pixels, as an SVG stroke-dasharray.
DASHED = "10 7"
DOTTED = "2 7"
STATUS_DASH: dict[str, str | None] = {
    Status.operational.value: None,
    Status.under_construction.value: DASHED,
    Status.agreed.value: DASHED,
    Status.proposed.value: DASHED,
    Status.unknown.value: DOTTED,
}

STATUS_LABELS = {
    Status.proposed.value: N_("Proposed"),
    Status.agreed.value: N_("Agreed"),
    Status.under_construction.value: N_("Under construction"),
    Status.operational.value: N_("Operational"),
    Status.unknown.value: N_("Status unknown"),
    "": N_("Not a project"),
}

EVENT_LABELS = {
    "signed": N_("Signed"),
    "ratified": N_("Ratified"),
    "visit": N_("Visit"),
    "meeting": N_("Meeting"),
    "adopted": N_("Adopted"),
    "assumed_chairmanship": N_("Chairmanship"),
    "cultural_event": N_("Cultural event"),
    "construction_started": N_("Construction started"),
    "status_reported": N_("Status reported"),
}

# Beside a status older than a year at build time (geo/status_age.py); {date} is its as-of date.
STATUS_AS_OF = N_("status as of {date}")
# The static sheets' credit line listing them; {date} is the reference date, {statuses} the list.
STALE_STATUSES_CREDIT = N_("Statuses over a year old at {date}: {statuses}.")


def kind_style(kind: str | None) -> KindStyle:
    """The style of a kind; an unknown kind gets a neutral grey dot rather than an error."""
    return KIND_STYLES.get(kind or "", FALLBACK_STYLE)


def dash_numbers(pattern: str | None) -> tuple[float, ...] | None:
    """A dash pattern ("10 7") as numbers in CSS pixels, or None for a solid line."""
    return tuple(float(part) for part in pattern.split()) if pattern else None


def vocabulary() -> dict[str, Mapping[str, object]]:
    """Everything the page needs to name and draw kinds and statuses (country names come from the
    base layer: render.payload adds them)."""
    return {
        "kinds": {kind: style.web() for kind, style in KIND_STYLES.items()},
        "statuses": STATUS_LABELS,
        "events": EVENT_LABELS,
        "fallback": FALLBACK_STYLE.web(),
        "drawing": {
            "line_weight": DEFAULT_LINE_WEIGHT,
            "line_opacity": DEFAULT_LINE_OPACITY,
            "dash_by_kind": dash_table(),
            "dash_follows_status": [kind for kind in (*_PATH_KINDS, "") if dash_follows_status(kind or None)],
            "dash_looks": {pattern: dash_look(pattern) for pattern in _DASH_PATTERNS},
            "area_fill_opacity": AREA_FILL_OPACITY,
            "base": BASE_OUTLINE,
            "uncertainty_min_m": UNCERTAINTY_MIN_M,
            "uncertainty": UNCERTAINTY_CIRCLE,
            "context_large_town": CONTEXT_LARGE_TOWN,
        },
        "context": {kind: style.web() for kind, style in CONTEXT_STYLES.items()},
        "label_priority": {
            "kinds": LABEL_PRIORITY,
            "other": OTHER_LABEL_PRIORITY,
            "projects_bonus": PROJECTS_LABEL_BONUS,
        },
    }


class OutlineStyle(TypedDict):
    colour: str
    weight: float
    fill: str
    fill_opacity: float


class CircleStyle(TypedDict):
    colour: str
    weight: float
    dash: str
    fill_opacity: float


# Drawing rules applied on top of the kinds: the page script reads them from its payload
# (vocabulary()["drawing"]), the static renderer from here. Lengths in CSS pixels (1 px = 0.75 pt on paper).
DEFAULT_LINE_WEIGHT = 3
DEFAULT_LINE_OPACITY = 0.9
CORRIDOR_DASH = "14 9"  # schematic corridors: wide and long-dashed whatever their status
KIND_DASH = {FeatureKind.corridor.value: CORRIDOR_DASH}  # kinds dashed whatever their status
SCHEMATIC_AREA_DASH = "6 6"
AREA_FILL_OPACITY = 0.55
BASE_OUTLINE: OutlineStyle = {"colour": "#7a7a7a", "weight": 1, "fill": "#efe9dc", "fill_opacity": 0.45}
UNCERTAINTY_MIN_M = 500  # smaller uncertainties would be invisible circles
UNCERTAINTY_CIRCLE: CircleStyle = {"colour": "#444444", "weight": 1, "dash": "4 5", "fill_opacity": 0.04}


@dataclass(frozen=True)
class ContextStyle:
    """How a context feature (data/base/context/) is drawn: quiet, thin, under every atlas symbol.

    `weight` is a line width (or a town dot's diameter) in CSS pixels; `dash` an SVG dash pattern;
    `label_colour` the colour of its name.
    """

    label: str
    colour: str
    weight: float
    opacity: float = 1.0
    dash: str | None = None
    label_colour: str = "#6f6f6f"

    def web(self) -> dict[str, object]:
        out: dict[str, object] = {
            "label": self.label,
            "color": self.colour,
            "weight": self.weight,
            "opacity": self.opacity,
            "label_color": self.label_colour,
        }
        if self.dash:
            out["dash"] = self.dash
        return out


# Muted colours, thin lines: a backdrop a reader finds their way by, never mistaken for the atlas's
# own railway lines (#3d3d3d, 4 px) or corridors (orange, 6 px). Legend words say where each is from.
CONTEXT_STYLES: dict[str, ContextStyle] = {
    "river": ContextStyle(N_("River (Natural Earth)"), "#7eaad0", 1.3, label_colour="#4f7fa8"),
    "lake_centerline": ContextStyle(N_("River (Natural Earth)"), "#7eaad0", 1.3, label_colour="#4f7fa8"),
    "railway": ContextStyle(N_("Railway, existing network (OpenStreetMap)"), "#9b8778", 1.2),
    "railway_construction": ContextStyle(N_("Railway under construction (OpenStreetMap)"), "#9b8778", 1.2, dash="4 3"),
    "town": ContextStyle(N_("Town (Natural Earth; larger dot: more people)"), "#8a8a8a", 4.0),
}
# Towns of at least this many people get the larger dot (and their names first).
CONTEXT_LARGE_TOWN = 500_000


def line_dash(kind: str | None, status: str | None, schematic: bool = False) -> str | None:
    """The dash pattern a line or area outline is drawn with, by the page's rules."""
    if kind_style(kind).symbol == "area":
        return SCHEMATIC_AREA_DASH if schematic else None
    if kind in KIND_DASH:
        return KIND_DASH[kind]
    return STATUS_DASH.get(status or Status.unknown.value)


# The kinds drawn as lines or areas; "" stands for a kind the vocabulary does not know.
_PATH_KINDS = tuple(kind for kind, style in KIND_STYLES.items() if style.symbol in ("line", "area"))
_DASH_PATTERNS = (DASHED, DOTTED, CORRIDOR_DASH, SCHEMATIC_AREA_DASH)


def dash_table() -> dict[str, dict[str, str]]:
    """line_dash for the page, as a table it looks up instead of re-deciding: kind ("" for any
    other) -> "status" or "status|schematic" -> dash pattern (solid lines are left out)."""
    table: dict[str, dict[str, str]] = {}
    for kind in (*_PATH_KINDS, ""):
        row = {}
        for status in STATUS_DASH:
            for schematic in (False, True):
                dash = line_dash(kind or None, status, schematic)
                if dash is not None:
                    row[status + ("|schematic" if schematic else "")] = dash
        table[kind] = row
    return table


def dash_follows_status(kind: str | None) -> bool:
    """Whether a line of this kind is dashed by its status (a legend then names the status)."""
    return kind_style(kind).symbol != "area" and len({line_dash(kind, status) for status in STATUS_DASH}) > 1


def dash_look(pattern: str | None) -> str:
    """How a pattern reads in a legend: solid, dashed, or dotted (dashes much shorter than the gaps)."""
    numbers = dash_numbers(pattern)
    if not numbers:
        return "solid"
    return "dotted" if numbers[0] * 2 < numbers[1] else "dashed"


# Which names are placed first where labels compete for room, by kind (higher first), on the web
# maps and the static sheets alike: capitals and the border sites, then the cities and railway
# lines a reader finds the stations by, then the stations (a bypass has several within a few
# km), water, corridors. Country names come after every feature.
LABEL_PRIORITY: dict[str, int] = {
    FeatureKind.capital.value: 100,
    FeatureKind.border_checkpoint.value: 95,
    FeatureKind.industrial_site.value: 90,
    FeatureKind.dam.value: 85,
    FeatureKind.city.value: 82,
    FeatureKind.railway_line.value: 81,
    FeatureKind.railway_station.value: 75,
    FeatureKind.reservoir.value: 65,
    FeatureKind.sea.value: 60,
    FeatureKind.corridor.value: 45,
}
OTHER_LABEL_PRIORITY = 50
PROJECTS_LABEL_BONUS = 6  # the sites the map is about (those with projects) before the places around them


def label_priority(kind: str | None, has_projects: bool = False) -> int:
    """A feature's label priority (higher is placed first)."""
    return LABEL_PRIORITY.get(kind or "", OTHER_LABEL_PRIORITY) + (PROJECTS_LABEL_BONUS if has_projects else 0)
