"""The schema: what each record accepts and what it rejects, with the message a user reads."""

from __future__ import annotations

import dataclasses
import math
import re
from enum import Enum

import pytest
import yaml
from pydantic import BaseModel, ValidationError

from geo.models import (
    DatePrecision,
    Event,
    EventKind,
    FeatureKind,
    FeatureProperties,
    Figure,
    FigureKind,
    GeometryType,
    LayerSpec,
    MapSpec,
    Measure,
    Project,
    ProjectKind,
    Qualifier,
    Source,
    SourceKind,
    Status,
    Unit,
    precision_of,
)

# One valid record of every model, as a user would write it in data/.
FEATURE = {
    "id": "atameken-checkpoint",
    "name": "Atameken border checkpoint",
    "name_ru": "пункт пропуска «Атамекен»",
    "name_local": "«Атамекен» өткізу пункті",
    "local_lang": "kk",
    "kind": "border_checkpoint",
    "country": ["KZ"],
    "status": "operational",
    "accuracy_m": 8000,
    "geometry_source": "Placed on the Kazakh side of the border.",
    "sources": ["art-mazhilis-icic-2025"],
    "projects": ["central-asia-icic"],
}
SOURCE = {
    "id": "art-mazhilis-icic-2025",
    "kind": "article",
    "title": "Mazhilis ratifies the agreement",
    "published": "2025-02-05",
    "file": "003_183a8b294a59c464.txt",
}
PROJECT = {
    "id": "central-asia-icic",
    "name": '"Central Asia" International Center for Industrial Cooperation',
    "kind": "industrial_cooperation",
    "status": "under_construction",
    "countries": ["KZ", "UZ"],
    "summary": "A cross-border industrial cooperation hub.",
    "sources": ["art-mazhilis-icic-2025"],
}
EVENT = {
    "id": "icic-agreement-signed",
    "kind": "signed",
    "title": "Agreement on the center signed",
    "date": "2023-11-09",
    "date_precision": "day",
    "place": "Tashkent",
    "countries": ["KZ", "UZ"],
    "projects": ["central-asia-icic"],
    "sources": ["art-mazhilis-icic-2025"],
}
FIGURE = {
    "id": "kz-uz-turnover-2023-jan-jul",
    "label": "Kazakhstan–Uzbekistan trade turnover",
    "kind": "actual",
    "value": 2_190_000_000,
    "unit": "USD",
    "qualifier": "about",
    "period_start": "2023-01",
    "period_end": "2023-07",
    "as_of": "2023-11-25",
    "countries": ["KZ", "UZ"],
    "sources": ["art-uz-senate-treaty-2023"],
}
MEASURED_FIGURE = {
    "id": "darbaza-maktaaral-length",
    "label": "Length of the Darbaza–Maktaaral railway line",
    "kind": "stated",
    "value": 152,
    "unit": "km",
    "features": ["darbaza-maktaaral-railway"],
    "measure": "length_km",
    "tolerance_pct": 35,
    "sources": ["ref-kazpravda-darbaza-maktaaral"],
}
LAYER = {
    "id": "border_checkpoints",
    "title": "Border checkpoints",
    "description": "Road border crossings.",
    "file": "layers/border_checkpoints.geojson",
    "geometry_type": "Point",
}
MAP = {
    "id": "kazakhstan-uzbekistan",
    "title": "Kazakhstan–Uzbekistan",
    "description": "The center and its checkpoints.",
    "layers": ["border_checkpoints"],
    "countries": ["KZ", "UZ"],
    "view": {"lon": 68.9, "lat": 41.1, "zoom": 8},
}

RECORDS: list[tuple[type[BaseModel], dict]] = [
    (FeatureProperties, FEATURE),
    (Source, SOURCE),
    (Project, PROJECT),
    (Event, EVENT),
    (Figure, FIGURE),
    (Figure, MEASURED_FIGURE),
    (LayerSpec, LAYER),
    (MapSpec, MAP),
]


def errors_of(model: type[BaseModel], record: dict) -> list[dict]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(record)
    return caught.value.errors()


def messages_of(model: type[BaseModel], record: dict) -> list[str]:
    return [error["msg"].removeprefix("Value error, ") for error in errors_of(model, record)]


