"""The data's texts in other languages: one file per language, data/i18n/<lang>.yaml, for editors to review.

A file maps section → record id → field → an entry holding the English text it translates
(`en`), the translation (under the language's code) and, where a source publishes the text in
that language, `original: <source id>`; an entry without `original` is the atlas's own
translation. Keeping the English beside each translation lets a reviewer read the pair and lets
`geo validate` tell when the English has changed since it was translated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from geo.errors import Problem
from geo.models import NO_CONTROL_PATTERN, control_character_message
from geo.readers import parse_yaml_mapping

# The sections of a translation file and what each translates.
SECTIONS = ("atlas", "maps", "layers", "countries", "features", "projects", "events", "figures")
ATLAS_TRANSLATION = "atlas"  # what an entry without `original` is: the atlas's own translation

_CONTROL = re.compile(NO_CONTROL_PATTERN)


@dataclass(frozen=True)
class Translation:
    """One text in another language: the English it translates, the text, and who wrote it."""

    english: str
    text: str
    original: str | None = None  # a source id: the text as that source publishes it

    @property
    def origin(self) -> str:
        return self.original or ATLAS_TRANSLATION


Key = tuple[str, str, str]  # section, record id, field


@dataclass
class LanguageTexts:
    """A language's translations of the data, by (section, record id, field), and how reports name their file."""

    lang: str
    shown: str
    entries: dict[Key, Translation]
    missing: bool = False  # no file: every text is untranslated (geo validate says so; outputs show English)


def translation_file(directory: str, lang: str) -> str:
    """The path of a language's file in the data directory (data/i18n/ru.yaml is 'i18n/ru.yaml')."""
    return f"{directory.rstrip('/')}/{lang}.yaml"


def parse_translations(
    payloads: dict[str, bytes | None], languages: tuple[str, ...], shown: dict[str, str], problems: list[Problem]
) -> dict[str, LanguageTexts]:
    """The translation file of every language besides English, from its bytes (None: there is none).

    A missing file is not a Problem here: the data still loads and builds (in English), and
    geo validate reports every untranslated text (geo/translation_checks.py)."""
    found: dict[str, LanguageTexts] = {}
    for lang in languages[1:]:
        payload = payloads.get(lang)
        if payload is None:
            found[lang] = LanguageTexts(lang, shown[lang], {}, missing=True)
            continue
        raw = parse_yaml_mapping(payload, shown[lang], problems)
        found[lang] = LanguageTexts(lang, shown[lang], _entries(raw or {}, lang, shown[lang], problems))
    return found


def _entries(raw: dict[str, Any], lang: str, shown: str, problems: list[Problem]) -> dict[Key, Translation]:
    entries: dict[Key, Translation] = {}
    if raw.get("language") != lang:
        problems.append(
            Problem(shown, "(file)", "language", f"must be {lang!r}, the file's name (got {raw.get('language')!r})")
        )
    for section, records in raw.items():
        if section == "language":
            continue
        if section not in SECTIONS:
            problems.append(Problem(shown, section, "-", f"unknown section (one of: {', '.join(SECTIONS)})"))
            continue
        if not isinstance(records, dict):
            problems.append(Problem(shown, section, "-", "expected a mapping of record ids to fields"))
            continue
        for record_id, fields in records.items():
            record = f"{section}/{record_id}"
            if not isinstance(fields, dict):
                problems.append(Problem(shown, record, "-", "expected a mapping of fields to entries"))
                continue
            for field_name, entry in fields.items():
                translation = _entry(entry, lang, shown, record, str(field_name), problems)
                if translation is not None:
                    entries[(section, str(record_id), str(field_name))] = translation
    return entries


def _entry(
    entry: Any, lang: str, shown: str, record: str, field_name: str, problems: list[Problem]
) -> Translation | None:
    if not isinstance(entry, dict):
        problems.append(
            Problem(shown, record, field_name, f"expected a mapping with 'en' and {lang!r} (got {entry!r})")
        )
        return None
    unknown = sorted(set(map(str, entry)) - {"en", lang, "original"})
    if unknown:
        problems.append(
            Problem(
                shown,
                record,
                field_name,
                f"unknown key(s) {', '.join(unknown)}: an entry has 'en', {lang!r} and optionally 'original'",
            )
        )
    texts = {}
    for key in ("en", lang):
        value = entry.get(key)
        if key == lang and (value is None or (isinstance(value, str) and not value.strip())):
            texts[key] = ""  # not translated yet: geo validate says so, outputs show the English
            continue
        if not isinstance(value, str) or not value.strip():
            problems.append(
                Problem(shown, record, field_name, f"missing or empty English text it translates ({key!r})")
            )
            return None
        if not _CONTROL.match(value):
            problems.append(Problem(shown, record, field_name, f"{key!r}: {control_character_message(value)}"))
            return None
        texts[key] = value
    original = entry.get("original")
    if original is not None and not isinstance(original, str):
        problems.append(Problem(shown, record, field_name, f"'original' must be a source id (got {original!r})"))
        return None
    return Translation(texts["en"], texts[lang], original)
