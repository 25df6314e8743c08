"""Where the exported data comes from, stated once and written into every format.

Each format carries the same provenance document: the sources behind the features, the licences
(facts from the cited articles and references; base geometries from Natural Earth, public
domain), the data date and the hash of the data directory, so that a file found on its own can
be traced back to the exact data it was made from.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from geo import __version__
from geo.atomic import file_sha256
from geo.credits import base_attribution
from geo.data_version import data_date, data_hash
from geo.export.geometry import COORDINATE_DECIMALS, CRS

__all__ = ["Provenance", "data_date", "data_hash", "file_sha256"]

if TYPE_CHECKING:
    from geo.catalog import Catalog

TOOL = f"geo-atlas {__version__} (geo export)"
DATA_LICENCE = (
    "Facts, names and positions are compiled from the cited sources (articles, references and "
    "datasets listed under 'sources'); cite those sources when reusing them."
)
# Used for GeoPackage timestamps when no source carries a date: any constant keeps bytes stable.
FALLBACK_DATE = "2000-01-01"


def timestamp_for(date: str | None) -> str:
    """A fixed ISO timestamp derived from the data date, for formats that insist on one (GeoPackage)."""
    day = ((date or FALLBACK_DATE) + "-01-01")[:10]
    return f"{day}T00:00:00.000Z"


def _base_licence(catalog: Catalog) -> str:
    """The licence recorded by scripts/derive_base.py in base/provenance.json, else the base
    layer's attribution (geo.credits)."""
    try:
        recorded = json.loads(catalog.stored.get("base/provenance.json", b"{}")).get("licence")
    except (ValueError, AttributeError):
        recorded = None
    return f"Base and water-body geometries: {recorded}" if recorded else base_attribution(catalog) or ""


@dataclass(frozen=True)
class Provenance:
    """The facts every output states about its origin; built once per export run."""

    title: str
    data_hash: str
    data_date: str | None
    base_licence: str

    @classmethod
    def of(cls, catalog: Catalog) -> Provenance:
        title = catalog.atlas.title if catalog.atlas else "Atlas"
        identity = catalog.identity
        return cls(title, identity.data_hash, identity.data_date, _base_licence(catalog))

    @property
    def timestamp(self) -> str:
        return timestamp_for(self.data_date)

    def document(self, catalog: Catalog, source_ids: Iterable[str], *, layer: str | None = None) -> dict[str, Any]:
        """The provenance as a JSON-able dict, listing the sources named (in catalog order)."""
        wanted = set(source_ids)
        sources = [
            {key: value for key, value in source.model_dump(mode="json").items() if value is not None}
            for source in catalog.sources.values()
            if source.id in wanted
        ]
        document: dict[str, Any] = {
            "title": self.title,
            "crs": CRS,
            "coordinate_decimals": COORDINATE_DECIMALS,
            "data_hash": self.data_hash,
            "data_date": self.data_date,
            "licence": {"data": DATA_LICENCE, "base": self.base_licence},
            "sources": sources,
            "tool": TOOL,
        }
        if layer is not None:
            spec = catalog.layers[layer].spec
            document["layer"] = {"id": spec.id, "title": spec.title, "description": spec.description}
        return document
