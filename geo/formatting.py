"""Dates, numbers, money and counts in a reader's language, formatted at build time with Babel's CLDR data.

A browser's own `Intl` knows few of the region's locales (no Kazakh or Tajik dates in
Chromium), so every date, value and count a page, sheet or export shows is formatted here, once,
for each language the atlas has, and the page only picks the text of its language. The words
around the numbers ("about", "№") come from the gettext catalogs (geo/messages.py).
"""

from __future__ import annotations

import datetime
from functools import cache
from typing import Any

from babel import Locale, dates, numbers, units

from geo.messages import N_, translate, translate_plural

# The CLDR locale each language formats with. English keeps the day-month-year order the atlas
# has always used (9 May 2024, US$2.19bn); any other language formats as its own locale.
FORMAT_LOCALES = {"en": "en_GB"}

UNIT_KEYS = {
    "km": "length-kilometer",
    "m": "length-meter",
    "km2": "area-square-kilometer",
    "m2": "area-square-meter",
    "ha": "area-hectare",
    "t": "mass-tonne",
}
QUALIFIERS = {
    "about": N_("about {value}"),
    "over": N_("over {value}"),
    "nearly": N_("nearly {value}"),
    "up_to": N_("up to {value}"),
}
RANK = N_("No. {value}")
UNKNOWN_DATE = N_("date unknown")
PERIOD_FROM = N_("from {date}")
PERIOD_BY = N_("by {date}")
AS_OF = N_("as of {date}")


@cache
def locale_of(lang: str) -> Locale:
    return Locale.parse(FORMAT_LOCALES.get(lang, lang))


def _parts(value: str) -> tuple[datetime.date, str]:
    """A partial ISO date as a date (missing parts 1) and its skeleton: year, month or day."""
    bits = [int(b) for b in value.split("-")]
    skeleton = {1: "y", 2: "yMMMM", 3: "long"}[len(bits)]
    return datetime.date(bits[0], bits[1] if len(bits) > 1 else 1, bits[2] if len(bits) > 2 else 1), skeleton


def format_partial_date(value: str | None, lang: str) -> str:
    """ "2024-05-09" → 9 May 2024 / 9 мая 2024 г.; "2024-05" → May 2024 / май 2024 г.; "2024" → 2024."""
    if not value:
        return translate(lang, UNKNOWN_DATE)
    date, skeleton = _parts(value)
    locale = locale_of(lang)
    if skeleton == "long":
        return str(dates.format_date(date, "long", locale=locale))
    return str(dates.format_skeleton(skeleton, date, locale=locale))


def format_period(start: str | None, end: str | None, lang: str) -> str:
    """A figure's period: an interval in the locale's own form when both ends have the same precision."""
    if start and end:
        (a, skel_a), (b, skel_b) = _parts(start), _parts(end)
        if skel_a == skel_b and start != end:
            skeleton = "yMMMMd" if skel_a == "long" else skel_a
            return str(dates.format_interval(a, b, skeleton, locale=locale_of(lang)))
        if start == end:
            return format_partial_date(start, lang)
        return f"{format_partial_date(start, lang)} – {format_partial_date(end, lang)}"
    if start:
        return translate(lang, PERIOD_FROM).format(date=format_partial_date(start, lang))
    if end:
        return translate(lang, PERIOD_BY).format(date=format_partial_date(end, lang))
    return ""


def format_number(value: float, lang: str) -> str:
    """Grouped by the locale (2,190,000 / 2 190 000), up to three decimals, none when whole."""
    return str(numbers.format_decimal(round(value, 3), locale=locale_of(lang), decimal_quantization=False))


def format_value(value: float, unit: str | None, qualifier: str | None, lang: str) -> str:
    """A figure's value with its unit and the source's hedge: "about US$2.19bn", «около 80 %»."""
    locale = locale_of(lang)
    if unit == "USD":
        if abs(value) >= 1_000_000:
            text = str(numbers.format_compact_currency(value, "USD", locale=locale, fraction_digits=3))
        else:
            text = str(
                numbers.format_currency(value, "USD", locale=locale, currency_digits=False, decimal_quantization=False)
            )
    elif unit == "percent":
        text = str(numbers.format_percent(value / 100, locale=locale, decimal_quantization=False))
    elif unit in UNIT_KEYS:
        text = str(units.format_unit(round(value, 3), UNIT_KEYS[unit], length="short", locale=locale))
    elif unit == "year":  # a calendar year: 2027, never "2,027"
        text = str(int(value)) if float(value).is_integer() else format_number(value, lang)
    elif unit == "rank":
        text = translate(lang, RANK).format(value=format_number(value, lang))
    else:  # count, ratio, none
        text = format_number(value, lang)
    hedge = QUALIFIERS.get(qualifier or "")
    return translate(lang, hedge).format(value=text) if hedge else text


def format_distance(metres: float, lang: str) -> str:
    """A length for the reader: metres below a kilometre, else kilometres to 0.1."""
    if metres >= 1000:
        return format_value(round(metres / 100) / 10, "km", None, lang)
    return format_value(round(metres), "m", None, lang)


def format_count(count: int, singular: str, plural: str, lang: str) -> str:
    """A count with its noun in the language's plural form: 3 features / 3 объекта / 5 объектов."""
    return translate_plural(lang, singular, plural, count).format(n=format_number(count, lang))


def number_symbols(lang: str) -> dict[str, Any]:
    """What the page needs to write a number it computes itself (a measured distance, a count)."""
    locale = locale_of(lang)
    return {
        "decimal": numbers.get_decimal_symbol(locale),
        "group": numbers.get_group_symbol(locale),
        "km": str(units.format_unit(0, "length-kilometer", length="short", locale=locale)).replace("0", "{0}", 1),
        "m": str(units.format_unit(0, "length-meter", length="short", locale=locale)).replace("0", "{0}", 1),
    }


def feature_count(count: int, lang: str) -> str:
    """How many features a layer or map has, in the language's plural form."""
    return format_count(count, "{n} feature", "{n} features", lang)
