"""The atlas schema: pydantic models and enums for every record in data/."""

from __future__ import annotations

import datetime as dt
import functools
import re
from enum import StrEnum
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (
    AfterValidator,
    AllowInfNan,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    TypeAdapter,
    field_validator,
    model_validator,
)
from pydantic import Strict as StrictMode
from pydantic.dataclasses import dataclass as pydantic_dataclass
from pydantic.fields import FieldInfo

from geo.countries import ISO_3166_ALPHA2

# Ids are what links records across files; keep them boring so they survive every format.
RecordId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9_-]*[a-z0-9]$", max_length=80)]
# Every number the schema stores is a finite float, and every flag a boolean, whatever the source:
# pydantic's lax mode would take `true` as 1.0 and `.nan` as a number, neither of which a
# database column (or a reader) can carry back. An integer is still a number.
# -0.0 is 0.0: no stored number keeps the sign of a zero (PostgreSQL's numeric in jsonb drops it).
Number = Annotated[float, StrictMode(), AllowInfNan(False), AfterValidator(lambda value: value + 0.0)]
Flag = StrictBool
WholeNumber = Annotated[int, StrictMode()]
# C0 controls but tab, newline and carriage return; DEL; C1 controls. A NUL cuts a DBF or GPKG
# string short, an escape sequence rewrites a terminal: neither belongs in a name or a note.
_CONTROL_CLASS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_CONTROL = re.compile(f"[{_CONTROL_CLASS}]")
# The same rule as a pattern, checked inside pydantic-core (Rust) rather than by a Python call
# per string: five per feature, a few seconds at a million features. geo.records words its
# failure with control_character_message.
NO_CONTROL_PATTERN = f"^[^{_CONTROL_CLASS}]*$"


def control_character_message(value: str) -> str:
    """Which control character a text holds, and where (for a value the pattern refused)."""
    found = _CONTROL.search(value)
    where = f"U+{ord(found.group()):04X} at position {found.start()}" if found else "a control character"
    return (
        f"contains the control character {where}; text may hold tabs and line breaks, but no other control characters"
    )


# Whitespace and the invisible format characters (zero-width space, joiners, word joiner, BOM): a
# text of only these is blank, a popup with no heading and a list entry with nothing to read.
_BLANK_CLASS = "\\s\u200b-\u200d\u2060\ufeff"
# Text: no control character, and at least one character that is neither blank nor a control.
TEXT_PATTERN = f"^[^{_CONTROL_CLASS}]*[^{_BLANK_CLASS}{_CONTROL_CLASS}][^{_CONTROL_CLASS}]*$"


def text_message(value: str) -> str:
    """Why a text failed TEXT_PATTERN: a control character in it, or nothing but blanks."""
    if _CONTROL.search(value):
        return control_character_message(value)
    return "is blank (only spaces or invisible characters): give the text, or leave out an optional field"


Text = Annotated[str, StringConstraints(min_length=1, strip_whitespace=False, pattern=TEXT_PATTERN)]
LanguageCode = Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z]{4})?$")]

# \Z, not $: '$' would also accept a trailing newline ("2023\n").
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?\Z")


def _check_country(code: str) -> str:
    if code not in ISO_3166_ALPHA2:
        raise ValueError(f"{code!r} is not an ISO 3166-1 alpha-2 country code")
    return code


CountryCode = Annotated[str, AfterValidator(_check_country)]


# Cached: a large layer repeats a few hundred dates a million times, and the check is Python's.
@functools.lru_cache(maxsize=4096)
def _check_partial_date(value: str) -> str:
    match = _PARTIAL_DATE.match(value)
    if not match:
        raise ValueError(f"{value!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a calendar date: {exc}") from None
    return value


def _yaml_date_as_text(value: object) -> object:
    """YAML reads an unquoted 2023-11-09 as a date and 2027 as an int; take them as the text written."""
    if type(value) is str:  # the common case, first: a large layer's every feature
        return value
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


# A date that a source may give only to the month or the year: '2023', '2023-11', '2023-11-09'.
PartialDate = Annotated[str, BeforeValidator(_yaml_date_as_text), AfterValidator(_check_partial_date)]


