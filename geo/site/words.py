"""How the site says things: kinds, statuses, figures with units and hedges, dates, coordinates."""

from __future__ import annotations

from typing import TYPE_CHECKING

from geo.style import STATUS_LABELS, kind_style

if TYPE_CHECKING:
    from geo.models import Figure, FigureValue

UNIT_WORDS = {"USD": "USD", "percent": "%", "km": "km", "km2": "km²", "m2": "m²", "ha": "ha", "t": "t",
              "count": "", "ratio": "", "rank": ""}  # fmt: skip
QUALIFIER_WORDS = {"exact": "", "about": "about ", "over": "over ", "nearly": "nearly ", "up_to": "up to "}


def kind_label(kind: str) -> str:
    return kind_style(kind).label


def status_label(status: str | None) -> str:
    if status is None:
        return "not applicable"
    return str(STATUS_LABELS.get(status, status.replace("_", " ")))


def number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,}"


def figure_value(value: FigureValue | Figure) -> str:
    """'about 2,190,000,000 USD', '80 %', 'rank 4'."""
    hedge = QUALIFIER_WORDS.get(value.qualifier.value, "")
    unit = value.unit.value
    if unit == "rank":
        return f"{hedge}rank {number(value.value)}"
    words = UNIT_WORDS.get(unit, unit)
    return f"{hedge}{number(value.value)}{' ' + words if words else ''}"


def period(figure: Figure) -> str:
    if figure.period_start and figure.period_end:
        return (
            figure.period_start
            if figure.period_start == figure.period_end
            else f"{figure.period_start} to {figure.period_end}"
        )
    return figure.period_start or figure.period_end or ""


def lon_lat(lon: float, lat: float) -> str:
    """'41.5689° N, 69.0751° E' (as written in the data, which keeps at most 4 decimals)."""
    ns = "N" if lat >= 0 else "S"
    ew = "E" if lon >= 0 else "W"
    return f"{abs(lat):.4f}° {ns}, {abs(lon):.4f}° {ew}"


def metres(value: float) -> str:
    return f"{value / 1000:,.1f} km" if value >= 10_000 else f"{value:,.0f} m"
