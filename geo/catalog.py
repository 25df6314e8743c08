"""Read data/ into one validated catalog and join features to their projects, events, figures and sources."""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np
import shapely
from pydantic import BaseModel, TypeAdapter, ValidationError
from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry

from geo.errors import DataError, Problem
from geo.models import Event, FeatureProperties, Figure, LayerSpec, MapSpec, Project, Source
from geo.readers import data_file_problem, display_path, read_geojson, read_yaml_list

if TYPE_CHECKING:
    import geopandas

ModelT = TypeVar("ModelT", bound=BaseModel)

# Where each kind of record lives, relative to the data directory.
LAYERS_FILE = "layers.yaml"
MAPS_FILE = "maps.yaml"
METADATA_FILES = {
    "sources": "metadata/sources.yaml",
    "projects": "metadata/projects.yaml",
    "events": "metadata/events.yaml",
    "figures": "metadata/figures.yaml",
}
COUNTRIES_FILE = "base/countries.geojson"


@dataclass(frozen=True)
class Feature:
    """One feature of a layer: validated properties and a shapely geometry."""

    layer: str
    properties: FeatureProperties
    geometry: BaseGeometry

    @property
    def id(self) -> str:
        return self.properties.id


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
    _index: dict[str, dict[tuple[str, str], list[str]]] = field(default_factory=dict, repr=False)

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
        for record in [*self.events_of(feature), *self.figures_of(feature)]:
            ids += record.sources
        return [self.sources[i] for i in dict.fromkeys(ids)]

    def layer_frame(self, layer_id: str) -> "geopandas.GeoDataFrame":
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


def pydantic_problems(exc: ValidationError, file: str, record: str) -> list[Problem]:
    """One Problem per pydantic error, naming the field the way a person edits it."""
    problems = []
    for error in exc.errors():
        loc = error.get("loc", ())
        field_name = ""
        for part in loc:
            field_name += f"[{part}]" if isinstance(part, int) else (f".{part}" if field_name else str(part))
        message = error["msg"].removeprefix("Value error, ")
        value = error.get("input")
        # A record-level check gets the whole record as input: echoing it would bury the message.
        whole_record = not loc and isinstance(value, dict)
        if error["type"] == "extra_forbidden":
            message = "unknown field (not in the schema; see data/README.md)"
        elif error["type"] != "missing" and "input" in error and not whole_record and repr(value) not in message:
            message += f" (got {value!r})"
        problems.append(Problem(file, record, field_name or "-", message))
    return problems


def _record_label(raw: Any, index: int) -> str:
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        return raw["id"]
    return f"#{index + 1}"


def _parse_records(
    raw_records: list[dict[str, Any]], model: type[ModelT], file: str, problems: list[Problem]
) -> dict[str, ModelT]:
    records: dict[str, ModelT] = {}
    for index, raw in enumerate(raw_records):
        label = _record_label(raw, index)
        try:
            record = model.model_validate(raw)
        except ValidationError as exc:
            problems.extend(pydantic_problems(exc, file, label))
            continue
        if record.id in records:  # type: ignore[attr-defined]
            problems.append(Problem(file, label, "id", "duplicate id (ids must be unique in the file)"))
            continue
        records[record.id] = record  # type: ignore[attr-defined]
    return records


def _parse_features(layer: LayerSpec, path: Path, root: Path, problems: list[Problem]) -> list[Feature]:
    shown = display_path(path, root)
    raws = read_geojson(path, root, problems)
    geometry_type = layer.geometry_type.value  # looked up once: an enum's .value is slow in a hot loop
    validated = _validate_all_properties(raws)
    if validated is not None:
        geometries = _well_formed_layer(raws, geometry_type)
        if geometries is not None:  # the common case: every feature fine, checked layer-wide
            built = _build_geometries(geometries, layer, shown, [p.id for p in validated], problems)
            return [Feature(layer.id, p, g) for p, g in zip(validated, built) if g is not None]
    parsed: list[tuple[FeatureProperties, dict]] = []
    for index, raw in enumerate(raws):
        if not isinstance(raw, dict) or raw.get("type") != "Feature":
            problems.append(Problem(shown, f"#{index + 1}", "type", "expected a GeoJSON Feature"))
            continue
        raw_props = raw.get("properties")
        label = _record_label(raw_props, index)
        properties = validated[index] if validated else None
        if properties is None:
            try:
                properties = FeatureProperties.model_validate(raw_props)
            except ValidationError as exc:
                problems.extend(pydantic_problems(exc, shown, label))
        geometry = _checked_geometry(raw.get("geometry"), layer, geometry_type, shown, label, problems)
        if properties is not None and geometry is not None:
            parsed.append((properties, geometry))
    geometries = _build_geometries([raw for _, raw in parsed], layer, shown, [p.id for p, _ in parsed], problems)
    return [
        Feature(layer.id, properties, geometry)
        for (properties, _), geometry in zip(parsed, geometries)
        if geometry is not None
    ]


