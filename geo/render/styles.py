"""How each kind and status looks on the map, and the words people read for them."""

from __future__ import annotations

from geo.countries import COUNTRY_NAMES
from geo.models import FeatureKind, Status

# Symbol shapes are drawn by atlas.css (marker classes) for small layers and as coloured canvas
# circles for large ones; colours are from the ColorBrewer/Tableau palettes, distinct in print.
KIND_STYLES: dict[str, dict[str, object]] = {
    FeatureKind.border_checkpoint.value: {"symbol": "diamond", "color": "#c0392b", "label": "Border checkpoint"},
    FeatureKind.industrial_site.value: {"symbol": "square", "color": "#7b3fa0", "label": "Industrial cooperation site"},
    FeatureKind.railway_station.value: {"symbol": "station", "color": "#222222", "label": "Railway station"},
    FeatureKind.dam.value: {"symbol": "triangle", "color": "#1f5f99", "label": "Dam / hydropower station"},
    FeatureKind.capital.value: {"symbol": "capital", "color": "#111111", "label": "Capital"},
    FeatureKind.city.value: {"symbol": "dot", "color": "#555555", "label": "City"},
    FeatureKind.railway_line.value: {"symbol": "line", "color": "#3d3d3d", "weight": 4, "label": "Railway line"},
    FeatureKind.corridor.value: {"symbol": "line", "color": "#e67e22", "weight": 6, "opacity": 0.75, "label": "Transport corridor (schematic)"},
    FeatureKind.reservoir.value: {"symbol": "area", "color": "#1f6fb2", "fill": "#7fb8e6", "label": "Reservoir"},
    FeatureKind.sea.value: {"symbol": "area", "color": "#1f6fb2", "fill": "#a9d0ef", "label": "Sea / lake"},
}

# Lines: built and running is solid; anything not yet running is dashed; unknown is dotted.
STATUS_DASH: dict[str, str | None] = {
    Status.operational.value: None,
    Status.under_construction.value: "10 7",
    Status.agreed.value: "10 7",
    Status.proposed.value: "10 7",
    Status.unknown.value: "2 7",
}

STATUS_LABELS = {
    Status.proposed.value: "Proposed",
    Status.agreed.value: "Agreed",
    Status.under_construction.value: "Under construction",
    Status.operational.value: "Operational",
    Status.unknown.value: "Status unknown",
    "": "Not a project",
}

EVENT_LABELS = {
    "signed": "Signed",
    "ratified": "Ratified",
    "visit": "Visit",
    "meeting": "Meeting",
    "adopted": "Adopted",
    "assumed_chairmanship": "Chairmanship",
}


def vocabulary() -> dict[str, dict[str, object]]:
    """Everything the page needs to name and draw kinds, statuses and countries."""
    return {
        "kinds": KIND_STYLES,
        "statuses": STATUS_LABELS,
        "dash": STATUS_DASH,
        "countries": COUNTRY_NAMES,
        "events": EVENT_LABELS,
    }