@pytest.mark.parametrize(("model", "record"), RECORDS, ids=lambda v: getattr(v, "__name__", None) or v["id"])
def test_valid_record_is_accepted(model: type[BaseModel], record: dict) -> None:
    dumped = model.model_validate(record).model_dump(mode="json")
    assert {name: dumped[name] for name in record} == record


@pytest.mark.parametrize(("model", "record"), RECORDS, ids=lambda v: getattr(v, "__name__", None) or v["id"])
def test_unknown_field_is_rejected(model: type[BaseModel], record: dict) -> None:
    # A misspelt field name must not vanish silently.
    (error,) = errors_of(model, {**record, "colour": "red"})
    assert error["type"] in ("extra_forbidden", "unexpected_keyword_argument")  # a model's, a dataclass's words
    assert error["loc"] == ("colour",)


@pytest.mark.parametrize(("model", "record"), RECORDS, ids=lambda v: getattr(v, "__name__", None) or v["id"])
def test_missing_id_is_named(model: type[BaseModel], record: dict) -> None:
    (error,) = errors_of(model, {key: value for key, value in record.items() if key != "id"})
    assert (error["type"], error["loc"]) == ("missing", ("id",))


# Every enum field, with a record to put a wrong value into.
ENUM_FIELDS = [
    (FeatureProperties, FEATURE, "kind", FeatureKind),
    (FeatureProperties, FEATURE, "status", Status),
    (Project, PROJECT, "kind", ProjectKind),
    (Project, PROJECT, "status", Status),
    (Source, SOURCE, "kind", SourceKind),
    (Event, {**EVENT, "date": None, "date_precision": "unknown"}, "date_precision", DatePrecision),
    (Event, EVENT, "kind", EventKind),
    (Figure, FIGURE, "kind", FigureKind),
    (Figure, FIGURE, "qualifier", Qualifier),
    (Figure, FIGURE, "unit", Unit),
    (Figure, MEASURED_FIGURE, "measure", Measure),
    (LayerSpec, LAYER, "geometry_type", GeometryType),
]


@pytest.mark.parametrize(
    ("model", "record", "field", "enum"), ENUM_FIELDS, ids=[f"{m.__name__}.{f}" for m, _, f, _ in ENUM_FIELDS]
)
def test_enum_rejects_a_wrong_value(model: type[BaseModel], record: dict, field: str, enum: type[Enum]) -> None:
    (error,) = errors_of(model, {**record, field: "planned-ish"})
    assert error["type"] == "enum"
    assert error["loc"] == (field,)
    # The message lists what is allowed, so the user can fix the value without reading code.
    for member in enum:
        assert f"'{member.value}'" in error["msg"]


@pytest.mark.parametrize(
    ("model", "record", "field", "enum"), ENUM_FIELDS, ids=[f"{m.__name__}.{f}" for m, _, f, _ in ENUM_FIELDS]
)
def test_enum_accepts_every_member(model: type[BaseModel], record: dict, field: str, enum: type[Enum]) -> None:
    for member in enum:
        candidate = {**record, field: member.value}
        if model is Figure and field == "unit" and record.get("measure"):
            continue
        if model is Event and field == "date_precision":
            candidate["date"] = {"day": "2023-11-09", "month": "2023-11", "year": "2023", "unknown": None}[member.value]
        if model is Figure and field == "measure":
            candidate["unit"] = {"length_km": "km", "area_km2": "km2"}[member.value]
        if model is Event and field == "kind" and member.value == "status_reported":
            candidate["status"] = "under_construction"  # a status report states the status it reports
        assert getattr(model.model_validate(candidate), field) == member


def test_enum_values_are_the_documented_ones() -> None:
    # data/README.md lists these; a change here is a change of the data format.
    assert [m.value for m in FeatureKind] == [
        "border_checkpoint", "industrial_site", "railway_line", "railway_station", "reservoir",
        "dam", "sea", "capital", "city", "corridor",
    ]  # fmt: skip
    assert [m.value for m in Status] == ["proposed", "agreed", "under_construction", "operational", "unknown"]
    assert [m.value for m in Unit] == ["USD", "percent", "km", "km2", "m2", "ha", "t", "count", "ratio", "rank", "year"]
    assert [m.value for m in Qualifier] == ["exact", "about", "over", "nearly", "up_to"]