_ALL_PROPERTIES = TypeAdapter(list[FeatureProperties])


def _validate_all_properties(raws: list[Any]) -> list[FeatureProperties] | None:
    """One pydantic call for a whole layer (a third faster than one per feature); None if any fails.

    On failure the caller validates feature by feature, which names each feature in its problems.
    """
    if not all(isinstance(raw, dict) and raw.get("type") == "Feature" for raw in raws):
        return None
    try:
        return _ALL_PROPERTIES.validate_python([raw.get("properties") for raw in raws])
    except ValidationError:
        return None


def _well_formed_layer(raws: list[dict], geometry_type: str) -> list[dict] | None:
    """Every feature's raw geometry when all are of the layer's type and well-formed, else None.

    One pass over the whole layer; when it says None, the feature-by-feature checks find and
    name each problem.
    """
    geometries = [raw.get("geometry") for raw in raws]
    if not all(type(g) is dict and g.get("type") == geometry_type for g in geometries):
        return None
    coordinates = [g.get("coordinates") for g in geometries]
    if not _well_formed(coordinates, _POSITION_DEPTH[geometry_type] + 1):
        return None
    if geometry_type == "LineString" and not all(len(line) >= 2 for line in coordinates):
        return None
    if geometry_type == "MultiLineString" and not all(len(part) >= 2 for parts in coordinates for part in parts):
        return None
    if geometry_type.endswith("Polygon"):
        rings = [ring for polygon in coordinates for ring in polygon]
        if geometry_type == "MultiPolygon":
            rings = [ring for polygon in rings for ring in polygon]
        if not all(len(ring) >= 4 and ring[0] == ring[-1] for ring in rings):
            return None
    return geometries


def _build_geometries(
    raws: list[dict], layer: LayerSpec, file: str, labels: list[str], problems: list[Problem]
) -> list[BaseGeometry | None]:
    """shapely geometries for checked GeoJSON geometries; points in one vectorised call."""
    geometry_type = layer.geometry_type.value
    if geometry_type == "Point" and raws and all(len(raw["coordinates"]) == 2 for raw in raws):
        return list(shapely.points(np.array([raw["coordinates"] for raw in raws], dtype=float)))
    if geometry_type == "LineString" and raws and all(len(p) == 2 for raw in raws for p in raw["coordinates"]):
        positions: list = []
        for raw in raws:
            positions.extend(raw["coordinates"])
        lengths = [len(raw["coordinates"]) for raw in raws]
        indices = np.repeat(np.arange(len(raws)), lengths)
        return list(shapely.linestrings(np.array(positions, dtype=float), indices=indices))
    built: list[BaseGeometry | None] = []
    for raw, label in zip(raws, labels):
        try:
            built.append(shape(raw))
        except Exception as exc:  # shapely raises several types for malformed coordinates
            problems.append(Problem(file, label, "geometry.coordinates", f"malformed coordinates: {exc}"))
            built.append(None)
    return built


def _checked_geometry(
    raw: Any, layer: LayerSpec, geometry_type: str, file: str, label: str, problems: list[Problem]
) -> dict | None:
    """The raw GeoJSON geometry when its type and coordinates are well-formed, else None (and a Problem)."""
    if not isinstance(raw, dict):
        problems.append(Problem(file, label, "geometry", "missing geometry (null geometries are not allowed)"))
        return None
    if raw.get("type") != geometry_type:
        problems.append(
            Problem(
                file,
                label,
                "geometry.type",
                f"layer '{layer.id}' holds {geometry_type} geometries, got {raw.get('type')!r}",
            )
        )
        return None
    kind = geometry_type
    malformed = _coordinates_problem(raw.get("coordinates"), _POSITION_DEPTH[kind])
    if malformed is None and kind != "Point":
        # Shapely would quietly close an open ring; RFC 7946 requires it closed in the file.
        coordinates = raw["coordinates"]
        parts = [coordinates] if kind == "LineString" else coordinates
        if kind == "MultiPolygon":
            parts = [ring for polygon in coordinates for ring in polygon]
        for part in parts:
            if kind.endswith("LineString") and len(part) < 2:
                malformed = "a line must have at least 2 positions"
            elif kind.endswith("Polygon") and (len(part) < 4 or part[0] != part[-1]):
                malformed = "a polygon ring must be closed (its first position repeated last) with at least 4 positions"
    if malformed is None:
        return raw
    problems.append(Problem(file, label, "geometry.coordinates", f"malformed coordinates: {malformed}"))
    return None


