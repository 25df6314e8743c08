"""The interface in every language: gettext catalogs complete and compiled, formatting as CLDR says."""

from __future__ import annotations

import datetime
import io
import re
import string
from pathlib import Path

import pytest
from babel import dates, numbers, units
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from geo import formatting as fmt
from geo import messages

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"N_": None, "translate": (2,), "translate_plural": (2, 3), "format_count": (2, 3), "t": None, "tn": (1, 2)}
CATALOGS = sorted(messages.LOCALE_DIR.glob(f"*/LC_MESSAGES/{messages.DOMAIN}.po"))


def _read(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle)


def _source_msgids() -> set[str]:
    """Every text marked for translation in the code, extracted as `pybabel extract` does (babel.cfg)."""
    method_map = [("geo/**.py", "python"), ("geo/webmap/assets/parts/**.js", "javascript")]
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT), method_map, keywords=KEYWORDS):
        found.add(message[0] if isinstance(message, tuple) else message)
    return found


def _msgid(message) -> str:  # type: ignore[no-untyped-def]
    return message.id[0] if isinstance(message.id, tuple) else message.id


def test_there_is_a_catalog_besides_english() -> None:
    assert "ru" in messages.languages() and messages.languages()[0] == "en"
    assert CATALOGS, "no catalog under geo/locale"


def test_template_holds_every_marked_text() -> None:
    template = {_msgid(m) for m in _read(messages.LOCALE_DIR / "atlas.pot") if m.id}
    marked = _source_msgids()
    assert marked - template == set(), (
        "texts marked in the code but not extracted: run pybabel extract (README: Languages)"
    )
    assert template - marked == set(), "texts in the template that the code no longer uses"


@pytest.mark.parametrize("path", CATALOGS, ids=[p.parts[-3] for p in CATALOGS])
def test_every_msgid_is_translated(path: Path) -> None:
    template = {_msgid(m) for m in _read(messages.LOCALE_DIR / "atlas.pot") if m.id}
    catalog = _read(path)
    untranslated, wrong_fields = [], []
    seen = set()
    for message in catalog:
        if not message.id:
            continue
        seen.add(_msgid(message))
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy or not all(form and form.strip() for form in forms):
            untranslated.append(_msgid(message))
        wanted = {name for _, name, _, _ in string.Formatter().parse(_msgid(message)) if name}
        for form in forms:
            if {name for _, name, _, _ in string.Formatter().parse(form or "") if name} != wanted:
                wrong_fields.append((_msgid(message), form))
    assert untranslated == [], f"{path}: untranslated or fuzzy"
    assert template - seen == set(), f"{path}: msgids of the template missing (pybabel update)"
    assert wrong_fields == [], f"{path}: a translation's {{placeholders}} differ from its msgid's"
    assert catalog.obsolete == {}, f"{path}: obsolete entries left"


@pytest.mark.parametrize("path", CATALOGS, ids=[p.parts[-3] for p in CATALOGS])
def test_compiled_catalog_is_the_po_compiled(path: Path) -> None:
    """The committed .mo is byte for byte what `pybabel compile` makes of the .po (a stale .mo fails)."""
    buffer = io.BytesIO()
    write_mo(buffer, _read(path))
    assert path.with_suffix(".mo").read_bytes() == buffer.getvalue(), (
        f"run: pybabel compile -d geo/locale -D {messages.DOMAIN}"
    )


@pytest.mark.parametrize("lang", messages.languages())
def test_plural_table_agrees_with_the_catalog_formula(lang: str) -> None:
    catalog = messages.translations(lang)
    rule = getattr(catalog, "plural", lambda n: int(n != 1))
    assert [messages.plural_index(lang, n) for n in range(20_000)] == [int(rule(n)) for n in range(20_000)]


def test_unknown_language_is_a_usage_error() -> None:
    from geo.errors import UsageError

    with pytest.raises(UsageError, match=r"unknown language 'xx'.*en, ru"):
        messages.check_language("xx")


# Formatting: what the atlas prints is Babel's CLDR output for the language's locale.

DAY = datetime.date(2024, 5, 9)


@pytest.mark.parametrize(("lang", "locale"), [("en", "en_GB"), ("ru", "ru")])
def test_dates_are_babels(lang: str, locale: str) -> None:
    assert fmt.format_partial_date("2024-05-09", lang) == dates.format_date(DAY, "long", locale=locale)
    assert fmt.format_partial_date("2024-05", lang) == dates.format_skeleton("yMMMM", DAY, locale=locale)
    assert fmt.format_partial_date("2024", lang) == dates.format_skeleton("y", DAY, locale=locale)
    start, end = datetime.date(2023, 1, 1), datetime.date(2023, 7, 1)
    assert fmt.format_period("2023-01", "2023-07", lang) == dates.format_interval(start, end, "yMMMM", locale=locale)


