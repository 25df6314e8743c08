"""Click-to-popup on the bench page: real mouse clicks at random features, each timed in the page.

For each feature (seeded sample over the three layers, in proportion to their sizes): the map is
centred on it at CLICK_ZOOM (not timed), then Playwright clicks its anchor on the screen. The time
is the click event's own timestamp to the first animation frame after Leaflet's popupopen, both
read in the page, so the round trips of the driver are not counted. A click counts as right when
the popup is the clicked feature's, or a chooser lists it (several features under the pointer).
"""

from __future__ import annotations

import json
import random
import statistics
from pathlib import Path

CLICK_ZOOM = 12

# Runs once in the page: notes each click's timestamp and the frame after the next popup opened.
WATCH = """() => {
  const b = window.__clicks = {start: null, end: null};
  document.addEventListener('click', (e) => { b.start = e.timeStamp; b.end = null; }, true);
  const map = Object.values(window).find((v) => window.L && v instanceof L.Map);
  map.on('popupopen', () => requestAnimationFrame(() => { if (b.start !== null && b.end === null) b.end = performance.now(); }));
}"""

CENTRE = """([id, zoom]) => {
  atlas.closePopup();
  const at = atlas.anchor(id);
  atlas.setView({lat: at.lat, lng: at.lng, zoom: zoom});
  window.__clicks.start = null; window.__clicks.end = null;
  return atlas.screenPoint(id);
}"""

RESULT = """() => new Promise((resolve) => {
  const deadline = performance.now() + 5000;
  const check = () => {
    const b = window.__clicks;
    if (b.end !== null || performance.now() > deadline) {
      const open = Array.from(document.querySelectorAll('.leaflet-popup-pane > .leaflet-popup')).pop();
      const popup = open && open.querySelector('.atlas-popup');
      const choices = open ? Array.from(open.querySelectorAll('.atlas-chooser [data-feature-id]')).map((x) => x.getAttribute('data-feature-id')) : [];
      resolve({ms: b.end === null ? null : b.end - b.start, popup: popup && popup.getAttribute('data-feature-id'), choices});
    } else requestAnimationFrame(check);
  };
  check();
})"""


def sample_ids(data_dir: Path, files: dict[str, str], count: int, seed: int = 20) -> list[str]:
    """`count` feature ids drawn at random over the layers, in proportion to their sizes."""
    ids: list[str] = []
    for name in files.values():
        text = (data_dir / name).read_text(encoding="utf-8")
        ids += [json.loads(line.rstrip(",\n"))["properties"]["id"] for line in text.splitlines()[1:-1]]
    return random.Random(seed).sample(ids, count)


def measure_clicks(page, ids: list[str]) -> dict:
    page.evaluate(WATCH)
    times, right, chooser = [], 0, 0
    for fid in ids:
        point = page.evaluate(CENTRE, [fid, CLICK_ZOOM])
        page.mouse.click(point["x"], point["y"])
        result = page.evaluate(RESULT)
        if result["ms"] is not None:
            times.append(result["ms"])
        if result["popup"] == fid or fid in result["choices"]:
            right += 1
            chooser += result["popup"] != fid
    return {"clicks": len(ids), "right": right, "chooser": chooser, **click_times(times)}


def click_times(times: list[float]) -> dict:
    """Median, 95th percentile and slowest of click times (ms): one definition for our page and the peers."""
    ordered = sorted(times)
    return {
        "click_ms_median": statistics.median(ordered) if ordered else None,
        "click_ms_p95": ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else None,
        "click_ms_max": ordered[-1] if ordered else None,
    }