# --- country codes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "record", "field"),
    [
        (FeatureProperties, FEATURE, "country"),
        (Project, PROJECT, "countries"),
        (Event, EVENT, "countries"),
        (Figure, FIGURE, "countries"),
        (MapSpec, MAP, "countries"),
    ],
)
def test_country_codes_are_checked(model: type[BaseModel], record: dict, field: str) -> None:
    (error,) = errors_of(model, {**record, field: ["KZ", "XX"]})
    assert error["loc"] == (field, 1)
    assert error["msg"] == "Value error, 'XX' is not an ISO 3166-1 alpha-2 country code"


@pytest.mark.parametrize("code", ["kz", "KAZ", "", "UK"])
def test_country_code_must_be_an_assigned_upper_case_alpha2(code: str) -> None:
    assert messages_of(FeatureProperties, {**FEATURE, "country": [code]}) == [
        f"'{code}' is not an ISO 3166-1 alpha-2 country code"
    ]


def test_feature_needs_a_country() -> None:
    (error,) = errors_of(FeatureProperties, {**FEATURE, "country": []})
    assert (error["type"], error["loc"]) == ("too_short", ("country",))


# --- partial dates and their precision -----------------------------------------------------------


@pytest.mark.parametrize("date", ["2023", "2023-11", "2023-11-09", "2024-02-29"])
def test_partial_date_accepted(date: str) -> None:
    assert Source.model_validate({**SOURCE, "published": date}).published == date


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("2023-13", "'2023-13' is not a calendar date: month must be in 1..12"),
        ("2023-02-30", "'2023-02-30' is not a calendar date: day is out of range for month"),
        ("2023-02-29", "'2023-02-29' is not a calendar date: day is out of range for month"),
        ("2023-00", "'2023-00' is not a calendar date: month must be in 1..12"),
        ("2023-1", "'2023-1' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("2023/11/09", "'2023/11/09' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("09.11.2023", "'09.11.2023' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("2023-11-09T10:00", "'2023-11-09T10:00' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("2023\n", "'2023\\n' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
        ("November 2023", "'November 2023' is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"),
    ],
)
def test_partial_date_rejected(date: str, message: str) -> None:
    (error,) = errors_of(Source, {**SOURCE, "published": date})
    assert error["loc"] == ("published",)
    assert error["msg"].removeprefix("Value error, ") == message


@pytest.mark.parametrize("field", ["period_start", "period_end", "as_of"])
def test_figure_dates_are_partial_dates(field: str) -> None:
    (error,) = errors_of(Figure, {**FIGURE, field: "2023-13"})
    assert error["loc"] == (field,)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("date: 2023-11-09", "2023-11-09"), ("date: 2023-11", "2023-11"), ("date: 2023", "2023")],
)
def test_unquoted_yaml_date_is_read_as_written(text: str, expected: str) -> None:
    # YAML turns an unquoted 2023-11-09 into a date and 2023 into an int; both mean what was typed.
    raw = yaml.safe_load(text)["date"]
    precision = precision_of(expected).value
    event = Event.model_validate({**EVENT, "date": raw, "date_precision": precision})
    assert event.date == expected


@pytest.mark.parametrize(
    ("date", "precision"), [("2023", "year"), ("2023-11", "month"), ("2023-11-09", "day"), (None, "unknown")]
)
def test_date_precision_matching_the_date_is_accepted(date: str | None, precision: str) -> None:
    event = Event.model_validate({**EVENT, "date": date, "date_precision": precision})
    assert event.date_precision == DatePrecision(precision) == precision_of(date)


@pytest.mark.parametrize(
    ("date", "precision", "message"),
    [
        ("2023-11", "day", "date_precision is 'day' but date '2023-11' has precision 'month'"),
        ("2023-11-09", "month", "date_precision is 'month' but date '2023-11-09' has precision 'day'"),
        ("2024", "day", "date_precision is 'day' but date '2024' has precision 'year'"),
        (None, "day", "date_precision is 'day' but date None has precision 'unknown'"),
        ("2024", "unknown", "date_precision is 'unknown' but date '2024' has precision 'year'"),
    ],
)
def test_date_precision_must_match_the_form_of_the_date(date: str | None, precision: str, message: str) -> None:
    assert messages_of(Event, {**EVENT, "date": date, "date_precision": precision}) == [message]


