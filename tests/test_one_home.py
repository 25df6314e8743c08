"""Rules with one home, read by every output: credits and licence duties from the source records,
line dashes and label priority from the style vocabulary, export format names, link tables."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from geo import credits, links, style
from geo.catalog import load_catalog
from geo.errors import DataError
from geo.validate import validated

OSM = "Map data © OpenStreetMap contributors, ODbL 1.0 (openstreetmap.org/copyright)"
NATURAL_EARTH = "Country outlines: Natural Earth 1:10m Admin 0 (public domain, naturalearthdata.com)"


def test_credits_are_the_source_records_attributions(catalog):
    assert credits.base_attribution(catalog) == NATURAL_EARTH
    ids = ["osm-allur-kz-routes", "geonames", "osm-asia-railway-stations", "natural-earth-10m-countries"]
    # In the order of the sources file, each line once, the base layer's left to its own line.
    assert credits.attributions(catalog, ids) == [
        OSM,
        "Place names and positions from GeoNames (geonames.org), CC BY 4.0",
    ]
    assert credits.attributions(catalog, ["natural-earth-10m-lakes"]) == []


def test_no_credit_is_guessed_from_a_sources_text(data_copy: Path):
    """A source that names OpenStreetMap but carries no attribution obliges no line: the field does."""
    path = data_copy / "metadata" / "sources.yaml"
    records = yaml.safe_load(path.read_text(encoding="utf-8"))
    for record in records:
        record.pop("attribution", None)
    path.write_text(yaml.safe_dump(records, allow_unicode=True, sort_keys=False), encoding="utf-8")
    catalog = load_catalog(data_copy)
    assert credits.attributions(catalog, list(catalog.sources)) == []
    assert credits.base_attribution(catalog) is None


def test_a_base_source_that_does_not_exist_is_a_problem(data_copy: Path):
    manifest = data_copy / "atlas.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace(
            "base_source: natural-earth-10m-countries", "base_source: nowhere"
        ),
        encoding="utf-8",
    )
    from geo.catalog import read_catalog

    with pytest.raises(DataError, match=r"atlas.yaml: \(atlas\): field 'base_source': unknown source id 'nowhere'"):
        validated(read_catalog(data_copy))


def test_the_page_carries_the_credits_of_its_sources(catalog):
    from geo.webmap.payload import map_payload

    payload = map_payload(catalog, catalog.maps["corridors"])
    assert payload["credits"][0] == NATURAL_EARTH
    assert OSM in payload["credits"]


def test_the_pages_dash_table_is_line_dash():
    """The page looks dashes up in this table (layer.js lineDash); it must say what line_dash says."""
    table = style.dash_table()
    path_kinds = [kind for kind, s in style.KIND_STYLES.items() if s.symbol in ("line", "area")]
    assert set(table) == {*path_kinds, ""}
    for kind in table:
        for status in style.STATUS_DASH:
            for schematic in (False, True):
                key = status + ("|schematic" if schematic else "")
                assert table[kind].get(key) == style.line_dash(kind or None, status, schematic), (kind, key)
    assert style.dash_follows_status("railway_line") and not style.dash_follows_status("corridor")
    assert not style.dash_follows_status("reservoir")
    assert style.dash_look(style.DOTTED) == "dotted"
    assert style.dash_look(style.DASHED) == "dashed"
    assert style.dash_look(None) == "solid"


def test_label_priority_is_one_rule():
    assert style.label_priority("capital") > style.label_priority("city") > style.label_priority("railway_station")
    assert style.label_priority("dam", has_projects=True) == style.label_priority("dam") + style.PROJECTS_LABEL_BONUS
    assert style.label_priority(None) == style.OTHER_LABEL_PRIORITY
    assert style.vocabulary()["label_priority"]["kinds"] == style.LABEL_PRIORITY


def test_export_and_publish_link_tables_are_the_same_tables():
    from geo.export.tables import TABLE_NAMES
    from geo.publish.tables import FIXED_TABLES

    names = [link.table for link in (*links.RECORD_LINKS, *links.FEATURE_LINKS)]
    assert set(names) <= set(TABLE_NAMES)
    assert set(names) <= set(FIXED_TABLES)


def test_the_command_line_offers_exactly_the_registered_formats():
    from geo.export import FORMATS
    from geo.format_names import EXPORT_FORMATS, RENDER_FORMATS
    from geo.static import FORMATS as IMAGE_FORMATS

    assert list(FORMATS) == list(EXPORT_FORMATS)
    assert tuple(IMAGE_FORMATS) == RENDER_FORMATS
