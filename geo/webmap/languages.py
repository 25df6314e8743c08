"""The page's languages: interface messages, data texts and formatted values for each, in the payload.

The page switches language without loading anything: it carries, for every language the atlas
has, the gettext messages its script uses (msgid → text, or the plural forms), the plural rule
as a table (geo/messages.py), the number symbols for what it computes itself (a measured
distance, a count), every date and figure value already formatted by Babel (geo/formatting.py),
and the data's texts in that language (geo/texts.py). English is the payload's own text.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from itertools import compress
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from babel import Locale
from babel.messages.mofile import read_mo

from geo.formatting import AS_OF, format_partial_date, format_period, format_value, number_symbols
from geo.messages import DOMAIN, LOCALE_DIR, N_, SOURCE_LANGUAGE, languages, plural_table, translate
from geo.texts import IN_RECORD, localized, translated_keys
from geo.webmap.compact import decode_compact_column
from geo.webmap.encoding import decode_column

if TYPE_CHECKING:
    from geo.catalog import Catalog

STATED_DRAWN = N_("stated {stated} · drawn {drawn}")


@cache
def page_messages(lang: str) -> dict[str, Any]:
    """Every msgid of a language's catalog → its text (a list of forms for a counted text)."""
    if lang == SOURCE_LANGUAGE:
        return {}
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as handle:
        catalog = read_mo(handle)
    out: dict[str, Any] = {}
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            out[message.id[0]] = list(message.string or ())
        else:
            out[message.id] = message.string
    return dict(sorted(out.items()))


def language_name(lang: str) -> str:
    """A language's name in itself, as a language menu shows it (English, Русский)."""
    name = str(Locale.parse(lang).get_display_name(lang))
    return name[:1].upper() + name[1:]


def _dates(payload: dict[str, Any]) -> set[str]:
    found: set[str] = set()
    for event in payload["events"].values():
        if event.get("date"):
            found.add(event["date"])
    for source in payload["sources"].values():
        if source.get("published"):
            found.add(source["published"])
    for project in payload["projects"].values():  # "status as of <date>"
        if project.get("status_as_of"):
            found.add(project["status_as_of"])
    for layer in payload["layers"]:
        column = layer["properties"].get("status_as_of")
        if column is not None:
            values = decode_compact_column(column) if layer.get("compact") else decode_column(column)
            found.update(date for date in values if date)
    return found


def figure_texts(figure: dict[str, Any], lang: str) -> dict[str, Any]:
    """A figure's values (its own, then other sources'), period and measured size, formatted."""
    values = [format_value(figure["value"], figure.get("unit"), figure.get("qualifier"), lang)]
    values += [
        format_value(alt["value"], alt.get("unit"), alt.get("qualifier"), lang)
        for alt in figure.get("alternatives") or []
        if isinstance(alt, dict) and isinstance(alt.get("value"), int | float)
    ]
    period = format_period(figure.get("period_start"), figure.get("period_end"), lang)
    if figure.get("as_of"):
        as_of = translate(lang, AS_OF).format(date=format_partial_date(figure["as_of"], lang))
        period = f"{period}, {as_of}" if period else as_of
    out: dict[str, Any] = {"values": values, "period": period}
    measured = figure.get("measured")
    if measured:
        stated = format_value(figure["value"], figure.get("unit"), None, lang)
        drawn = format_value(measured["value"], measured.get("unit"), None, lang)
        out["measured"] = translate(lang, STATED_DRAWN).format(stated=stated, drawn=drawn)
    return out


_FEATURE_ID = attrgetter("properties.id")


def _texts(catalog: Catalog, payload: dict[str, Any], lang: str) -> dict[str, Any]:
    """The data's texts in `lang` that the page shows, where they differ from the English."""

    def pick(section: str, record_id: str, fields: Iterable[tuple[str, str | None]]) -> dict[str, str]:
        out = {}
        for field, english in fields:
            if english:
                text = localized(catalog, lang, section, record_id, field, english)
                if text != english:
                    out[field] = text
        return out

    spec = payload["map"]
    texts: dict[str, Any] = {
        "map": pick("maps", spec["id"], [("title", spec["title"]), ("description", spec.get("description"))])
    }
    if catalog.atlas is not None:
        texts["atlas"] = pick("atlas", "atlas", [("title", catalog.atlas.title)])
    texts["layers"] = {
        layer["id"]: pick("layers", layer["id"], [("title", layer["title"]), ("description", layer.get("description"))])
        for layer in payload["layers"]
    }
    texts["countries"] = {
        iso: name
        for iso, english in payload["vocabulary"]["countries"].items()
        if (name := localized(catalog, lang, "countries", iso, "name", english)) != english
    }
    features: dict[str, Any] = {}
    # A feature's note and source of geometry have a text in `lang` only where the translation
    # file names the feature: only those are looked at (a million-feature layer names none).
    fields = {("features", "note"), ("features", "geometry_source")}
    named = None if fields & IN_RECORD else {key[1] for key in translated_keys(catalog, lang) if key[0] == "features"}
    for layer_id in spec["layers"]:
        layer_features = catalog.layers[layer_id].features
        if named is not None:
            layer_features = list(compress(layer_features, map(named.__contains__, map(_FEATURE_ID, layer_features))))
        for feature in layer_features:
            props = feature.properties
            feature_texts = pick(
                "features", props.id, [("note", props.note), ("geometry_source", props.geometry_source)]
            )
            if feature_texts:
                features[props.id] = feature_texts
    texts["features"] = features
    texts["projects"] = {
        i: pick("projects", i, [("name", r["name"]), ("summary", r.get("summary"))])
        for i, r in payload["projects"].items()
    }
    texts["events"] = {
        i: pick("events", i, [("title", r["title"]), ("note", r.get("note"))]) for i, r in payload["events"].items()
    }
    figures: dict[str, Any] = {}
    for i, r in payload["figures"].items():
        record: dict[str, Any] = pick("figures", i, [("label", r["label"]), ("note", r.get("note"))])
        notes = [
            localized(catalog, lang, "figures", i, f"alternatives.{n}.note", alt["note"]) if alt.get("note") else None
            for n, alt in enumerate(r.get("alternatives") or [])
            if isinstance(alt, dict)
        ]
        if any(notes):
            record["alternative_notes"] = notes
        figures[i] = record
    texts["figures"] = figures
    # The credit lines the sources word (their attribution), by their English: the page's credits.
    texts["credits"] = {
        s.attribution: text
        for s in catalog.sources.values()
        if s.attribution
        and (text := localized(catalog, lang, "sources", s.id, "attribution", s.attribution)) != s.attribution
    }
    return texts


def languages_payload(catalog: Catalog, payload: dict[str, Any]) -> dict[str, Any]:
    """The payload's "i18n" block: everything the page needs to show itself in each language."""
    langs = languages()
    dates = sorted(_dates(payload))
    return {
        "languages": list(langs),
        "names": {lang: language_name(lang) for lang in langs},
        "messages": {lang: page_messages(lang) for lang in langs if lang != SOURCE_LANGUAGE},
        "plurals": {lang: list(plural_table(lang)) for lang in langs},
        "numbers": {lang: number_symbols(lang) for lang in langs},
        "dates": {lang: {date: format_partial_date(date, lang) for date in dates} for lang in langs},
        "unknown_date": {lang: format_partial_date(None, lang) for lang in langs},
        "figures": {lang: {i: figure_texts(r, lang) for i, r in payload["figures"].items()} for lang in langs},
        "texts": {lang: _texts(catalog, payload, lang) for lang in langs if lang != SOURCE_LANGUAGE},
    }
