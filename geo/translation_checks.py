"""`geo validate`'s checks of the data's translations: complete, current, and adding no fact.

A text a reader sees (geo/texts.py) needs its version in every language the atlas has; the
translation must be of the English as it is now (the entry keeps the English it translated);
and a translation is not a new fact: it carries no number, month or Latin-script name that its
English does not. Build and export show the English where a translation is missing; only
`geo validate` refuses it, so that an edit can be built and looked at before it is translated.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from babel import Locale

from geo.errors import Problem
from geo.texts import IN_RECORD, in_record, reader_texts

if TYPE_CHECKING:
    from geo.catalog import Catalog, Layer
    from geo.models import FeatureProperties
    from geo.translations import LanguageTexts, Translation

    Features = dict[str, tuple[Layer, FeatureProperties]]

EXCERPT = 80
_DIGITS = re.compile(r"\d+")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")
_EN_MONTHS = {
    m: n
    for n, names in enumerate(
        [("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",), ("june", "jun"),
         ("july", "jul"), ("august", "aug"), ("september", "sep", "sept"), ("october", "oct"), ("november", "nov"),
         ("december", "dec")], start=1)
    for m in names
}  # fmt: skip
_RU_MONTHS = [
    (re.compile(pattern, re.IGNORECASE), n)
    for n, pattern in enumerate(
        [r"\bянвар", r"\bфеврал", r"\bмарт(?:а|е|у)?\b", r"\bапрел", r"\bма(?:й|я|е|ю)\b", r"\bиюн", r"\bиюл",
         r"\bавгуст", r"\bсентябр", r"\bоктябр", r"\bноябр", r"\bдекабр"], start=1)
]  # fmt: skip
# Where a section's English texts live, for the message (the atlas.yaml key of its file).
_SECTION_FILES = {"atlas": None, "maps": "maps", "layers": "layers", "countries": "countries", "projects": "projects",
                  "events": "events", "figures": "figures"}  # fmt: skip


def translation_problems(catalog: Catalog, *, orphans: bool = True) -> list[Problem]:
    """Every missing, empty, outdated or fact-adding translation, as file, record, field.

    `orphans`: also report entries that translate no text of the data (off when some records
    could not be read, whose translations would otherwise look orphaned)."""
    problems: list[Problem] = []
    texts = list(reader_texts(catalog))
    expected = {(section, record, field): english for section, record, field, english in texts}
    features = {f.id: (layer, f.properties) for layer in catalog.layers.values() for f in layer.features}
    for lang, language in catalog.translations.items():
        shown = language.shown
        name = _language_name(lang)
        if language.missing:
            problems.append(
                Problem(
                    shown,
                    "(file)",
                    "-",
                    f"missing: none of the data's {len(expected)} texts has a {name} version (data/README.md: Translations)",
                )
            )
            continue
        for (section, record, field), english in expected.items():
            problems += _check_text(catalog, language, shown, name, section, record, field, english, features)
        for section, record, field in sorted(set(language.entries) - set(expected)) if orphans else ():
            problems.append(
                Problem(
                    shown,
                    f"{section}/{record}",
                    field,
                    "translates no text of the data (a record or field removed or renamed?)",
                )
            )
    return problems


def _check_text(
    catalog: Catalog, language: LanguageTexts, shown: str, name: str,
    section: str, record: str, field: str, english: str, features: Features,
) -> list[Problem]:  # fmt: skip
    lang = language.lang
    entry = language.entries.get((section, record, field))
    if (section, field) in IN_RECORD:
        layer_and_props = features.get(record)
        own = in_record(catalog, lang, section, record, field, layer_and_props[1] if layer_and_props else None)
        if own is not None:
            return [
                Problem(*where, message)
                for where, message in _adds_facts(
                    english, own, _record_file(catalog, section, record, features), record, f"{field}_{lang}"
                )
            ]
        if entry is None:
            file = _record_file(catalog, section, record, features)
            return [
                Problem(
                    file,
                    record,
                    f"{field}_{lang}",
                    f"no {name} name (give `{field}_{lang}` here, or an entry in {shown})",
                )
            ]
    if entry is None:
        origin = _origin(catalog, section, record, features)
        return [
            Problem(
                shown,
                f"{section}/{record}",
                field,
                f"no {name} translation of the text in {origin}: {_excerpt(english)}",
            )
        ]
    problems = []
    if not entry.text:
        problems.append(Problem(shown, f"{section}/{record}", field, f"missing or empty translation ({lang!r})"))
    elif entry.english != english:
        problems.append(
            Problem(
                shown,
                f"{section}/{record}",
                field,
                f"translates an earlier English text; the English is now: {_excerpt(english)} (translate it, and copy it into 'en')",
            )
        )
    else:
        problems += [
            Problem(*where, message)
            for where, message in _adds_facts(english, entry.text, shown, f"{section}/{record}", field)
        ]
    problems += _original_problems(catalog, entry, shown, f"{section}/{record}", field)
    return problems


def _adds_facts(
    english: str, translated: str, file: str, record: str, field: str
) -> list[tuple[tuple[str, str, str], str]]:
    """What the translation states that its English does not: numbers, months, Latin-script names."""
    found = []
    numbers = sorted(set(_DIGITS.findall(translated)) - set(_DIGITS.findall(english)), key=lambda n: (len(n), n))
    if numbers:
        found.append(f"carries the number(s) {', '.join(numbers)}, which its English text does not")
    en_months = {_EN_MONTHS[w.lower()] for w in _LATIN_WORD.findall(english) if w.lower() in _EN_MONTHS}
    months = sorted({n for pattern, n in _RU_MONTHS if pattern.search(translated)} - en_months)
    if months:
        found.append(f"names a month its English text does not ({', '.join(str(m) for m in months)})")
    en_words = {w.lower().removesuffix("'s").removesuffix("’s") for w in _LATIN_WORD.findall(english)}
    names = sorted(
        {w for w in _LATIN_WORD.findall(translated) if w.lower().removesuffix("'s").removesuffix("’s") not in en_words}
    )
    if names:
        found.append(f"carries the name(s) {', '.join(names)}, which its English text does not")
    return [((file, record, field), message) for message in found]


def _original_problems(catalog: Catalog, entry: Translation, shown: str, record: str, field: str) -> list[Problem]:
    if entry.original is not None and entry.original not in catalog.sources:
        return [Problem(shown, record, field, f"'original': unknown source id {entry.original!r}")]
    return []


def _record_file(catalog: Catalog, section: str, record: str, features: Features) -> str:
    if section == "features" and record in features:
        return features[record][0].shown
    return catalog.shown_file(section)


def _origin(catalog: Catalog, section: str, record: str, features: Features) -> str:
    if section == "atlas":
        return "atlas.yaml"
    if section == "features":
        return _record_file(catalog, section, record, features)
    return catalog.shown_file(_SECTION_FILES[section] or section)


def _excerpt(text: str) -> str:
    return repr(text if len(text) <= EXCERPT else text[:EXCERPT] + "…")


def _language_name(lang: str) -> str:
    try:
        return str(Locale.parse(lang).get_display_name("en"))
    except (ValueError, LookupError):
        return lang