def test_event_needs_a_date_precision() -> None:
    record = {key: value for key, value in EVENT.items() if key != "date_precision"}
    (error,) = errors_of(Event, record)
    assert (error["type"], error["loc"]) == ("missing", ("date_precision",))


def test_source_published_precision_comes_from_the_date() -> None:
    assert Source.model_validate({**SOURCE, "published": "2024-08"}).published_precision == DatePrecision.month
    assert Source.model_validate({**SOURCE, "published": None}).published_precision == DatePrecision.unknown


# --- features ------------------------------------------------------------------------------------


def test_name_local_needs_local_lang() -> None:
    record = {key: value for key, value in FEATURE.items() if key != "local_lang"}
    assert messages_of(FeatureProperties, record) == [
        "name_local is given without local_lang (the language of the local name)"
    ]


def test_local_lang_alone_is_fine_and_no_local_name_is_fine() -> None:
    record = {key: value for key, value in FEATURE.items() if key not in ("name_local", "local_lang")}
    assert FeatureProperties.model_validate(record).name_local is None


@pytest.mark.parametrize("lang", ["KK", "kazakh", "k", "kk_KZ"])
def test_local_lang_is_a_language_code(lang: str) -> None:
    (error,) = errors_of(FeatureProperties, {**FEATURE, "local_lang": lang})
    assert error["loc"] == ("local_lang",)


@pytest.mark.parametrize("lang", ["kk", "uz", "tg", "kaa", "uz-Cyrl"])
def test_local_lang_accepts_iso_639_with_script(lang: str) -> None:
    assert FeatureProperties.model_validate({**FEATURE, "local_lang": lang}).local_lang == lang


@pytest.mark.parametrize("accuracy", [0, -5, 2_000_000, "far"])
def test_accuracy_m_is_a_positive_distance(accuracy: object) -> None:
    (error,) = errors_of(FeatureProperties, {**FEATURE, "accuracy_m": accuracy})
    assert error["loc"] == ("accuracy_m",)


@pytest.mark.parametrize("field", ["accuracy_m", "geometry_source", "sources", "kind", "name"])
def test_feature_required_fields(field: str) -> None:
    (error,) = errors_of(FeatureProperties, {key: value for key, value in FEATURE.items() if key != field})
    assert (error["type"], error["loc"]) == ("missing", (field,))


def test_feature_needs_a_source() -> None:
    (error,) = errors_of(FeatureProperties, {**FEATURE, "sources": []})
    assert (error["type"], error["loc"]) == ("too_short", ("sources",))


@pytest.mark.parametrize("bad_id", ["Atameken", "a", "with space", "-lead", "trail-", "ünï", "x" * 81])
def test_ids_are_lower_case_slugs(bad_id: str) -> None:
    (error,) = errors_of(FeatureProperties, {**FEATURE, "id": bad_id})
    assert error["loc"] == ("id",)


def test_reference_ids_are_checked_like_ids() -> None:
    (error,) = errors_of(FeatureProperties, {**FEATURE, "sources": ["Not An Id"]})
    assert error["loc"] == ("sources", 0)


def test_empty_name_is_rejected() -> None:
    (error,) = errors_of(FeatureProperties, {**FEATURE, "name": ""})
    assert error["loc"] == ("name",)


# --- sources -------------------------------------------------------------------------------------


def test_source_needs_a_file_or_a_url() -> None:
    record = {key: value for key, value in SOURCE.items() if key != "file"}
    assert messages_of(Source, record) == ["a source needs a file or a url so a reader can find it"]
    assert Source.model_validate({**record, "url": "https://example.org/a"}).url == "https://example.org/a"


# --- figures -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"features": []}, "a figure with a measure names exactly one feature to check it against"),
        ({"features": ["a-line", "b-line"]}, "a figure with a measure names exactly one feature to check it against"),
        ({"tolerance_pct": None}, "a figure with a measure states its tolerance_pct"),
        ({"unit": "m2"}, "a figure with measure 'length_km' has unit 'km', not 'm2'"),
        ({"measure": "area_km2"}, "a figure with measure 'area_km2' has unit 'km2', not 'km'"),
        ({"value": 0}, "a figure with a measure states a size greater than 0"),
    ],
)
def test_figure_with_measure_is_checkable(change: dict, message: str) -> None:
    assert messages_of(Figure, {**MEASURED_FIGURE, **change}) == [message]


