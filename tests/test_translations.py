"""The data's Russian texts: complete, current, adding no fact, and reported as file, record, field."""

from __future__ import annotations

from pathlib import Path

import yaml

from geo.catalog import load_catalog
from geo.messages import languages
from geo.texts import localized, localized_texts, reader_texts
from tests.conftest import run_geo

RU = "data/i18n/ru.yaml"


def _edit_yaml(path: Path, change) -> None:  # type: ignore[no-untyped-def]
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_every_reader_text_of_the_shipped_data_has_a_russian_version(data_dir: Path) -> None:
    catalog = load_catalog(data_dir)
    assert "ru" in languages()
    texts = list(reader_texts(catalog))
    russian = localized_texts(catalog, "ru")
    english_left = [(s, r, f) for s, r, f, en in texts if russian[(s, r, f)] == en and s != "countries"]
    assert english_left == [], "texts shown in English on a Russian page"
    # Country names as the region writes them, with their source.
    entries = catalog.translations["ru"].entries
    assert entries[("countries", "KG", "name")].text == "Кыргызстан"
    assert entries[("countries", "TM", "name")].text == "Туркменистан"
    assert entries[("countries", "KG", "name")].original == "ref-ungegn-country-names"
    assert all(entries[("countries", iso, "name")].original for iso in catalog.countries)
    # Names stay in their records; a project without name_ru takes the file's.
    assert localized(catalog, "ru", "features", "tashkent", "name", "Tashkent") == "Ташкент"
    assert localized(
        catalog,
        "ru",
        "projects",
        "kz-tj-treaty-allied-relations",
        "name",
        catalog.projects["kz-tj-treaty-allied-relations"].name,
    ).startswith("Договор")
    # A translation of an English text that has changed since is not shown: the English is.
    assert localized(catalog, "ru", "layers", "dams", "title", "Dams and weirs") == "Dams and weirs"


def test_validate_names_file_record_and_field_of_each_translation_problem(data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    ru = data_copy / "i18n" / "ru.yaml"

    def break_translations(doc: dict) -> None:  # type: ignore[type-arg]
        del doc["projects"]["central-asia-icic"]["summary"]
        doc["maps"]["overview"]["title"]["ru"] = " "
        doc["features"]["kayrakkum-dam"]["note"]["ru"] = (
            "Плотина длиной 1 202 м, высотой 32 м, 2031 год; 126 МВт (Rosatom)."
        )
        doc["events"]["kz-tj-treaty-signed"]["note"]["ru"] = "Источник не называет город; подписан в марте."
        doc["countries"]["KG"]["name"]["original"] = "ref-nope"
        doc["projects"]["no-such-project"] = {"summary": {"en": "x", "ru": "х"}}

    _edit_yaml(ru, break_translations)
    _edit_yaml(data_copy / "layers.yaml", lambda layers: layers[6].update(description="Dams of the reservoirs."))
    cities = data_copy / "layers" / "cities.geojson"
    cities.write_text(cities.read_text(encoding="utf-8").replace('"name_ru":"Ташкент",', "", 1), encoding="utf-8")

    result = run_geo("--data", str(data_copy), "validate")
    assert result.returncode == 1
    report = result.stdout + result.stderr
    shown = f"{data_copy.name}/i18n/ru.yaml"
    expected = [
        f"{shown}: projects/central-asia-icic: field 'summary': no Russian translation of the text in",
        f"{shown}: maps/overview: field 'title': missing or empty translation ('ru')",
        f"{shown}: features/kayrakkum-dam: field 'note': carries the number(s) 2031, which its English text does not",
        f"{shown}: features/kayrakkum-dam: field 'note': carries the name(s) Rosatom, which its English text does not",
        f"{shown}: events/kz-tj-treaty-signed: field 'note': names a month its English text does not (3)",
        f"{shown}: countries/KG: field 'name': 'original': unknown source id 'ref-nope'",
        f"{shown}: projects/no-such-project: field 'summary': translates no text of the data",
        f"{shown}: layers/dams: field 'description': translates an earlier English text; the English is now: 'Dams of the reservoirs.'",
        "layers/cities.geojson: tashkent: field 'name_ru': no Russian name",
    ]
    missing = [line for line in expected if line not in report]
    assert missing == [], report
    assert "Traceback" not in report

    # Only validate refuses them: the data still loads for build, export and list (shown in English).
    listed = run_geo("--data", str(data_copy), "list", "--layer", "dams")
    assert listed.returncode == 0, listed.stderr


def test_a_missing_translation_file_is_one_problem_and_a_malformed_one_is_named(data_copy: Path) -> None:  # type: ignore[no-untyped-def]
    ru = data_copy / "i18n" / "ru.yaml"
    text = ru.read_text(encoding="utf-8")
    ru.unlink()
    result = run_geo("--data", str(data_copy), "validate")
    assert result.returncode == 1
    assert f"{data_copy.name}/i18n/ru.yaml: (file): missing: none of the data's" in result.stdout + result.stderr
    ru.write_text(
        text.replace("language: ru", "language: kk").replace("    title:\n      en:", "    title:\n      english:", 1),
        encoding="utf-8",
    )
    result = run_geo("--data", str(data_copy), "validate")
    report = result.stdout + result.stderr
    assert "field 'language': must be 'ru', the file's name (got 'kk')" in report
    assert "atlas/atlas: field 'title': unknown key(s) english" in report
