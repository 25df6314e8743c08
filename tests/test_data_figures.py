"""Where sources disagree on a number, both values reach the reader, each with its sources.

Checks the shipped figures, the GeoPackage record tables (read back with sqlite and ogrinfo) and
the map payload's figure records (alternatives, the conflict flag, a stated size's measured size).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

import pytest

from geo.catalog import Catalog
from geo.export.run import export_catalog
from geo.models import Figure, Unit, in_unit_of
from geo.webmap.payload import map_payload

ROOT = Path(__file__).resolve().parents[1]
CONFLICTING = ["icic-kz-section-area", "icic-uz-section-area", "bahri-tojik-area", "bahri-tojik-length"]


@pytest.fixture(scope="module")
def gpkg(catalog: Catalog, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("figures-export")
    report = export_catalog(catalog, out, formats=["gpkg"], progress=lambda line: None)
    assert report.failures == []
    return out / "atlas.gpkg"


@pytest.mark.parametrize("figure_id", CONFLICTING)
def test_conflicting_figures_keep_every_value_with_its_sources(catalog: Catalog, figure_id: str) -> None:
    figure = catalog.figures[figure_id]
    assert figure.conflicts
    assert figure.alternatives and all(a.sources for a in figure.alternatives)
    assert set(figure.sources).isdisjoint(s for a in figure.alternatives for s in a.sources)


def test_the_center_sections_500_m2_and_50_ha_are_both_kept(catalog: Catalog) -> None:
    figure = catalog.figures["icic-kz-section-area"]
    assert (figure.value, figure.unit, figure.sources) == (500, Unit.m2, ["art-mazhilis-icic-2025"])
    (alternative,) = figure.alternatives
    assert (alternative.value, alternative.unit) == (50, Unit.ha)
    assert in_unit_of(alternative.value, alternative.unit, figure.unit) == 500_000


def test_equal_values_in_other_units_do_not_conflict() -> None:
    base = {"id": "x-area", "label": "An area", "kind": "stated", "value": 1, "unit": "km2", "sources": ["a-b"]}
    same = Figure.model_validate({**base, "alternatives": [{"value": 100, "unit": "ha", "sources": ["c-d"]}]})
    other = Figure.model_validate({**base, "alternatives": [{"value": 101, "unit": "ha", "sources": ["c-d"]}]})
    apples = Figure.model_validate({**base, "alternatives": [{"value": 1, "unit": "km", "sources": ["c-d"]}]})
    assert (same.conflicts, other.conflicts, apples.conflicts) == (False, True, True)


def test_gpkg_figures_table_marks_conflicts_and_gives_measured_sizes(catalog: Catalog, gpkg: Path) -> None:
    with closing(sqlite3.connect(gpkg)) as db:
        rows = {row[0]: row[1:] for row in db.execute("SELECT id, conflicts, measured, alternatives FROM figures")}
    assert rows["icic-kz-section-area"][0] == 1
    assert "50 ha (ref-qazinform-icic-investment-2025, ref-timesca-icic-2025)" in rows["icic-kz-section-area"][2]
    assert rows["kz-tj-turnover-2024"][:3] == (0, None, None)
    assert rows["bahri-tojik-area"][1] == pytest.approx(445.4, abs=1)
    assert rows["darbaza-maktaaral-length"][1] == pytest.approx(97.3, abs=1)


def test_gpkg_figure_values_has_a_row_per_value_and_source(catalog: Catalog, gpkg: Path) -> None:
    with closing(sqlite3.connect(gpkg)) as db:
        rows = db.execute(
            'SELECT position, "primary", value, unit, sources, conflicts FROM figure_values '
            "WHERE figure_id = 'icic-kz-section-area' ORDER BY position"
        ).fetchall()
        total = db.execute("SELECT count(*) FROM figure_values").fetchone()[0]
    assert rows == [
        (1, 1, 500.0, "m2", "art-mazhilis-icic-2025", 0),
        (2, 0, 50.0, "ha", "ref-qazinform-icic-investment-2025; ref-timesca-icic-2025", 1),
    ]
    assert total == sum(1 + len(f.alternatives) for f in catalog.figures.values())


def test_gpkg_feature_positions_show_how_far_the_sources_disagree(catalog: Catalog, gpkg: Path) -> None:
    with closing(sqlite3.connect(gpkg)) as db:
        rows = db.execute(
            "SELECT source_id, ref, off_m FROM feature_positions WHERE feature_id = 'almaty' ORDER BY position"
        ).fetchall()
        total = db.execute("SELECT count(*) FROM feature_positions").fetchone()[0]
    assert rows[0][:2] == ("ref-almaty", "infobox coordinate") and rows[0][2] == 0
    assert rows[1][:2] == ("geonames", "GeoNames 1526384 (Almaty)")
    assert 3_000 < rows[1][2] <= catalog.feature("almaty").properties.accuracy_m
    assert total == sum(len(f.properties.positions) for f in catalog.features())


def test_ogrinfo_reads_the_figure_values_table(gpkg: Path) -> None:
    if shutil.which("ogrinfo") is None:
        pytest.skip("ogrinfo (gdal-bin) is not installed")
    result = subprocess.run(
        ["ogrinfo", "-ro", "-al", "-so", str(gpkg), "figure_values"], capture_output=True, text=True, check=True
    )
    assert "Feature Count: " in result.stdout
    for column in ("figure_id", "primary", "value", "unit", "sources", "conflicts"):
        assert f"{column}: " in result.stdout


def test_the_map_payload_carries_alternatives_conflicts_and_measured_sizes(catalog: Catalog) -> None:
    spec = next(s for s in catalog.maps.values() if "water_bodies" in s.layers and "railway_lines" in s.layers)
    payload = json.loads(json.dumps(map_payload(catalog, spec)))
    area = payload["figures"]["bahri-tojik-area"]
    assert area["conflicts"] is True
    assert area["alternatives"] == [
        {"value": 513.0, "unit": "km2", "qualifier": "exact", "sources": ["ref-bse-kayrakkum-reservoir"]}
    ]
    assert area["measured"]["unit"] == "km2" and 400 < area["measured"]["value"] < 480
    assert "ref-bse-kayrakkum-reservoir" in payload["sources"]
    icic = next(s for s in catalog.maps.values() if "industrial_sites" in s.layers)
    sources = map_payload(catalog, icic)["sources"]
    assert {"ref-qazinform-icic-investment-2025", "ref-timesca-icic-2025"} <= set(
        sources
    )  # cited by an alternative only
    length = payload["figures"]["darbaza-maktaaral-length"]
    assert length["measured"] == {"value": pytest.approx(97.3, abs=1), "unit": "km"}
    assert "conflicts" not in length
