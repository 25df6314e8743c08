"""What changed between two versions of the atlas: records added, removed and changed, field by field.

Both sides are catalogs (read from a data directory, a git revision or a PostGIS schema by the
caller). Every kind of record is compared by id: features (across layers, so a feature moved to
another layer is one change of its `layer`), projects, events, figures, sources, layers, maps and
the atlas's own fields. A changed geometry says how far it moved: the geodesic distance between
the old and new centres, and for lines and areas also the farthest any part of it moved (the
Hausdorff distance, in metres on a local equidistant projection).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from geo.catalog import Catalog

# Record kinds in the order a report lists them (people first look for the features).
KINDS = ("feature", "project", "event", "figure", "source", "layer", "map", "atlas")
_PLURAL = {"feature": "features", "project": "projects", "event": "events", "figure": "figures",
           "source": "sources", "layer": "layers", "map": "maps", "atlas": "atlas"}  # fmt: skip


@dataclass(frozen=True)
class FieldChange:
    """One field of one record: its old and new value (None when absent on that side)."""

    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Change:
    """One record added, removed or changed; `fields` and the distances only for a change."""

    change: str  # added | removed | changed
    kind: str  # one of KINDS
    id: str
    name: str | None = None
    layer: str | None = None
    fields: tuple[FieldChange, ...] = ()
    moved_m: float | None = None  # the centre's geodesic move, when the geometry changed
    farthest_m: float | None = None  # the farthest any part moved (lines and areas)

    def as_json(self) -> dict[str, Any]:
        document: dict[str, Any] = {"change": self.change, "kind": self.kind, "id": self.id}
        if self.name is not None:
            document["name"] = self.name
        if self.layer is not None:
            document["layer"] = self.layer
        if self.change == "changed":
            document["fields"] = [{"field": f.field, "old": f.old, "new": f.new} for f in self.fields]
        if self.moved_m is not None:
            document["moved_m"] = round(self.moved_m, 1)
        if self.farthest_m is not None:
            document["farthest_m"] = round(self.farthest_m, 1)
        return document


@dataclass
class Diff:
    changes: list[Change] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.changes)

    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for c in self.changes if c.change == kind) for kind in ("added", "removed", "changed")}

    def features(self) -> list[Change]:
        return [change for change in self.changes if change.kind == "feature"]

    def as_json(
        self, old_label: str, new_label: str, old_info: dict[str, Any], new_info: dict[str, Any]
    ) -> dict[str, Any]:
        return {
            "old": {"label": old_label, **old_info},
            "new": {"label": new_label, **new_info},
            "summary": self.counts(),
            "changes": [change.as_json() for change in self.changes],
        }

    def text(self) -> str:
        """The report for people: one line per record, an indented line per field."""
        if not self.changes:
            return "no differences"
        lines = []
        for change in self.changes:
            where = f"{change.layer}/" if change.layer and change.kind == "feature" else ""
            name = f" ({change.name})" if change.name else ""
            lines.append(f"{change.change} {change.kind} {where}{change.id}{name}")
            for item in change.fields:
                lines.append(f"  {describe_field(item, change)}")
        counts = self.counts()
        lines.append(f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed")
        return "\n".join(lines)


def describe_field(item: FieldChange, change: Change) -> str:
    """One field's change in words: a moved geometry by its distance, lists by what entered and left."""
    if item.field == "geometry":
        return "geometry: " + describe_move(change)
    if isinstance(item.old, list) and isinstance(item.new, list):
        gone = [value for value in item.old if value not in item.new]
        came = [value for value in item.new if value not in item.old]
        parts = [f"+{_item(value)}" for value in came] + [f"-{_item(value)}" for value in gone]
        if not parts:
            parts = ["reordered"]
        return f"{item.field}: {', '.join(parts)}"
    return f"{item.field}: {_short(item.old)} -> {_short(item.new)}"


def _item(value: Any) -> str:
    """A list item: ids and codes as they are, anything else as a short value."""
    return value if isinstance(value, str) else _short(value)


def describe_move(change: Change) -> str:
    if change.moved_m is None:
        return "changed"
    text = f"moved {_distance(change.moved_m)}"
    if change.farthest_m is not None and change.farthest_m > change.moved_m + 0.5:
        text += f" (centre); parts moved up to {_distance(change.farthest_m)}"
    return text


def _distance(metres: float) -> str:
    return f"{metres / 1000:,.1f} km" if metres >= 10_000 else f"{metres:,.0f} m"


def _short(value: Any) -> str:
    if value is None:
        return "(none)"
    text = value if isinstance(value, str) else repr(value) if not isinstance(value, (dict, list)) else _json(value)
    text = text.replace("\n", " ")
    text = f"{text[:117]}..." if len(text) > 120 else text
    return f'"{text}"' if isinstance(value, str) else text


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)


