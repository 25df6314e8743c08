"""The shipped data's facts as their sources give them: statuses with their dates, completed
records, names, references. Each test names the fact and the source that backs it."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from geo.catalog import Catalog, load_catalog
from geo.models import Status
from geo.status_age import is_stale, last_day, stale_statuses
from tests.conftest import drop_properties, edit_feature, run_geo, set_properties

DATA = Path(__file__).resolve().parent.parent / "data"


def _props(catalog: Catalog, feature_id: str):  # type: ignore[no-untyped-def]
    return catalog.feature(feature_id).properties


# -- statuses: every one dated and sourced; which go stale -----------------------------------------


def test_every_status_has_an_as_of_date_and_a_source_the_feature_cites(catalog: Catalog) -> None:
    for layer in catalog.layers.values():
        for feature in layer.features:
            props = feature.properties
            if props.status is not None:
                assert props.status_as_of and props.status_sources, props.id
                assert set(props.status_sources) <= set(props.sources), props.id
    for project in catalog.projects.values():
        assert project.status_as_of and project.status_sources, project.id


def test_operational_is_the_one_status_that_does_not_go_stale() -> None:
    assert [status for status in Status if not status.can_go_stale] == [Status.operational]
    assert not is_stale(Status.operational, "2001", "2026-12-03")


@pytest.mark.parametrize(
    ("as_of", "reference", "stale"),
    [
        ("2024-08-23", "2025-08-23", False),  # 365 days: not yet over a year
        ("2024-08-23", "2025-08-25", True),
        ("2024", "2025-06", False),  # the last day each can mean: 2024-12-31 to 2025-06-30
        ("2024", "2026-01", True),
        ("2025-02", "2026-02-28", False),  # 2025-02-28 to 2026-02-28: 365 days
    ],
)
def test_a_status_is_stale_when_surely_over_a_year_old(as_of: str, reference: str, stale: bool) -> None:
    assert is_stale(Status.under_construction, as_of, reference) is stale


def test_last_day_of_a_partial_date() -> None:
    assert str(last_day("2024")) == "2024-12-31"
    assert str(last_day("2024-02")) == "2024-02-29"
    assert str(last_day("2023-11-09")) == "2023-11-09"


def test_almaty_bypass_is_under_construction_as_of_september_2025_with_its_history(catalog: Catalog) -> None:
    # Trend (17 Sep 2025, via Samruk-Kazyna): bypass 2024–2025; construction launched 14 Nov 2023 (The Astana Times).
    project = catalog.projects["almaty-railway-bypass"]
    assert (project.status, project.status_as_of, project.status_sources) == (
        Status.under_construction, "2025-09-17", ["ref-trend-ktz-projects-2025"],
    )  # fmt: skip
    history = [(e.date, e.status) for e in catalog.events_of(catalog.feature("almaty-railway-bypass")) if e.status]
    assert history[0] == ("2023-11-14", Status.under_construction)
    assert ("2025-09-17", Status.under_construction) in history


def test_darbaza_maktaaral_status_track_and_conflicting_completion_years(catalog: Catalog) -> None:
    props = _props(catalog, "darbaza-maktaaral-railway")
    assert (props.status_as_of, props.status_sources) == ("2026-02-02", ["ref-otyrar-darbaza-maktaaral-2026"])
    laid = catalog.figures["darbaza-maktaaral-track-laid-2026-02"]
    assert (laid.value, laid.unit.value, laid.as_of) == (
        20,
        "km",
        "2026-02-02",
    )  # otyrar.kz: 20 km of rails and sleepers
    track = catalog.figures["darbaza-maktaaral-track-length"]
    assert (track.value, track.unit.value) == (203, "km")  # Kun.uz / azh.kz: "из 203 км"
    assert catalog.figures["darbaza-maktaaral-length"].value == 152
    completion = catalog.figures["darbaza-maktaaral-completion-year"]
    assert (completion.value, [a.value for a in completion.alternatives]) == (2026, [2027])
    assert completion.conflicts


def test_center_launch_dates_and_the_2024_roadmap_event(catalog: Catalog) -> None:
    # The Astana Times, 20 Feb 2024: roadmap signed 15 Feb; technical launch Q4 2026, opening H1 2027.
    roadmap = catalog.events["icic-roadmap-2024-signed"]
    assert (roadmap.date, roadmap.kind.value, roadmap.projects) == ("2024-02-15", "signed", ["central-asia-icic"])
    assert catalog.figures["icic-technical-launch-year"].value == 2026
    assert catalog.figures["icic-opening-year"].value == 2027
    assert catalog.events["icic-agreement-signed"].status == Status.agreed


# -- records completed ------------------------------------------------------------------------------


def test_abai_bust_unveiled_in_firdavsi_park_on_21_august_2024(catalog: Catalog) -> None:
    event = catalog.events["abai-monument-dushanbe"]
    assert (event.date, event.date_precision.value, event.place) == ("2024-08-21", "day", "Dushanbe")
    assert "Firdavsi park" in event.title
    assert "ref-kazinform-abai-bust-2024-08-20" in event.sources


def test_days_of_culture_20_to_22_august_2024(catalog: Catalog) -> None:
    event = catalog.events["kz-culture-days-tajikistan"]
    assert event.date == "2024-08-20" and "20–22 August 2024" in event.title
    assert "ref-zhanalyq-culture-days-2024" in event.sources


def test_kz_tj_treaty_signed_in_dushanbe(catalog: Catalog) -> None:
    event = catalog.events["kz-tj-treaty-signed"]
    assert (event.place, event.features) == ("Dushanbe", ["dushanbe"])
    assert "ref-qazinform-kz-tj-treaty-ratified" in event.sources


def test_aral_sea_fund_has_its_five_founding_states(catalog: Catalog) -> None:
    assert sorted(catalog.projects["aral-sea-fund"].countries) == ["KG", "KZ", "TJ", "TM", "UZ"]


def test_bahri_tojik_protocol_names_its_three_parties(catalog: Catalog) -> None:
    project = catalog.projects["bahri-tojik-operating-regime"]
    assert sorted(project.countries) == ["KZ", "TJ", "UZ"]
    assert "not named" not in project.summary
    assert catalog.events["bahri-tojik-protocol-2025"].countries == ["KZ", "TJ", "UZ"]


def test_north_south_project_names_the_countries_its_drawn_route_crosses(catalog: Catalog) -> None:
    project = catalog.projects["north-south-corridor"]
    assert set(project.countries) == set(_props(catalog, "north-south-corridor").country)


def test_joint_development_of_deposits_from_article_002_is_recorded(catalog: Catalog) -> None:
    project = catalog.projects["kz-tj-joint-deposit-development"]
    assert (project.status, project.sources) == (Status.proposed, ["art-kz-pm-dushanbe-2024"])
    assert "joint development of deposits" not in (DATA / "README.md").read_text(encoding="utf-8")


def test_reservoir_accuracy_and_note_say_the_eastern_head_is_missing(catalog: Catalog) -> None:
    props = _props(catalog, "bahri-tojik-reservoir")
    assert props.accuracy_m >= 8000
    assert "eastern head" in props.geometry_source


# -- names ------------------------------------------------------------------------------------------


def test_namesakes_in_different_countries_keep_their_own_names(catalog: Catalog) -> None:
    """Where two features in different countries share a Russian or local name and their local
    languages differ, their names as a whole (Russian, local) must differ: a namesake's name is
    not copied across."""
    features = [f.properties for layer in catalog.layers.values() for f in layer.features]
    pairs = 0
    for i, a in enumerate(features):
        for b in features[i + 1 :]:
            shared = (a.name_ru and a.name_ru == b.name_ru) or (a.name_local and a.name_local == b.name_local)
            if shared and set(a.country).isdisjoint(b.country) and a.local_lang != b.local_lang:
                pairs += 1
                assert (a.name_ru, a.name_local) != (b.name_ru, b.name_local), (a.id, b.id)
    assert pairs >= 1  # Гулистан: the Uzbek city and the Tajik town (Russian Wikipedia names both so)
    tj, uz = _props(catalog, "guliston-tj"), _props(catalog, "gulistan-uz")
    assert (tj.name_local, tj.local_lang) == ("Гулистон", "tg")
    assert (uz.name_local, uz.local_lang) == ("Guliston / Гулистон", "uz")


# Standard abbreviations of a common word, not names of their own: a hydropower station in Russian
# and Tajik, and "IT" as the article on the joint IT faculty writes it.
COMMON_WORD_ABBREVIATIONS = {"ГЭС", "НБО", "IT"}


def test_no_name_is_an_invented_abbreviation(catalog: Catalog) -> None:
    capitals = re.compile(r"\b[A-ZА-ЯЁӘҒҚҢӨҰҮҺІЎҲҶӮ]{2,}\b")
    names = [
        (f.properties.id, name)
        for layer in catalog.layers.values()
        for f in layer.features
        for name in (f.properties.name, f.properties.name_ru, f.properties.name_local)
        if name
    ] + [(p.id, name) for p in catalog.projects.values() for name in (p.name, p.name_ru) if name]
    found = [(record, token) for record, name in names for token in capitals.findall(name)]
    assert [item for item in found if item[1] not in COMMON_WORD_ABBREVIATIONS] == []
    assert "Центральная Азия" in (_props(catalog, "icic-kz-section").name_ru or "")
    # BAQ.KZ (25 Nov 2025) names the center «Орталық Азия» халықаралық өндірістік кооперация орталығы.
    assert (_props(catalog, "icic-kz-section").name_local or "").startswith(
        "«Орталық Азия» халықаралық өндірістік кооперация орталығы"
    )


def test_gulistan_checkpoint_takes_the_uzbek_customs_term() -> None:
    props = load_catalog(DATA).feature("gulistan-checkpoint").properties
    assert props.name_local == "«Guliston» chegara bojxona posti"
    assert "ref-yuz-gishtkoprik-customs" in props.sources


def test_uzbek_latin_names_take_the_modifier_letter_apostrophe(catalog: Catalog) -> None:
    for layer in catalog.layers.values():
        for feature in layer.features:
            props = feature.properties
            if props.local_lang == "uz" and props.name_local:
                assert not re.search(r"[oOgG][‘'’`]", props.name_local), (props.id, props.name_local)


def test_bypass_stations_have_their_kazakh_names(catalog: Catalog) -> None:
    # rail-news.kz (13 Jun 2025): Жаңаарна; inconkz.com: Мойынқұм, Сорбұлақ.
    expected = {"zhanaarna-station": "Жаңаарна", "moiynkum-station": "Мойынқұм", "sorbulak-station": "Сорбұлақ"}
    for feature_id, name in expected.items():
        props = _props(catalog, feature_id)
        assert (props.name_local, props.local_lang) == (name, "kk")


# -- references -------------------------------------------------------------------------------------

MIRROR_HOSTS = ("wikizero", "jablog", "iiab.me", "wiki.x.io", "perceptio", "eudic", "worddisk", "friendlywiki",
                "wiki.li", "wikimili", "azureedge", "wiki-org")  # fmt: skip


def test_references_cite_the_original_page_not_a_mirror(catalog: Catalog) -> None:
    for source in catalog.sources.values():
        if source.kind.value == "reference" and source.id != "ref-mgwiki-kayrakkum-dam":  # a named translation
            assert not any(host in (source.url or "") for host in MIRROR_HOSTS), source.id


def test_aktobe_geometry_source_names_the_travel_page_it_comes_from(catalog: Catalog) -> None:
    props = _props(catalog, "aktobe")
    assert "infobox" not in props.geometry_source and "travel agency" in props.geometry_source


def test_every_published_date_is_quoted_in_yaml() -> None:
    text = (DATA / "metadata" / "sources.yaml").read_text(encoding="utf-8")
    values = re.findall(r"^  published: (.*)$", text, flags=re.MULTILINE)
    assert values and all(v == "null" or re.fullmatch(r'"\d{4}(-\d{2}(-\d{2})?)?"', v) for v in values), values


# -- geo validate on broken copies ------------------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


def test_validate_names_file_record_and_field_of_a_status_without_a_date(data_copy: Path) -> None:
    edit_feature(data_copy, "railway_lines", "almaty-railway-bypass", drop_properties("status_as_of"))
    projects = data_copy / "metadata" / "projects.yaml"
    records = yaml.safe_load(projects.read_text(encoding="utf-8"))
    for record in records:
        if record["id"] == "aral-sea-fund":
            del record["status_sources"]
    projects.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = run_geo("--data", str(data_copy), "validate")
    assert result.returncode == 1
    assert (
        "data/layers/railway_lines.geojson: almaty-railway-bypass: field 'status_as_of': status "
        "'under_construction' has no as-of date" in result.output.replace(str(data_copy), "data")
    )
    assert (
        "metadata/projects.yaml: aral-sea-fund: field 'status_sources': status 'unknown' names no source"
        in result.output
    )


def test_validate_names_the_position_an_accuracy_does_not_cover(data_copy: Path) -> None:
    edit_feature(data_copy, "cities", "dushanbe", set_properties(accuracy_m=100))
    result = run_geo("--data", str(data_copy), "validate")
    assert result.returncode == 1
    assert re.search(
        r"layers/cities\.geojson: dushanbe: field 'accuracy_m': is 100 m but .* puts it \d+ m from the geometry",
        result.output,
    )


def test_validate_strict_lists_each_stale_status_with_its_date(catalog: Catalog) -> None:
    assert run_geo("--data", str(DATA), "validate").returncode == 0
    result = run_geo("--data", str(DATA), "validate", "--strict", "--on", "2026-12-03")
    assert result.returncode == 1
    assert (
        "data/layers/railway_lines.geojson: almaty-railway-bypass: field 'status_as_of': status 'under_construction' "
        "is as of 2025-09-17, more than a year before 2026-12-03" in result.output
    )
    stale = {(item.record, item.as_of) for item in stale_statuses(catalog, "2026-12-03")}
    assert ("almaty-railway-bypass", "2025-09-17") in stale
    assert not any(record == "darbaza-maktaaral-railway" for record, _ in stale)  # as of 2026-02-02
    assert not any(record == "atameken-checkpoint" for record, _ in stale)  # operational: no staleness
    bad = run_geo("--data", str(DATA), "validate", "--strict", "--on", "Dec 2026")
    assert bad.returncode == 2 and "is not a date" in bad.output


# -- positions of the capitals and cities ------------------------------------------------------------


def test_every_capital_and_city_records_its_geonames_position_and_covers_every_position(catalog: Catalog) -> None:
    from geo.validate import position_spread_m

    for feature in catalog.layers["cities"].features:
        props = feature.properties
        sources = [position.source for position in props.positions]
        assert "geonames" in sources, props.id
        spread, _ = position_spread_m(feature.geometry, props.positions)
        assert spread <= props.accuracy_m, (props.id, spread)


def test_tashkent_is_drawn_at_the_city_centre_not_the_old_south_western_point(catalog: Catalog) -> None:
    from pyproj import Geod

    feature = catalog.feature("tashkent")
    x, y = feature.geometry.x, feature.geometry.y
    # Natural Earth's populated place (41.3117N 69.2949E), not the copy's 41°16′N 69°13′E.
    assert (round(x, 4), round(y, 4)) == (69.2949, 41.3117)
    old = next(p for p in feature.properties.positions if p.source == "ref-tashkent")
    assert 8000 < Geod(ellps="WGS84").inv(x, y, old.lon, old.lat)[2] <= feature.properties.accuracy_m
    assert "natural-earth-10m-populated-places" in feature.properties.sources


@pytest.mark.parametrize(("feature_id", "at_least_m"), [("almaty", 5500), ("dushanbe", 3100), ("aktobe", 4300)])
def test_accuracy_covers_natural_earths_point_too(catalog: Catalog, feature_id: str, at_least_m: float) -> None:
    props = _props(catalog, feature_id)
    assert any(p.source == "natural-earth-10m-populated-places" for p in props.positions)
    assert props.accuracy_m >= at_least_m