class DatePrecision(StrEnum):
    day = "day"
    month = "month"
    year = "year"
    unknown = "unknown"


def precision_of(date: str | None) -> DatePrecision:
    """How precise a partial ISO date is, from its form."""
    if date is None:
        return DatePrecision.unknown
    return [DatePrecision.year, DatePrecision.month, DatePrecision.day][date.count("-")]


class FeatureKind(StrEnum):
    border_checkpoint = "border_checkpoint"
    industrial_site = "industrial_site"
    railway_line = "railway_line"
    railway_station = "railway_station"
    reservoir = "reservoir"
    dam = "dam"
    sea = "sea"
    capital = "capital"
    city = "city"
    corridor = "corridor"


class Status(StrEnum):
    """Where a project stands; `unknown` when no source says."""

    proposed = "proposed"
    agreed = "agreed"
    under_construction = "under_construction"
    operational = "operational"
    unknown = "unknown"

    @property
    def can_go_stale(self) -> bool:
        """True for a state that passes (planned, agreed, being built) or that a later source may settle."""
        return self in STALE_PRONE_STATUSES


# Statuses that say where something stood on a day and will not stay true: a line under
# construction opens, a proposal is agreed or dropped, an unknown becomes known. A status older
# than STATUS_STALE_AFTER_DAYS at build time is shown "as of" its date. `operational` is an end
# state: it stays true until a source reports a closure.
STALE_PRONE_STATUSES = frozenset({Status.proposed, Status.agreed, Status.under_construction, Status.unknown})
STATUS_STALE_AFTER_DAYS = 365


class SourceKind(StrEnum):
    article = "article"
    reference = "reference"
    dataset = "dataset"


class ProjectKind(StrEnum):
    industrial_cooperation = "industrial_cooperation"
    railway = "railway"
    transport_corridor = "transport_corridor"
    water_management = "water_management"
    trade_programme = "trade_programme"
    joint_ventures = "joint_ventures"
    digital_government = "digital_government"
    environmental_fund = "environmental_fund"
    treaty = "treaty"
    labour_migration = "labour_migration"
    industrial_supply = "industrial_supply"
    education = "education"


class EventKind(StrEnum):
    signed = "signed"
    ratified = "ratified"
    visit = "visit"
    meeting = "meeting"
    adopted = "adopted"
    assumed_chairmanship = "assumed_chairmanship"
    cultural_event = "cultural_event"
    construction_started = "construction_started"
    # A report of where a project stands on its date (a step of its dated status history).
    status_reported = "status_reported"


class FigureKind(StrEnum):
    actual = "actual"
    target = "target"
    estimate = "estimate"
    stated = "stated"


class Qualifier(StrEnum):
    """How a source hedges a number: 'about 80%', 'over $1 billion', 'nearly $300 million'."""

    exact = "exact"
    about = "about"
    over = "over"
    nearly = "nearly"
    up_to = "up_to"


class Unit(StrEnum):
    usd = "USD"
    percent = "percent"
    km = "km"
    km2 = "km2"
    m2 = "m2"
    ha = "ha"
    tonnes = "t"
    count_ = "count"  # the trailing _ keeps str.count usable on every member
    ratio = "ratio"
    rank = "rank"
    year = "year"  # a calendar year, e.g. the year a completion is planned for


class Measure(StrEnum):
    """A figure that states a geometry's size, checked against the geometry."""

    length_km = "length_km"
    area_km2 = "area_km2"


# The unit a measured figure must be stated in, so that the check compares like with like.
MEASURE_UNITS = {Measure.length_km: Unit.km, Measure.area_km2: Unit.km2}


class GeometryType(StrEnum):
    point = "Point"
    linestring = "LineString"
    multilinestring = "MultiLineString"
    polygon = "Polygon"
    multipolygon = "MultiPolygon"


