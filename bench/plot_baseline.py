"""The baseline `geo render` is compared against: GeoDataFrame.plot(), as a user would call it.

    python bench/plot_baseline.py OUT.png layer.geojson [layer.geojson ...]

Reads each layer with geopandas, plots every one onto the same axes of an A3 landscape figure
with plot()'s defaults and saves a PNG at 300 dpi. It draws only the geometry: no base, labels,
legend or credits. Run in a fresh process by bench/render.py, which times it and reads its peak memory.
"""

from __future__ import annotations

import sys

A3_LANDSCAPE_IN = (420 / 25.4, 297 / 25.4)
DPI = 300


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    import geopandas
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=A3_LANDSCAPE_IN)
    for path in argv[1:]:
        geopandas.read_file(path).plot(ax=ax)
    fig.savefig(argv[0], dpi=DPI)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