def test_russian_dates_read_as_a_russian_reader_writes_them() -> None:
    assert fmt.format_partial_date("2024-05-09", "ru") == "9 мая 2024\u202fг."
    assert fmt.format_partial_date("2024-05", "ru") == "май 2024\u202fг."
    assert fmt.format_partial_date("2024-05-09", "en") == "9 May 2024"
    assert fmt.format_partial_date(None, "ru") == "дата неизвестна"
    assert fmt.format_period("2023-01", "2023-07", "ru") == "январь\xa0— июль 2023\u202fг."
    assert fmt.format_period("2023-01", None, "ru") == "начало периода: январь 2023\u202fг."
    assert fmt.format_period(None, "2025", "en") == "by 2025"


@pytest.mark.parametrize(("lang", "locale"), [("en", "en_GB"), ("ru", "ru")])
def test_numbers_money_and_units_are_babels(lang: str, locale: str) -> None:
    assert fmt.format_number(2_190_000, lang) == numbers.format_decimal(2_190_000, locale=locale)
    assert fmt.format_number(7.5, lang) == numbers.format_decimal(7.5, locale=locale)
    assert fmt.format_value(2_190_000_000, "USD", None, lang) == numbers.format_compact_currency(
        2_190_000_000, "USD", locale=locale, fraction_digits=3
    )
    assert fmt.format_value(523, "km2", None, lang) == units.format_unit(
        523, "area-square-kilometer", length="short", locale=locale
    )
    assert fmt.format_value(7.5, "percent", None, lang) == numbers.format_percent(
        0.075, locale=locale, decimal_quantization=False
    )


def test_russian_numbers_group_and_hedge_as_cldr_ru() -> None:
    # CLDR's ru groups with a no-break space (U+00A0) and writes a decimal comma.
    assert fmt.format_number(2_190_000, "ru") == "2\xa0190\xa0000"
    assert fmt.format_value(2_190_000_000, "USD", None, "ru") == "2,19\xa0млрд\xa0$"
    assert fmt.format_value(80, "percent", "about", "ru") == "около 80\xa0%"
    assert fmt.format_value(152, "km", None, "ru") == "152 км"
    assert fmt.format_value(4, "rank", None, "ru") == "№ 4"
    assert fmt.format_value(2_190_000_000, "USD", "over", "en") == "over US$2.19bn"
    assert fmt.format_distance(12_345, "ru") == "12,3 км" and fmt.format_distance(420, "en") == "420 m"


@pytest.mark.parametrize(
    ("count", "ru", "en"),
    [(1, "1 объект", "1 feature"), (3, "3 объекта", "3 features"), (5, "5 объектов", "5 features"),
     (11, "11 объектов", "11 features"), (21, "21 объект", "21 features"), (22, "22 объекта", "22 features"),
     (112, "112 объектов", "112 features"), (1001, "1\xa0001 объект", "1,001 features")],
)  # fmt: skip
def test_counts_take_the_plural_form_of_their_number(count: int, ru: str, en: str) -> None:
    assert fmt.feature_count(count, "ru") == ru
    assert fmt.feature_count(count, "en") == en


def test_number_symbols_for_the_page() -> None:
    assert fmt.number_symbols("ru") == {"decimal": ",", "group": "\xa0", "km": "{0} км", "m": "{0} м"}
    assert re.fullmatch(r"\{0\} km", fmt.number_symbols("en")["km"])


def test_each_tile_credit_is_one_catalog_entry_whose_translation_keeps_its_links():
    """The tile providers' attributions are msgids as xyzservices words them (an upgrade that
    rewords one fails here), and the Russian catalog translates each whole, links unchanged."""
    import re

    from geo.messages import translate
    from geo.webmap.page import BASEMAPS, RAIL_OVERLAY, TILE_ATTRIBUTIONS

    providers = {provider.html_attribution for _, _, provider in (*BASEMAPS, RAIL_OVERLAY)}
    assert providers == set(TILE_ATTRIBUTIONS)
    for english in TILE_ATTRIBUTIONS:
        russian = translate("ru", english)
        assert russian != english and re.search(r"[а-я]", russian), english
        assert re.findall(r'href="[^"]+"', russian) == re.findall(r'href="[^"]+"', english)
        assert "contributors" not in russian and "Tiles" not in russian