class Strict(BaseModel):
    """Unknown fields are errors: a misspelt field name must not vanish silently."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=False)


class Record(Strict):
    """A record of a metadata file: its id is how other records name it."""

    id: RecordId


class RecordedPosition(Strict):
    """Where one independent source puts a feature: its coordinate, the source and the record in it.

    Kept beside the drawn geometry so that a reader (and `geo validate`) can see how far the
    sources disagree; the feature's accuracy_m must cover that spread.
    """

    lon: Number = Field(ge=-180, le=180)
    lat: Number = Field(ge=-90, le=90)
    source: RecordId
    # The record inside the source: "OpenStreetMap node 4046956030", "GeoNames 1526384", "infobox".
    ref: Text


@pydantic_dataclass(
    frozen=True, slots=True, kw_only=True, config=ConfigDict(extra="forbid", str_strip_whitespace=False)
)
class FeatureProperties:
    """The properties of one GeoJSON feature in a layer file.

    A slotted pydantic dataclass, not a BaseModel: a layer holds one per feature, and a model's
    per-instance dict and set of fields cost 1.2 kB each, a gigabyte at a million features
    (bench/render.py). It answers the BaseModel spelling (model_validate, model_dump,
    model_fields) that the schema's other records use.
    """

    id: RecordId
    name: Text
    name_ru: Text | None = None
    name_local: Text | None = None
    local_lang: LanguageCode | None = None
    kind: FeatureKind
    country: list[CountryCode] = Field(min_length=1)
    status: Status | None = None
    # When the status was last reported, and by which sources: a status is true as of a date.
    status_as_of: PartialDate | None = None
    status_sources: list[RecordId] = Field(default_factory=list)
    schematic: Flag = False
    accuracy_m: Number = Field(gt=0, le=1_000_000)
    geometry_source: Text
    sources: list[RecordId] = Field(min_length=1)
    projects: list[RecordId] = Field(default_factory=list)
    note: Text | None = None
    positions: list[RecordedPosition] = Field(default_factory=list)

    model_fields: ClassVar[dict[str, FieldInfo]]

    @model_validator(mode="after")
    def _local_name_has_language(self) -> FeatureProperties:
        if self.name_local is not None and self.local_lang is None:
            raise ValueError("name_local is given without local_lang (the language of the local name)")
        return self

    @classmethod
    def model_validate(cls, raw: Any) -> FeatureProperties:
        return _FEATURE_PROPERTIES.validate_python(raw)

    def model_dump(self, *, mode: Literal["json", "python"] = "python", exclude_none: bool = False) -> dict[str, Any]:
        dumped: dict[str, Any] = _FEATURE_PROPERTIES.dump_python(self, mode=mode, exclude_none=exclude_none)
        return dumped


FeatureProperties.model_fields = vars(FeatureProperties)["__pydantic_fields__"]
_FEATURE_PROPERTIES: TypeAdapter[FeatureProperties] = TypeAdapter(FeatureProperties)

# Any record of the schema: a model, or a feature's properties.
SchemaRecord = BaseModel | FeatureProperties


class Source(Record):
    """A document a fact comes from: one of the articles, a reference page or a dataset."""

    kind: SourceKind
    title: Text
    # True when the source carries no headline and the title is ours, describing it.
    title_is_descriptive: Flag = False
    publisher: Text | None = None
    published: PartialDate | None = None
    file: Text | None = None
    url: Text | None = None
    note: Text | None = None
    # The line its licence obliges wherever its data is shown (ODbL, CC BY), or the credit the
    # atlas gives it; maps, sheets and exports read it from here, never guess it from the text.
    attribution: Text | None = None

    @model_validator(mode="after")
    def _locatable(self) -> Source:
        if self.file is None and self.url is None:
            raise ValueError("a source needs a file or a url so a reader can find it")
        return self

    @property
    def published_precision(self) -> DatePrecision:
        return precision_of(self.published)


class Project(Record):
    """A project, programme or agreement-backed undertaking the articles name."""

    name: Text
    name_ru: Text | None = None
    kind: ProjectKind
    status: Status
    # When the status was last reported, and by which sources (geo validate requires both).
    status_as_of: PartialDate | None = None
    status_sources: list[RecordId] = Field(default_factory=list)
    countries: list[CountryCode] = Field(min_length=1)
    summary: Text
    sources: list[RecordId] = Field(min_length=1)


class Event(Record):
    """A dated happening: a signing, a ratification, a visit, a meeting."""

    kind: EventKind
    title: Text
    date: PartialDate | None = None
    date_precision: DatePrecision
    place: Text | None = None
    countries: list[CountryCode] = Field(min_length=1)
    projects: list[RecordId] = Field(default_factory=list)
    features: list[RecordId] = Field(default_factory=list)
    # The status its projects and features had from this event on: the dated status history.
    status: Status | None = None
    sources: list[RecordId] = Field(min_length=1)
    note: Text | None = None
    # Reported as scheduled, not yet done: a signing dated after every source that reports it.
    planned: Flag = False

    @model_validator(mode="after")
    def _status_report_says_status(self) -> Event:
        if self.kind == EventKind.status_reported and self.status is None:
            raise ValueError("a status_reported event states the status it reports")
        return self

    @model_validator(mode="after")
    def _precision_matches_date(self) -> Event:
        implied = precision_of(self.date)
        if implied != self.date_precision:
            raise ValueError(
                f"date_precision is '{self.date_precision.value}' but date "
                f"{self.date!r} has precision '{implied.value}'"
            )
        return self


# Units one figure's values can be compared in: the factor to the first unit of the group.
COMPARABLE_UNITS: dict[Unit, tuple[str, float]] = {
    Unit.km2: ("area", 1e6),
    Unit.ha: ("area", 1e4),
    Unit.m2: ("area", 1.0),
}


class FigureValue(Strict):
    """Another value a source gives for the same figure, kept beside the primary one."""

    value: Number
    unit: Unit
    qualifier: Qualifier = Qualifier.exact
    sources: list[RecordId] = Field(min_length=1)
    note: Text | None = None


def in_unit_of(value: float, unit: Unit, target: Unit) -> float | None:
    """`value` in `unit` expressed in `target`, or None when the two cannot be compared."""
    if unit == target:
        return value
    a, b = COMPARABLE_UNITS.get(unit), COMPARABLE_UNITS.get(target)
    if a is None or b is None or a[0] != b[0]:
        return None
    return value * a[1] / b[1]


class Figure(Record):
    """A number with its unit, period and as-of date: money, trade, sizes."""

    label: Text
    kind: FigureKind
    value: Number
    unit: Unit
    qualifier: Qualifier = Qualifier.exact
    period_start: PartialDate | None = None
    period_end: PartialDate | None = None
    as_of: PartialDate | None = None
    countries: list[CountryCode] = Field(default_factory=list)
    projects: list[RecordId] = Field(default_factory=list)
    features: list[RecordId] = Field(default_factory=list)
    measure: Measure | None = None
    tolerance_pct: Number | None = Field(default=None, gt=0, le=100)
    sources: list[RecordId] = Field(min_length=1)
    note: Text | None = None
    # Values other sources give for the same figure (the primary value stays in value/unit/sources).
    alternatives: list[FigureValue] = Field(default_factory=list)

    @property
    def conflicts(self) -> bool:
        """True when an alternative differs from the primary value (after unit conversion where
        comparable; values in units that cannot be compared always count as differing)."""
        for alternative in self.alternatives:
            converted = in_unit_of(alternative.value, alternative.unit, self.unit)
            if converted is None or abs(converted - self.value) > 1e-9 * max(abs(self.value), 1.0):
                return True
        return False

    @model_validator(mode="after")
    def _measure_is_checkable(self) -> Figure:
        if self.measure is not None:
            if len(self.features) != 1:
                raise ValueError("a figure with a measure names exactly one feature to check it against")
            if self.tolerance_pct is None:
                raise ValueError("a figure with a measure states its tolerance_pct")
            unit = MEASURE_UNITS[self.measure]
            if self.unit != unit:
                raise ValueError(
                    f"a figure with measure '{self.measure.value}' has unit '{unit.value}', not '{self.unit.value}'"
                )
            if self.value <= 0:
                raise ValueError("a figure with a measure states a size greater than 0")
        if self.period_start and self.period_end and self.period_start > self.period_end:
            raise ValueError("period_start is after period_end")
        return self


class LayerSpec(Record):
    """A layer as declared in data/layers.yaml: its file, title and geometry type."""

    title: Text
    description: Text
    file: Text
    geometry_type: GeometryType


class MapView(Strict):
    lon: Number = Field(ge=-180, le=180)
    lat: Number = Field(ge=-90, le=90)
    zoom: WholeNumber = Field(ge=1, le=18)


class MapSpec(Record):
    """A map as declared in data/maps.yaml: what it shows and where it opens."""

    title: Text
    description: Text
    layers: list[RecordId] = Field(min_length=1)
    countries: list[CountryCode] = Field(default_factory=list)
    view: MapView | None = None
    min_zoom: WholeNumber = Field(default=3, ge=1, le=18)
    max_zoom: WholeNumber = Field(default=16, ge=1, le=19)

    @model_validator(mode="after")
    def _zoom_range(self) -> MapSpec:
        if self.min_zoom > self.max_zoom:
            raise ValueError(f"min_zoom {self.min_zoom} is above max_zoom {self.max_zoom}")
        if self.view is not None and not self.min_zoom <= self.view.zoom <= self.max_zoom:
            raise ValueError(f"view.zoom {self.view.zoom} is outside min_zoom..max_zoom")
        return self


class AtlasFiles(Strict):
    """Where each kind of record lives, relative to the data directory."""

    layers: Text = "layers.yaml"
    maps: Text = "maps.yaml"
    sources: Text = "metadata/sources.yaml"
    projects: Text = "metadata/projects.yaml"
    events: Text = "metadata/events.yaml"
    figures: Text = "metadata/figures.yaml"
    countries: Text = "base/countries.geojson"
    context: Text = "base/context"  # a directory: rivers, railways and towns under the maps
    translations: Text = "i18n"  # a directory: <lang>.yaml per language besides English


VersionNumber = Annotated[str, StringConstraints(pattern=r"^\d+\.\d+(\.\d+)?$")]


class Release(Strict):
    """One published version of the atlas: its number, day and what changed, in words.

    `since` names the git revision of the release before it (a commit or tag of the repository
    that holds the data): the site lists what changed since then, record by record. The first
    release has none; everything in it is new.
    """

    version: VersionNumber
    date: PartialDate
    notes: Text
    since: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,99}$")] | None = None

    @field_validator("date")
    @classmethod
    def _a_day(cls, value: str) -> str:
        if precision_of(value) != DatePrecision.day:
            raise ValueError(f"a release is dated to the day (YYYY-MM-DD), not {value!r}")
        return value


class AtlasManifest(Strict):
    """data/atlas.yaml: the atlas's title, its region, its version and the layout of the data directory."""

    title: Text
    region_bounds: tuple[Number, Number, Number, Number] = Field(
        description="west, south, east, north in degrees (lon/lat): where every feature must lie"
    )
    files: AtlasFiles = Field(default_factory=AtlasFiles)
    # The day the atlas is built as of: statuses older than a year before it are shown "as of"
    # their date. Without it, the data date (the newest source's date); never the wall clock, so
    # that a build stays reproducible.
    build_date: PartialDate | None = None
    base_source: RecordId | None = Field(
        default=None, description="the source of the country outlines, credited on every map and sheet"
    )
    # The version of the data (not of the tool); the newest of `releases`, which are newest first.
    version: VersionNumber | None = None
    releases: list[Release] = Field(default_factory=list)

    @model_validator(mode="after")
    def _version_is_the_newest_release(self) -> AtlasManifest:
        versions = [release.version for release in self.releases]
        if len(set(versions)) != len(versions):
            raise ValueError(f"releases: a version is listed twice ({', '.join(versions)})")
        if self.releases and self.version != versions[0]:
            raise ValueError(
                f"version {self.version!r} is not the newest release {versions[0]!r} (releases are listed newest first)"
            )
        dates = [release.date for release in self.releases]
        if dates != sorted(dates, reverse=True):
            raise ValueError("releases are listed newest first: their dates must not increase")
        return self

    @field_validator("region_bounds")
    @classmethod
    def _ordered_bounds(cls, bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        west, south, east, north = bounds
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise ValueError("region_bounds must be west < east within -180..180 and south < north within -90..90")
        return bounds
