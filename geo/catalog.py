"""Read data/ into one catalog: records, layers and country outlines, references resolved, features joined.

Data flows one way: data/ -> models (schema) -> this catalog -> validate | render | export -> cli.
Checks beyond the schema and the references (geometry, countries, stated sizes) live downstream
in geo/validate.py; the CLI composes the two.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from operator import attrgetter, or_
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.base_layer import Country, parse_countries
from geo.context_layers import ContextLayers, parse_context
from geo.cycles import cycle_collection_paused
from geo.data_version import data_date, data_hash
from geo.errors import DataError, Problem
from geo.fields import FIELD_DICTIONARY_FILE, parse_field_dictionary
from geo.layer_file import Feature, read_layer_features
from geo.messages import languages
from geo.models import AtlasFiles, AtlasManifest, Event, FeatureProperties, Figure, LayerSpec, MapSpec, Project, Source
from geo.readers import (
    data_file_problem,
    display_path,
    parse_yaml_mapping,
    read_data_bytes,
    read_yaml_list,
    recording_reads,
)
from geo.records import parse_record, parse_records
from geo.references import reference_problems
from geo.translations import LanguageTexts, parse_translations, translation_file

if TYPE_CHECKING:
    import geopandas

# The one file whose place is fixed: it says where everything else lives.
MANIFEST_FILE = "atlas.yaml"


@dataclass
class Layer:
    spec: LayerSpec
    features: list[Feature]
    # How reports name where the layer was read from ("data/layers/cities.geojson", "atlas.cities").
    shown: str = ""

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass(frozen=True)
class Identity:
    """What identifies one version of the data, whatever it was read from (data/ or PostGIS)."""

    data_hash: str  # sha256 over the canonical records, geometries and stored files (geo.data_version)
    data_date: str | None  # the newest publication date of any source


@dataclass
class Catalog:
    """Everything the atlas knows, validated, with the joins that maps and exports need.

    A value: the output stages read it and never the files it came from. Both readers, data/
    (read_catalog) and PostGIS (geo.publish.read), give the same value for the same data.
    """

    layers: dict[str, Layer]
    sources: dict[str, Source]
    projects: dict[str, Project]
    events: dict[str, Event]
    figures: dict[str, Figure]
    maps: dict[str, MapSpec]
    atlas: AtlasManifest | None = None
    countries: dict[str, Country] = field(default_factory=dict)
    # Files kept byte for byte, by their path in the data directory: atlas.yaml, the field
    # dictionary (README.md), base/ (outlines, extracts, provenance) and the translation files
    # (i18n/<lang>.yaml). Published and pulled as they are.
    stored: dict[str, bytes] = field(default_factory=dict)
    # How reports name each kind of file ('figures' -> 'data/metadata/figures.yaml' or 'atlas.figures').
    places: dict[str, str] = field(default_factory=dict)
    # Every data file read, with the sha256 of the bytes read (none from a database): the build stamp.
    files_read: dict[str, str] = field(default_factory=dict)
    # The directory it was read from, for the output guard alone (never written into); None from a database.
    data_dir: Path | None = None
    # The data's texts in each language besides English (data/i18n/<lang>.yaml; geo/texts.py reads them).
    translations: dict[str, LanguageTexts] = field(default_factory=dict)
    _index: dict[str, dict[tuple[str, str], list[str]]] = field(default_factory=dict, repr=False)
    _named: frozenset[str] = field(default=frozenset(), repr=False)
    _identity: Identity | None = field(default=None, repr=False)
    _context: ContextLayers | None = field(default=None, repr=False)

    @property
    def files(self) -> AtlasFiles:
        return self.atlas.files if self.atlas else AtlasFiles()

    def shown_file(self, key: str) -> str:
        """How reports name one of the atlas's files ('maps', 'figures', 'countries', ...)."""
        return self.places.get(key) or str(getattr(self.files, key, key))

    @property
    def field_dictionary(self) -> dict[str, dict[str, str]]:
        """Each field's meaning by the section of data/README.md that documents it (empty without one)."""
        text = self.stored.get(FIELD_DICTIONARY_FILE)
        return parse_field_dictionary(text.decode("utf-8", "replace")) if text else {}

    @property
    def identity(self) -> Identity:
        """The data hash and date, computed once (the hash walks every record and geometry)."""
        if self._identity is None:
            self._identity = Identity(data_hash(self), data_date(self))
        return self._identity

    def shown_stored(self, name: str) -> str:
        """How reports name a file kept byte for byte ('data/base/context/rivers.geojson', 'atlas.base_files[...]')."""
        return self.places.get("stored", "{}").replace("{}", name)

    def context(self, problems: list[Problem] | None = None) -> ContextLayers:
        """The rivers, railways and towns drawn under the maps (data/base/context/), parsed once from the stored files."""
        if self._context is None:
            found = problems if problems is not None else []
            self._context = parse_context(self.stored, self.files.context, self.shown_stored, found)
        return self._context

    def features(self) -> list[Feature]:
        return [feature for layer in self.layers.values() for feature in layer.features]

    def feature(self, feature_id: str) -> Feature:
        for layer in self.layers.values():
            for feature in layer.features:
                if feature.id == feature_id:
                    return feature
        raise KeyError(feature_id)

    def _build_index(self) -> None:
        # Keys are (kind, id): a feature may share its id with its project (the railway line and
        # the railway project), and a fact about the one must not reach the other's features.
        events_by: dict[tuple[str, str], list[str]] = defaultdict(list)
        figures_by: dict[tuple[str, str], list[str]] = defaultdict(list)
        for event in sorted(self.events.values(), key=_event_sort_key):
            for key in _keys(event.projects, event.features):
                events_by[key].append(event.id)
        for figure in self.figures.values():
            for key in _keys(figure.projects, figure.features):
                figures_by[key].append(figure.id)
        self._index = {"events": events_by, "figures": figures_by}
        self._named = frozenset(i for index in self._index.values() for kind, i in index if kind == "feature")

    def _linked(self, kind: str, feature: Feature) -> list[str]:
        if not self._index:
            self._build_index()
        index = self._index[kind]
        keys = [("feature", feature.id), *(("project", project) for project in feature.properties.projects)]
        hits = [index[key] for key in keys if key in index]
        if len(hits) <= 1:  # the common case at scale: nothing or one list to merge
            return list(hits[0]) if hits else []
        return list(dict.fromkeys(i for ids in hits for i in ids))

    def has_joins(self, feature: Feature) -> bool:
        """Whether any event or figure can be about this feature (most of a large layer: no)."""
        return self.have_joins([feature])[0]

    def have_joins(self, features: list[Feature]) -> list[bool]:
        """has_joins of each feature: one that names a project, or that an event or figure names
        itself. Mapped over C functions (a layer may hold a million features)."""
        if not self._index:
            self._build_index()
        named = self._named.__contains__
        return list(map(or_, map(bool, map(_PROJECTS, features)), map(named, map(_ID, features))))

    def events_of(self, feature: Feature) -> list[Event]:
        """Events about the feature or its projects, oldest first (undated last)."""
        return sorted((self.events[i] for i in self._linked("events", feature)), key=_event_sort_key)

    def figures_of(self, feature: Feature) -> list[Figure]:
        return [self.figures[i] for i in self._linked("figures", feature)]

    def sources_of(self, feature: Feature) -> list[Source]:
        """The feature's own sources, then those of every fact joined to it."""
        ids: list[str] = list(feature.properties.sources)
        for project_id in feature.properties.projects:
            ids += self.projects[project_id].sources
        for event in self.events_of(feature):
            ids += event.sources
        for figure in self.figures_of(feature):
            ids += figure.sources
        return [self.sources[i] for i in dict.fromkeys(ids)]

    def layer_frame(self, layer_id: str) -> geopandas.GeoDataFrame:
        """The layer as a GeoDataFrame (EPSG:4326) with the ids of its joined records as list columns."""
        import geopandas

        layer = self.layers[layer_id]
        rows: list[dict[str, Any]] = []
        for feature in layer.features:
            row = feature.properties.model_dump(mode="json")
            row["layer"] = layer_id
            row["events"] = [event.id for event in self.events_of(feature)]
            row["figures"] = [figure.id for figure in self.figures_of(feature)]
            row["all_sources"] = [source.id for source in self.sources_of(feature)]
            rows.append(row)
        columns = list(FeatureProperties.model_fields) + ["layer", "events", "figures", "all_sources"]
        return geopandas.GeoDataFrame(
            rows, columns=columns, geometry=[f.geometry for f in layer.features], crs="EPSG:4326"
        )