@pytest.mark.parametrize("tolerance", [0, -1, 101])
def test_tolerance_pct_is_a_percentage(tolerance: float) -> None:
    (error,) = errors_of(Figure, {**MEASURED_FIGURE, "tolerance_pct": tolerance})
    assert error["loc"] == ("tolerance_pct",)


def test_figure_without_measure_may_name_several_features() -> None:
    figure = Figure.model_validate({**FIGURE, "features": ["icic-kz-section", "icic-uz-section"]})
    assert figure.measure is None and figure.tolerance_pct is None


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_figure_value_is_finite(value: float) -> None:
    (error,) = errors_of(Figure, {**FIGURE, "value": value})
    assert error["loc"] == ("value",)


def test_period_start_after_period_end_is_rejected() -> None:
    assert messages_of(Figure, {**FIGURE, "period_start": "2023-08", "period_end": "2023-07"}) == [
        "period_start is after period_end"
    ]


# --- layers and maps -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("view", "field"), [({"lon": 200, "lat": 41, "zoom": 8}, "lon"), ({"lon": 68, "lat": 95, "zoom": 8}, "lat"),
                        ({"lon": 68, "lat": 41, "zoom": 0}, "zoom")]
)  # fmt: skip
def test_map_view_is_lon_lat_zoom(view: dict, field: str) -> None:
    (error,) = errors_of(MapSpec, {**MAP, "view": view})
    assert error["loc"] == ("view", field)


def test_map_needs_a_layer() -> None:
    (error,) = errors_of(MapSpec, {**MAP, "layers": []})
    assert (error["type"], error["loc"]) == ("too_short", ("layers",))


def test_records_are_frozen() -> None:
    feature = FeatureProperties.model_validate(FEATURE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        feature.name = "changed"  # type: ignore[misc]
    source = Source.model_validate(next(record for model, record in RECORDS if model is Source))
    with pytest.raises(ValidationError):
        source.title = "changed"  # type: ignore[misc]


# --- the field dictionary ------------------------------------------------------------------------


def _readme_tables(readme: str) -> dict[str, set[str]]:
    """Section heading -> the names in the first column of its field tables (`| `name` | ...`)."""
    tables: dict[str, set[str]] = {}
    section = ""
    for line in readme.splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        elif match := re.match(r"^\| (`[a-z_]+`(?:, `[a-z_]+`)*) \|", line):
            tables.setdefault(section, set()).update(re.findall(r"`([a-z_]+)`", match.group(1)))
    return tables


def test_readme_documents_every_field_and_enum_value(data_dir) -> None:
    # data/README.md is the field dictionary: a field or value added to the schema is added there
    # too, as a row of the table of the file that holds it (prose mentioning the word does not count).
    from geo.models import AtlasManifest, MapView

    readme = (data_dir / "README.md").read_text(encoding="utf-8")
    tables = _readme_tables(readme)
    sections = {
        FeatureProperties: "layers/\\<layer\\>.geojson",
        Source: "metadata/sources.yaml",
        Project: "metadata/projects.yaml",
        Event: "metadata/events.yaml",
        Figure: "metadata/figures.yaml",
        LayerSpec: "layers.yaml",
        MapSpec: "maps.yaml",
        AtlasManifest: "atlas.yaml",
    }
    for model, section in sections.items():
        assert section in tables, f"data/README.md has no field table under '## {section}'"
        missing = [name for name in model.model_fields if name not in tables[section]]
        assert not missing, f"{model.__name__}: no row for {missing} under '## {section}' in data/README.md"
    (view_row,) = [line for line in readme.splitlines() if line.startswith("| `view` |")]
    assert "{" + ", ".join(MapView.model_fields) + "}" in view_row
    for enum in (FeatureKind, Status, SourceKind, ProjectKind, EventKind, FigureKind, Qualifier, Unit, Measure,
                 GeometryType, DatePrecision):  # fmt: skip
        for member in enum:
            assert f"`{member.value}`" in readme, f"{enum.__name__}.{member.value}"
