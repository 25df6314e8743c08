"""A library call leaves nothing global behind: the cycle collector as it found it, no memo
holding a catalog after the call returns; the command line's own freeze ends with the command."""

from __future__ import annotations

import gc
import weakref

from geo.catalog import read_catalog
from geo.webmap.payload import map_payload
from tests.conftest import DATA, run_geo


def test_reading_a_catalog_leaves_the_collector_as_it_was():
    before = (gc.isenabled(), gc.get_freeze_count())
    catalog, problems = read_catalog(DATA)
    assert problems == [] and catalog.layers
    assert (gc.isenabled(), gc.get_freeze_count()) == before
    gc.disable()
    try:
        read_catalog(DATA)
        assert not gc.isenabled(), "a disabled collector stays disabled"
    finally:
        gc.enable()


def test_no_memo_keeps_a_catalog_alive_after_its_maps_are_made():
    catalog, _ = read_catalog(DATA)
    spec = next(iter(catalog.maps.values()))
    payload = map_payload(catalog, spec)
    assert payload["base_labels"]
    country = weakref.ref(next(iter(catalog.countries.values())))
    del catalog, payload
    gc.collect()
    assert country() is None, "something outside the call still holds the catalog's base layer"


def test_a_command_unfreezes_what_it_froze():
    before = gc.get_freeze_count()
    result = run_geo("list")
    assert result.returncode == 0, result.stderr
    assert gc.get_freeze_count() == before