_PROJECTS = attrgetter("properties.projects")
_ID = attrgetter("properties.id")


def _keys(projects: list[str], features: list[str]) -> list[tuple[str, str]]:
    return [("feature", i) for i in features] + [("project", i) for i in projects]


def _event_sort_key(event: Event) -> tuple[int, str, str]:
    return (event.date is None, event.date or "", event.id)


def parse_manifest(raw: bytes | None, shown: str, problems: list[Problem]) -> AtlasManifest | None:
    """atlas.yaml from its bytes, or None (with its Problems)."""
    if raw is None:
        return None
    mapping = parse_yaml_mapping(raw, shown, problems)
    return None if mapping is None else parse_record(mapping, AtlasManifest, shown, problems)


# What a data directory keeps byte for byte beside its records: the manifest, the field dictionary, base/.
BASE_DIR = "base"


def stored_names(root: Path) -> list[str]:
    """The files of a data directory kept byte for byte (see Catalog.stored), by relative path, sorted."""
    names = [name for name in (MANIFEST_FILE, FIELD_DICTIONARY_FILE) if (root / name).is_file()]
    base = root / BASE_DIR
    if base.is_dir():
        names += sorted(p.relative_to(root).as_posix() for p in base.rglob("*") if p.is_file())
    return names


def load_catalog(data_dir: Path | str) -> Catalog:
    """Read everything in data_dir and resolve its references; raise DataError listing every problem.

    The checks beyond the schema and the references (geometry, countries, stated sizes) are
    geo.validate.validate_catalog's: run it on the result before trusting positions.
    """
    catalog, problems = read_catalog(data_dir)
    if problems:
        raise DataError(problems)
    return catalog


