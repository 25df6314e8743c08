"""The interface's words in each language: standard gettext catalogs under geo/locale/.

English is the source language: the msgids are the English texts, marked in Python with `N_`
or `gettext` and in the page script with `t`/`tn`, and extracted by `pybabel extract`. Every
other language is one catalog, geo/locale/<lang>/LC_MESSAGES/atlas.po, compiled by
`pybabel compile` into the atlas.mo beside it (committed, so an install needs no compile step
and a build reads the same bytes). The languages are the catalogs found: adding one is a new
catalog and a translation file in data/i18n/, not a code change.
"""

from __future__ import annotations

import gettext
from functools import cache
from pathlib import Path

from geo.errors import UsageError

DOMAIN = "atlas"
SOURCE_LANGUAGE = "en"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

# The page decides a count's plural form from this many precomputed answers of the catalog's
# Plural-Forms formula (0..199), then by the last two digits: every CLDR plural rule of a
# language with integer counts repeats with period 100 past 100 (tests/test_messages.py).
PLURAL_TABLE_SIZE = 200


def N_(message: str) -> str:
    """Mark a text for extraction where it is defined; it is translated where it is shown."""
    return message


@cache
def languages() -> tuple[str, ...]:
    """English first, then every language with a compiled catalog, in code order (read once: the
    installed package's catalogs do not change while a process runs)."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (SOURCE_LANGUAGE, *[lang for lang in found if lang != SOURCE_LANGUAGE])


def check_language(lang: str) -> str:
    """The language if the atlas speaks it, else a usage error naming those it does."""
    known = languages()
    if lang not in known:
        raise UsageError(f"unknown language {lang!r}: the atlas has {', '.join(known)} (catalogs in {LOCALE_DIR})")
    return lang


@cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of a language; English is the msgids themselves."""
    if check_language(lang) == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as handle:
        return gettext.GNUTranslations(handle)


def translate(lang: str, message: str) -> str:
    return translations(lang).gettext(message)


def translate_plural(lang: str, singular: str, plural: str, count: int) -> str:
    """The form of a counted text for `count` ("{n} feature" / "{n} features"), before formatting."""
    return translations(lang).ngettext(singular, plural, count)


def plural_forms(lang: str, singular: str, plural: str) -> list[str]:
    """Every plural form of a counted text in catalog order (index = the Plural-Forms formula's answer)."""
    catalog = translations(lang)
    table = plural_table(lang)
    forms: dict[int, str] = {}
    for n in range(PLURAL_TABLE_SIZE):
        forms.setdefault(table[n], catalog.ngettext(singular, plural, n))
    return [forms[index] for index in sorted(forms)]


@cache
def plural_table(lang: str) -> tuple[int, ...]:
    """The catalog's plural form index of every count 0..199 (see PLURAL_TABLE_SIZE)."""
    catalog = translations(lang)
    rule = getattr(catalog, "plural", None)
    if rule is None:  # English: the NullTranslations rule
        return tuple(0 if n == 1 else 1 for n in range(PLURAL_TABLE_SIZE))
    return tuple(int(rule(n)) for n in range(PLURAL_TABLE_SIZE))


def plural_index(lang: str, count: int) -> int:
    """The plural form a count takes, by the same table the page uses."""
    table = plural_table(lang)
    count = abs(count)
    return table[count] if count < PLURAL_TABLE_SIZE else table[100 + count % 100]
