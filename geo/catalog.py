"""Read data/ into one catalog: records, layers and country outlines, references resolved, features joined.

Data flows one way: data/ -> models (schema) -> this catalog -> validate | render | export -> cli.
Checks beyond the schema and the references (geometry, countries, stated sizes) live downstream
in geo/validate.py; the CLI composes the two.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.base_layer import Country, read_countries
from geo.context_layers import ContextLayers, read_context
from geo.errors import DataError, Problem
from geo.layer_file import Feature, read_layer_features
from geo.messages import languages
from geo.models import AtlasFiles, AtlasManifest, Event, FeatureProperties, Figure, LayerSpec, MapSpec, Project, Source
from geo.readers import data_file_problem, display_path, read_yaml_list, read_yaml_mapping
from geo.records import parse_record, parse_records
from geo.references import reference_problems
from geo.translations import LanguageTexts, read_translations

if TYPE_CHECKING:
    import geopandas

# The one file whose place is fixed: it says where everything else lives.
MANIFEST_FILE = "atlas.yaml"


@dataclass
class Layer:
    spec: LayerSpec
    path: Path
    features: list[Feature]

    @property
    def id(self) -> str:
        return self.spec.id


@dataclass
class Catalog:
    """Everything the atlas knows, validated, with the joins that maps and exports need."""

    root: Path
    layers: dict[str, Layer]
    sources: dict[str, Source]
    projects: dict[str, Project]
    events: dict[str, Event]
    figures: dict[str, Figure]
    maps: dict[str, MapSpec]
    atlas: AtlasManifest | None = None
    countries: dict[str, Country] = field(default_factory=dict)
    # The data's texts in each language besides English (data/i18n/<lang>.yaml; geo/texts.py reads them).
    translations: dict[str, LanguageTexts] = field(default_factory=dict)
    _index: dict[str, dict[tuple[str, str], list[str]]] = field(default_factory=dict, repr=False)
    _context: ContextLayers | None = field(default=None, repr=False)

    @property
    def files(self) -> AtlasFiles:
        return self.atlas.files if self.atlas else AtlasFiles()

    def path_of(self, key: str) -> Path:
        """The path of one of the atlas's files ('maps', 'figures', 'countries', ...)."""
        relative: str = getattr(self.files, key)
        return self.root / relative

    def shown(self, path: Path) -> str:
        """A path as reports show it."""
        return display_path(path, self.root)

    def shown_file(self, key: str) -> str:
        return self.shown(self.path_of(key))

    def context(self, problems: list[Problem] | None = None) -> ContextLayers:
        """The rivers, railways and towns drawn under the maps (data/base/context/), read once."""
        if self._context is None:
            self._context = read_context(self.path_of("context"), self.root, problems if problems is not None else [])
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
        if not self._index:
            self._build_index()
        key = ("feature", feature.id)
        return bool(feature.properties.projects) or key in self._index["events"] or key in self._index["figures"]

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


def _keys(projects: list[str], features: list[str]) -> list[tuple[str, str]]:
    return [("feature", i) for i in features] + [("project", i) for i in projects]


def _event_sort_key(event: Event) -> tuple[int, str, str]:
    return (event.date is None, event.date or "", event.id)


def read_manifest(root: Path, problems: list[Problem]) -> AtlasManifest | None:
    """data/atlas.yaml, or None (with its Problems)."""
    path = root / MANIFEST_FILE
    raw = read_yaml_mapping(path, root, problems)
    return None if raw is None else parse_record(raw, AtlasManifest, display_path(path, root), problems)


def read_stored_layout(root: Path, problems: list[Problem]) -> tuple[AtlasManifest | None, dict[str, Country]]:
    """The manifest and the country outlines of a data directory (for a catalog built elsewhere: PostGIS)."""
    atlas = read_manifest(root, problems)
    files = atlas.files if atlas is not None else AtlasFiles()
    return atlas, read_countries(root / files.countries, root, problems)


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


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Run a block that builds millions of long-lived objects and no reference cycle without the cycle collector.

    Each of its passes walks every live object again; while a large catalog is read, they would
    cost more than the parse itself. So the collector is paused, and left as it was found when
    the block ends (nothing global outlives the call). Memory is still freed by reference counting;
    a command that keeps the catalog for its whole run freezes it itself (geo.cli).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _read_catalog(root: Path) -> tuple[Catalog, list[Problem]]:
    problems: list[Problem] = []
    if not root.is_dir():
        raise DataError([Problem(root.as_posix(), "(directory)", "-", "data directory not found")])
    atlas = read_manifest(root, problems)
    # Without a usable manifest, look in the default places anyway, to report everything at once.
    files = atlas.files if atlas is not None else AtlasFiles()

    def records(relative: str, model: type[Any]) -> dict[str, Any]:
        path = root / relative
        return parse_records(read_yaml_list(path, root, problems), model, display_path(path, root), problems)

    sources = records(files.sources, Source)
    projects = records(files.projects, Project)
    events = records(files.events, Event)
    figures = records(files.figures, Figure)
    maps = records(files.maps, MapSpec)
    specs: dict[str, LayerSpec] = records(files.layers, LayerSpec)
    layers: dict[str, Layer] = {}
    for spec in specs.values():
        # A layer file stays inside data/: no absolute path, no '..' (symlinks out: geo.readers).
        outside = data_file_problem(spec.file)
        if outside:
            problems.append(Problem(display_path(root / files.layers, root), spec.id, "file", outside))
        features = [] if outside else read_layer_features(spec, root / spec.file, root, problems)
        layers[spec.id] = Layer(spec, root / spec.file, features)
    countries = read_countries(root / files.countries, root, problems)
    translations = read_translations(root / files.translations, root, languages(), problems)
    catalog = Catalog(
        root, layers, sources, projects, events, figures, maps, atlas=atlas, countries=countries, translations=translations
    )
    problems += reference_problems(catalog)
    return catalog, problems
