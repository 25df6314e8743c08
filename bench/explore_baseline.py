"""The baseline the benchmark compares `geo build` against: GeoDataFrame.explore(), as a user would call it.

    python bench/explore_baseline.py OUT.html NAME=layer.geojson [NAME=layer.geojson ...]

Reads each layer with geopandas, draws the first with `.explore(name=...)` and every other onto the
same map with `.explore(m=m, name=...)`, adds a LayerControl and saves. Defaults everywhere else
(tooltips with every column, OpenStreetMap tiles, Leaflet and plugins from CDNs): run in a fresh
process by bench/run.py, which times it and reads its peak memory.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    import folium
    import geopandas

    out, layers = argv[0], [arg.split("=", 1) for arg in argv[1:]]
    m = None
    for name, path in layers:
        frame = geopandas.read_file(path)
        m = frame.explore(name=name) if m is None else frame.explore(m=m, name=name)
    folium.LayerControl().add_to(m)
    m.save(out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