def read_catalog(data_dir: Path | str) -> tuple[Catalog, list[Problem]]:
    """The catalog of every record that could be read, and the problems with the rest.

    Lenient, so that one run can report load problems and validation problems together; an
    unusable data directory (missing) still raises DataError.
    """
    with cycle_collection_paused():
        return _read_catalog(Path(data_dir))


def _read_catalog(root: Path) -> tuple[Catalog, list[Problem]]:
    problems: list[Problem] = []
    if not root.is_dir():
        raise DataError([Problem(root.as_posix(), "(directory)", "-", "data directory not found")])
    with recording_reads() as files_read:
        stored: dict[str, bytes] = {}
        attempted: set[str] = set()

        def keep(name: str) -> bytes | None:
            """The bytes of a stored file, read once (a file that cannot be read is one Problem)."""
            if name not in attempted:
                attempted.add(name)
                payload = read_data_bytes(root / name, root, display_path(root / name, root), problems)
                if payload is not None:
                    stored[name] = payload
            return stored.get(name)

        for name in stored_names(root):
            keep(name)
        atlas = parse_manifest(keep(MANIFEST_FILE), display_path(root / MANIFEST_FILE, root), problems)
        # Without a usable manifest, look in the default places anyway, to report everything at once.
        files = atlas.files if atlas is not None else AtlasFiles()
        places = {key: display_path(root / getattr(files, key), root) for key in AtlasFiles.model_fields}
        places["stored"] = display_path(root / "{}", root)
        places["manifest"] = display_path(root / MANIFEST_FILE, root)

        def records(key: str, model: type[Any]) -> dict[str, Any]:
            path = root / getattr(files, key)
            return parse_records(read_yaml_list(path, root, problems), model, places[key], problems)

        sources = records("sources", Source)
        projects = records("projects", Project)
        events = records("events", Event)
        figures = records("figures", Figure)
        maps = records("maps", MapSpec)
        specs: dict[str, LayerSpec] = records("layers", LayerSpec)
        layers: dict[str, Layer] = {}
        for spec in specs.values():
            # A layer file stays inside data/: no absolute path, no '..' (symlinks out: geo.readers).
            outside = data_file_problem(spec.file)
            if outside:
                problems.append(Problem(places["layers"], spec.id, "file", outside))
            features = [] if outside else read_layer_features(spec, root / spec.file, root, problems)
            layers[spec.id] = Layer(spec, features, display_path(root / spec.file, root))
        countries_path = root / files.countries
        if files.countries not in attempted and not countries_path.exists() and not countries_path.is_symlink():
            countries = parse_countries(None, places["countries"], problems)  # "country outlines missing"
        else:  # read with base/ or on its own; a file that cannot be read is reported once
            raw = keep(files.countries)
            countries = parse_countries(raw, places["countries"], problems) if raw is not None else {}
        # The data's texts in other languages, kept byte for byte too (published, pulled, hashed).
        names = {lang: translation_file(files.translations, lang) for lang in languages()[1:]}
        payloads = {
            lang: keep(name) if (root / name).exists() or (root / name).is_symlink() else None
            for lang, name in names.items()
        }
        shown = {lang: display_path(root / name, root) for lang, name in names.items()}
        translations = parse_translations(payloads, languages(), shown, problems)
    catalog = Catalog(
        layers,
        sources,
        projects,
        events,
        figures,
        maps,
        atlas=atlas,
        countries=countries,
        stored=stored,
        places=places,
        files_read=dict(files_read),
        data_dir=root,
        translations=translations,
    )
    problems += reference_problems(catalog)
    return catalog, problems