# How deep the positions sit in each geometry type's coordinates (RFC 7946, section 3.1).
_POSITION_DEPTH = {"Point": 0, "LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}


def _coordinates_problem(coordinates: Any, depth: int) -> str | None:
    """What is wrong with the nesting or the positions of GeoJSON coordinates, or None."""
    if depth and _well_formed(coordinates, depth):
        return None  # the common case, checked flat; the walk below finds the words for a problem
    return _walk_coordinates(coordinates, depth)


_NUMBER_TYPES = {int, float}


def _well_formed(coordinates: Any, depth: int) -> bool:
    """True when every level is a non-empty list and every position 2 or 3 finite numbers."""
    level = [coordinates]
    for _ in range(depth):
        flat: list = []
        for item in level:
            if type(item) is not list or not item:
                return False
            flat.extend(item)
        level = flat
    if not all(type(position) is list and 2 <= len(position) <= 3 for position in level):
        return False
    if not {type(value) for position in level for value in position} <= _NUMBER_TYPES:
        return False
    return bool(np.isfinite(np.array([value for position in level for value in position], dtype=float)).all())


def _walk_coordinates(coordinates: Any, depth: int) -> str | None:
    if depth == 0:
        # JSON gives int, float, bool, str, None, list or dict; only int and float are numbers here.
        if type(coordinates) is list and 2 <= len(coordinates) <= 3:
            for value in coordinates:
                if type(value) is not float and type(value) is not int:
                    break
            else:
                if math.isfinite(sum(coordinates)):
                    return None
        return f"a position must be [lon, lat] in decimal degrees, got {json.dumps(coordinates)[:60]}"
    if not isinstance(coordinates, list) or not coordinates:
        return f"expected a non-empty list of {'positions' if depth == 1 else 'lists'}, got {json.dumps(coordinates)[:60]}"
    for item in coordinates:
        if (problem := _walk_coordinates(item, depth - 1)) is not None:
            return problem
    return None


def load_catalog(data_dir: Path | str, *, check: bool = True) -> Catalog:
    """Read and validate everything in data_dir; raise DataError listing every problem found."""
    from geo.base_layer import check_base_layer
    from geo.validate import check_catalog, check_references

    root = Path(data_dir)
    problems: list[Problem] = []
    if not root.is_dir():
        raise DataError([Problem(root.as_posix(), "(directory)", "-", "data directory not found")])

    def records(key: str, model: type[ModelT]) -> dict[str, ModelT]:
        path = root / METADATA_FILES[key]
        return _parse_records(read_yaml_list(path, root, problems), model, display_path(path, root), problems)

    sources = records("sources", Source)
    projects = records("projects", Project)
    events = records("events", Event)
    figures = records("figures", Figure)
    maps_path = root / MAPS_FILE
    maps = _parse_records(read_yaml_list(maps_path, root, problems), MapSpec, display_path(maps_path, root), problems)
    layers_path = root / LAYERS_FILE
    specs = _parse_records(
        read_yaml_list(layers_path, root, problems), LayerSpec, display_path(layers_path, root), problems
    )
    layers = {}
    for spec in specs.values():
        # A layer file stays inside data/: no absolute path, no '..' (symlinks out: read_geojson).
        outside = data_file_problem(spec.file)
        if outside:
            problems.append(Problem(display_path(layers_path, root), spec.id, "file", outside))
        features = [] if outside else _parse_features(spec, root / spec.file, root, problems)
        layers[spec.id] = Layer(spec, root / spec.file, features)
    catalog = Catalog(root, layers, sources, projects, events, figures, maps)
    problems += check_references(catalog)
    if check:
        problems += check_base_layer(root)  # the outlines every country check relies on
        problems += check_catalog(catalog)
    if problems:
        raise DataError(problems)
    return catalog