# -- comparing ----------------------------------------------------------------------------------


def _feature_records(catalog: Catalog) -> dict[str, tuple[str, dict[str, Any], BaseGeometry]]:
    return {
        feature.id: (layer.id, feature.properties.model_dump(mode="json"), feature.geometry)
        for layer in catalog.layers.values()
        for feature in layer.features
    }


def _records(catalog: Catalog, kind: str) -> dict[str, dict[str, Any]]:
    if kind == "atlas":
        return {"atlas": catalog.atlas.model_dump(mode="json", exclude={"files"})} if catalog.atlas else {}
    if kind == "layer":
        return {layer.id: layer.spec.model_dump(mode="json") for layer in catalog.layers.values()}
    stores: dict[str, dict[str, Any]] = {"project": catalog.projects, "event": catalog.events, "figure": catalog.figures,
                                         "source": catalog.sources, "map": catalog.maps}  # fmt: skip
    store = stores[kind]
    return {record_id: record.model_dump(mode="json") for record_id, record in store.items()}


def _name(record: dict[str, Any]) -> str | None:
    for key in ("name", "title", "label"):
        if isinstance(record.get(key), str):
            return str(record[key])
    return None


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    keys = list(dict.fromkeys([*old, *new]))
    return [FieldChange(key, old.get(key), new.get(key)) for key in keys if old.get(key) != new.get(key)]


def _same_geometry(a: BaseGeometry, b: BaseGeometry) -> bool:
    import shapely

    return bool(a.geom_type == b.geom_type and shapely.to_wkb(a) == shapely.to_wkb(b))


def geometry_move(old: BaseGeometry, new: BaseGeometry) -> tuple[float, float | None]:
    """(the centre's geodesic move in metres, the farthest move of any part for lines and areas)."""
    import pyproj
    import shapely

    a, b = old.centroid, new.centroid
    _, _, moved = pyproj.Geod(ellps="WGS84").inv(a.x, a.y, b.x, b.y)
    if old.geom_type == "Point" and new.geom_type == "Point":
        return float(moved), None
    local = pyproj.Transformer.from_crs(
        "EPSG:4326",
        pyproj.CRS.from_proj4(f"+proj=aeqd +lat_0={a.y} +lon_0={a.x} +datum=WGS84 +units=m"),
        always_xy=True,
    )
    projected = [
        shapely.transform(g, lambda xy: local.transform(xy[:, 0], xy[:, 1]), interleaved=False) for g in (old, new)
    ]
    return float(moved), float(shapely.hausdorff_distance(projected[0], projected[1], densify=0.25))


def diff_catalogs(old: Catalog, new: Catalog) -> Diff:
    """Every record added, removed or changed from `old` to `new`, in KINDS order, then by id."""
    diff = Diff()
    diff.changes.extend(_feature_changes(old, new))
    for kind in KINDS[1:]:
        before, after = _records(old, kind), _records(new, kind)
        for record_id in sorted(set(before) | set(after)):
            if record_id not in before:
                diff.changes.append(Change("added", kind, record_id, _name(after[record_id])))
            elif record_id not in after:
                diff.changes.append(Change("removed", kind, record_id, _name(before[record_id])))
            elif fields := _field_changes(before[record_id], after[record_id]):
                diff.changes.append(Change("changed", kind, record_id, _name(after[record_id]), fields=tuple(fields)))
    return diff


def _feature_changes(old: Catalog, new: Catalog) -> Iterator[Change]:
    before, after = _feature_records(old), _feature_records(new)
    for feature_id in sorted(set(before) | set(after)):
        if feature_id not in before:
            layer, props, _ = after[feature_id]
            yield Change("added", "feature", feature_id, props.get("name"), layer)
            continue
        if feature_id not in after:
            layer, props, _ = before[feature_id]
            yield Change("removed", "feature", feature_id, props.get("name"), layer)
            continue
        (old_layer, old_props, old_geom), (new_layer, new_props, new_geom) = before[feature_id], after[feature_id]
        fields = _field_changes({"layer": old_layer, **old_props}, {"layer": new_layer, **new_props})
        moved = farthest = None
        if not _same_geometry(old_geom, new_geom):
            moved, farthest = geometry_move(old_geom, new_geom)
            fields.append(FieldChange("geometry", _geojson(old_geom), _geojson(new_geom)))
        if fields:
            yield Change(
                "changed", "feature", feature_id, new_props.get("name"), new_layer, tuple(fields), moved, farthest
            )


def _geojson(geometry: BaseGeometry) -> dict[str, Any]:
    import json

    import shapely

    document: dict[str, Any] = json.loads(shapely.to_geojson(geometry))
    return document


def kind_plural(kind: str) -> str:
    return _PLURAL[kind]
