"""A peer measured as our page is: Leaflet.glify (WebGL points) drawing the bench's points offline.

    .venv/bin/python bench/peer_glify.py                 # N = 1,000,000 points
    .venv/bin/python bench/peer_glify.py --n 100000 --clicks 200

bench/synth.py writes the layers (the points layer is what glify draws: it has no popup, search
or filter of its own, so lines and areas would add drawing without a comparable page). The page
is one HTML file: Leaflet (the XStatic package's, as our pages inline it), glify's browser build
(npm, package.json) and the points as [lon, lat] pairs, inline. It says it is ready once the
glify layer is made, and bench/run.py's Browser measures it as it measures ours: the frame after
the ready mark (first view drawn), the JS heap after a forced GC, and clicks — the map centred on
a random point at zoom 12, a real click at its place, timed from the click event to the frame
after glify's click callback, right when the callback names the clicked point.

Writes bench/results/peer-glify-<N>.json and .md.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402
import synth  # noqa: E402
from clicks import click_times  # noqa: E402

GLIFY = REPO / "node_modules" / "leaflet.glify" / "dist" / "glify-browser.js"
CLICK_ZOOM = 12

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Leaflet.glify, {count} points</title>
<style>{leaflet_css} html, body, #map {{ margin: 0; height: 100%; }}</style>
<script>{leaflet_js}</script><script>{glify_js}</script></head>
<body><div id="map"></div>
<script type="application/json" id="points">{points}</script>
<script>
  const points = JSON.parse(document.getElementById("points").textContent);
  const map = L.map("map", {{ preferCanvas: true }}).setView([43, 68], 4);
  window.__map = map;
  window.__hits = [];
  L.glify.longitudeFirst();
  window.__layer = L.glify.points({{
    map, data: points, size: 6, color: {{ r: 0.1, g: 0.3, b: 0.8 }},
    click: (e, lonLat) => {{ window.__hits.push({{ at: lonLat, t: performance.now() }}); }},
  }});
  document.documentElement.setAttribute("data-atlas-ready", "true");
</script></body></html>
"""

CLICK = """async ([lon, lat, zoom]) => {
  window.__map.setView([lat, lon], zoom, { animate: false });
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  window.__hits = [];
  const p = window.__map.latLngToContainerPoint([lat, lon]);
  const box = window.__map.getContainer().getBoundingClientRect();
  return { x: box.left + p.x, y: box.top + p.y };
}"""

# The click's own timestamp, then the frame after glify's callback (or nothing within 5 s).
WATCH = """() => { window.__click = null; document.addEventListener('click', (e) => { window.__click = e.timeStamp; }, true); }"""
RESULT = """() => new Promise((resolve) => {
  const deadline = performance.now() + 5000;
  const check = () => {
    const hit = window.__hits[0];
    if (hit) requestAnimationFrame(() => resolve({ ms: performance.now() - window.__click, at: hit.at }));
    else if (performance.now() > deadline) resolve({ ms: null, at: null });
    else requestAnimationFrame(check);
  };
  check();
})"""


def write_page(data_dir: Path, files: dict[str, str], out: Path) -> list[list[float]]:
    """The glify page of the generated points; returns the points as drawn ([lon, lat])."""
    import xstatic.pkg.leaflet as xs

    document = json.loads((data_dir / files["bench_points"]).read_text(encoding="utf-8"))
    points = [feature["geometry"]["coordinates"] for feature in document["features"]]
    base = Path(xs.BASE_DIR)
    out.write_text(
        PAGE.format(
            count=len(points),
            leaflet_css=(base / "leaflet.css").read_text(encoding="utf-8"),
            leaflet_js=(base / "leaflet.js").read_text(encoding="utf-8"),
            glify_js=GLIFY.read_text(encoding="utf-8").replace("</script", "<\\/script"),
            points=json.dumps(points, separators=(",", ":")),
        ),
        encoding="utf-8",
    )
    return points


def measure(browser: run.Browser, html: Path, points: list[list[float]], clicks: int) -> dict:
    context, page, log = browser._page()
    try:
        page.goto(html.resolve().as_uri(), wait_until="load")
        page.wait_for_function("() => window.__bench.readyDrawn !== undefined")
        bench = page.evaluate("() => window.__bench")
        memory = page.evaluate(run.HEAP_AND_DOM)
        page.evaluate(WATCH)
        times, right = [], 0
        for index in random.Random(20).sample(range(len(points)), clicks):
            lon, lat = points[index]
            at = page.evaluate(CLICK, [lon, lat, CLICK_ZOOM])
            page.mouse.click(at["x"], at["y"])
            result = page.evaluate(RESULT)
            if result["ms"] is not None:
                times.append(result["ms"])
            if result["at"] is not None and abs(result["at"][0] - lon) < 1e-9 and abs(result["at"][1] - lat) < 1e-9:
                right += 1
        return {
            "points": len(points),
            "html_mb": html.stat().st_size / 1e6,
            "draw_ms": bench["readyDrawn"],
            "js_heap_mb": memory["heap"] / 1e6 if memory["heap"] is not None else None,
            "clicks": clicks,
            "clicks_right": right,
            "clicks_answered": len(times),
            **click_times(times),
            "page_errors": log["errors"],
        }
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="points (default 1,000,000)")
    parser.add_argument("--clicks", type=int, default=200)
    args = parser.parse_args(argv)
    if not GLIFY.exists():
        raise SystemExit(f"{GLIFY} is missing: run npm ci")
    work = run.WORK / f"peer-glify-{args.n}"
    shutil.rmtree(work, ignore_errors=True)
    summary = synth.generate(work / "data", args.n, lines=0, polygons=0)
    html = work / "glify.html"
    points = write_page(work / "data", summary["files"], html)
    browser = run.Browser()
    try:
        result = {"n": args.n, "chromium": browser.version, **measure(browser, html, points, args.clicks)}
    finally:
        browser.close()
    shutil.rmtree(work, ignore_errors=True)
    name = f"peer-glify-{args.n}"
    run.write_peer_results(
        name,
        f"Leaflet.glify, {args.n:,} points (`bench/peer_glify.py --n {args.n} --clicks {args.clicks}`)",
        ".",
        "glify",
        result,
        [
            (
                "click to its callback, 95th percentile (median)",
                f"{result['click_ms_p95']:.0f} ms ({result['click_ms_median']:.0f} ms)",
            ),
            ("clicks naming the clicked point", f"{result['clicks_right']} of {result['clicks']}"),
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
