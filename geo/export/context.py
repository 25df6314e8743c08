"""Everything the format writers share for one run: the selected, flattened layers and provenance.

Built once per run so that every format writes the same rows, the same rounded geometries and
the same provenance, however many formats are asked for.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from geo.export.flatten import flatten_layer
from geo.export.geometry import BBox, bbox_mask, prepare_geometries
from geo.export.provenance import Provenance
from geo.models import Status
from geo.status_age import is_stale, reference_date

if TYPE_CHECKING:
    import geopandas

    from geo.catalog import Catalog


@dataclass
class ExportContext:
    catalog: Catalog
    layer_ids: list[str]
    bbox: BBox | None
    provenance: Provenance
    joined: dict[str, geopandas.GeoDataFrame]  # list columns: ids of joined records, for link tables and popups
    flat: dict[str, geopandas.GeoDataFrame]  # flatten.FIELDS columns: what every format writes
    # Files this run has already written, by relative path: a later job may reuse one (kmz the kml).
    written: dict[str, Path] = field(default_factory=dict)
    # CSV cells as written in the data, without the guard against spreadsheet formulas (--csv-raw).
    csv_raw: bool = False

    def geometry_type(self, layer_id: str) -> str:
        return self.catalog.layers[layer_id].spec.geometry_type.value

    def layer_sources(self, layer_id: str) -> list[str]:
        return list(dict.fromkeys(i for ids in self.joined[layer_id]["all_sources"] for i in ids))

    def layer_provenance(self, layer_id: str) -> dict[str, Any]:
        return self.provenance.document(self.catalog, self.layer_sources(layer_id), layer=layer_id)

    def dataset_provenance(self) -> dict[str, Any]:
        ids = [i for layer_id in self.layer_ids for i in self.layer_sources(layer_id)]
        return self.provenance.document(self.catalog, ids)


def build_context(catalog: Catalog, layer_ids: list[str], bbox: BBox | None) -> ExportContext:
    """Select each layer's features (by bbox), prepare geometries once, and flatten them once."""
    import geopandas

    from geo.texts import localized

    project_names = {project.id: project.name for project in catalog.projects.values()}
    project_names_ru = {i: localized(catalog, "ru", "projects", i, "name", name) for i, name in project_names.items()}
    joined: dict[str, geopandas.GeoDataFrame] = {}
    flat: dict[str, geopandas.GeoDataFrame] = {}
    when = reference_date(catalog)
    for layer_id in layer_ids:
        frame = catalog.layer_frame(layer_id)
        frame["status_stale"] = [
            is_stale(
                Status(status) if isinstance(status, str) else None, as_of if isinstance(as_of, str) else None, when
            )
            for status, as_of in zip(frame["status"].tolist(), frame["status_as_of"].tolist())
        ]
        frame = frame[bbox_mask(frame.geometry.to_numpy(), bbox)].reset_index(drop=True)
        geometries = prepare_geometries(frame.geometry.to_numpy())
        frame = geopandas.GeoDataFrame(frame.drop(columns=frame.geometry.name), geometry=geometries, crs=frame.crs)
        # The Russian texts as their own columns (the English where a translation is missing).
        for name in ("note", "geometry_source"):
            frame[f"{name}_ru"] = [
                localized(catalog, "ru", "features", i, name, text) if isinstance(text, str) else None
                for i, text in zip(frame["id"].tolist(), frame[name].tolist())
            ]
        joined[layer_id] = frame
        flat[layer_id] = flatten_layer(frame, project_names, project_names_ru)
    return ExportContext(catalog, layer_ids, bbox, Provenance.of(catalog), joined, flat)
