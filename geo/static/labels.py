"""Label placement: greedy, by priority, over eight candidate positions, with bounding-box checks.

Why not adjustText: it pushes labels apart iteratively and can leave overlaps when it runs out
of iterations, while the sheet's promise is "never two labels over each other". A greedy pass
(the Imhof / Christensen standard for point labels) tries each label's candidate positions in
order of cartographic preference, keeps the first whose box touches no placed label, symbol or
the frame's edge, and drops the label otherwise. It is deterministic and, for the few hundred
labels a sheet can hold, fast.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.text import Text

# Offsets (in units of the symbol radius plus a gap) and alignments, most preferred first:
# right, left, upper right, lower right, upper left, lower left, above, below.
CANDIDATES = (
    (1, 0, "left", "center"),
    (-1, 0, "right", "center"),
    (0.75, 0.75, "left", "bottom"),
    (0.75, -0.75, "left", "top"),
    (-0.75, 0.75, "right", "bottom"),
    (-0.75, -0.75, "right", "top"),
    (0, 1, "center", "bottom"),
    (0, -1, "center", "top"),
)
CENTRED = ((0, 0, "center", "center"),)
# In a cluster no position beside the symbol is free: try further out, joined by a leader line.
RINGS = (1.0, 2.6, 4.2)
LEADER = {"arrowstyle": "-", "linewidth": 0.5, "color": "#555555", "shrinkA": 0, "shrinkB": 1.5}
GAP_PT = 1.5
PAD_PX = 1.0
HALO = {
    "boxstyle": "square,pad=0.12",
    "facecolor": "white",
    "edgecolor": "none",
    "alpha": 0.72,
}  # breathing room between two labels' boxes


@dataclass(frozen=True)
class LabelRequest:
    """A label wanted at a display-pixel anchor; lower priority numbers are placed first."""

    text: str
    x: float
    y: float
    priority: float
    radius_pt: float = 3.0  # the symbol's half size: the label starts beside it
    fontsize: float = 6.5
    colour: str = "#1d1d1d"
    weight: str = "normal"
    centred: bool = False  # areas and countries: on the anchor first, not beside it
    fixed: bool = False  # countries: on the anchor or nowhere
    style: str = "normal"
    halo: bool = True  # a pale box behind the words, so they read over lines and areas


class Placer:
    """Keeps the placed boxes (x0, y0, x1, y1 in display pixels) and tests new ones against them."""

    def __init__(
        self,
        frame: tuple[float, float, float, float],
        obstacles: list[tuple[float, float, float, float]],
        gap_px: float = PAD_PX,
    ):
        self.frame = frame
        self.boxes = np.asarray(obstacles, dtype=float).reshape(-1, 4)
        self.gap = gap_px

    def free(self, box: tuple[float, float, float, float]) -> bool:
        x0, y0, x1, y1 = box
        fx0, fy0, fx1, fy1 = self.frame
        if x0 < fx0 or y0 < fy0 or x1 > fx1 or y1 > fy1:
            return False
        b = self.boxes
        g = self.gap
        hit = (b[:, 0] < x1 + g) & (b[:, 2] > x0 - g) & (b[:, 1] < y1 + g) & (b[:, 3] > y0 - g)
        return not bool(hit.any())

    def take(self, box: tuple[float, float, float, float]) -> None:
        self.boxes = np.vstack([self.boxes, np.asarray(box, dtype=float)])


def _box(x: float, y: float, width: float, height: float, ha: str, va: str) -> tuple[float, float, float, float]:
    x0 = x if ha == "left" else x - width if ha == "right" else x - width / 2
    y0 = y if va == "bottom" else y - height if va == "top" else y - height / 2
    return (x0, y0, x0 + width, y0 + height)


def _options(request: LabelRequest) -> list[tuple[float, tuple[float, float, str, str]]]:
    """(ring, candidate) in order of preference; ring 1 sits beside the anchor, further rings get a leader."""
    around = [(ring, candidate) for ring in RINGS for candidate in CANDIDATES]
    if request.fixed:
        return [(1.0, CENTRED[0])]
    return [(1.0, CENTRED[0]), *around] if request.centred else around


def _may_fit(request: LabelRequest, placer: Placer, px_per_pt: float) -> bool:
    """Whether a box a little smaller than the label's likely size is free at some candidate."""
    lines = request.text.split("\n")
    em = request.fontsize * px_per_pt
    width, height = 0.4 * em * max(len(line) for line in lines), 0.9 * em * len(lines)
    base_step = (request.radius_pt + GAP_PT) * px_per_pt
    for ring, (dx, dy, ha, va) in _options(request):
        step = base_step * ring
        if placer.free(_box(request.x + dx * step, request.y + dy * step, width, height, ha, va)):
            return True
    return False


def place_labels(
    ax: Axes, requests: list[LabelRequest], placer: Placer, renderer: RendererBase, dpi: float
) -> list[Text]:
    """Add the labels that fit to ax (data strings never parsed as mathtext); return them."""
    placed: list[Text] = []
    px_per_pt = dpi / 72.0
    for request in sorted(requests, key=lambda r: r.priority):
        if not _may_fit(request, placer, px_per_pt):
            continue  # measuring text is the slow part (FreeType layout); skip labels that cannot fit
        probe = Text(0, 0, request.text, fontsize=request.fontsize, fontweight=request.weight,
                     fontstyle=request.style, parse_math=False, figure=ax.figure)  # fmt: skip
        extent = probe.get_window_extent(renderer)
        width, height = extent.width, extent.height
        base_step = (request.radius_pt + GAP_PT) * px_per_pt
        for ring, (dx, dy, ha, va) in _options(request):
            step = base_step * ring
            x, y = request.x + dx * step, request.y + dy * step
            box = _box(x, y, width, height, ha, va)
            if request.halo:
                pad = 0.12 * request.fontsize * px_per_pt
                box = (box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad)
            if placer.free(box):
                placer.take(box)
                text = ax.annotate(
                    request.text,
                    xy=tuple(ax.transData.inverted().transform((request.x, request.y))),
                    xytext=(dx * step / px_per_pt, dy * step / px_per_pt),
                    textcoords="offset points",
                    ha=ha,
                    va=va,
                    fontsize=request.fontsize,
                    fontweight=request.weight,
                    fontstyle=request.style,
                    color=request.colour,
                    parse_math=False,
                    annotation_clip=False,
                    zorder=20,
                    bbox=HALO if request.halo else None,
                    arrowprops=LEADER if ring > 1 else None,
                    gid=f"label-{len(placer.boxes)}",  # unique: every placed label adds its box
                )
                placed.append(text)
                break
    return placed
