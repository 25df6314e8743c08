"""Scale benchmark: `geo build` against GeoDataFrame.explore() on the same synthetic layers.

    .venv/bin/python bench/run.py                      # N = 1k, 10k, 100k, --repeat 3 (~7 min on 2 cores)
    .venv/bin/python bench/run.py --quick              # N = 1k, 10k, one run each (smoke, ~30 s)
    .venv/bin/python bench/run.py --sizes 5000 --repeat 1 --no-browser

For each N, bench/synth.py writes a copy of data/ with N points, N/10 lines and N/100 polygons, and
then, on the same files and in the same run:

* build: `python -m geo --data DIR build --out OUT --force bench` and, as the baseline,
  bench/explore_baseline.py (geopandas.read_file + .explore() per layer + LayerControl + save),
  each in a fresh process: wall time (median of --repeat), peak RSS of the child (ru_maxrss from
  os.wait4, the child started by bench/measured.py so that it is the child's own), HTML bytes;
* page: both HTML files in headless Chromium, offline: time until every feature is drawn (ours:
  html[data-atlas-ready] then two animation frames; explore: the load event, all its feature
  layers present on the map, then two animation frames), JS heap after a forced GC, DOM nodes,
  and the number of features drawn (must equal the number generated, for both);
* `geo --help` wall time (median of 7) and a no-op `geo build` (second build, nothing changed,
  no --force): wall time and whether the output stayed byte-identical.

Prints a table and writes bench/results/<name>.json and <name>.md (name: latest, or quick with
--quick). Scratch files go to bench/results/tmp/ (git-ignored).
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import clicks  # noqa: E402
import synth  # noqa: E402

RESULTS = HERE / "results"
WORK = RESULTS / "tmp"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
BROWSER_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--no-first-run",
    "--js-flags=--expose-gc",
    "--enable-precise-memory-info",
]
BLANK_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
PAGE_TIMEOUT_MS = 600_000

# The targets: (metric, N) -> largest ours/explore ratio; metric -> absolute limit in seconds.
RATIO_TARGETS = {
    ("build_s", 100_000): 0.5,
    ("html_bytes", 100_000): 0.5,
    ("draw_ms", 100_000): 0.5,
    ("js_heap_mb", 100_000): 0.7,
    ("build_s", 1_000): 0.7,
}
ABSOLUTE_TARGETS = {"help_s": 0.3, "noop_build_s": 0.5}
# At a million points (the compact path): metric -> largest value, in the metric's unit.
MILLION_TARGETS = {
    "html_bytes": 50e6,
    "draw_ms": 5000,
    "js_heap_mb": 400,
    "click_ms_p95": 150,
    "build_s": 40,
    "build_peak_mb": 2000,
}

METRICS = {  # key: (label, unit, decimals)
    "build_s": ("build wall time", "s", 2),
    "build_peak_mb": ("build peak memory (RSS)", "MB", 0),
    "html_bytes": ("HTML size", "MB", 2),
    "draw_ms": ("time to draw every feature", "ms", 0),
    "js_heap_mb": ("JS heap after GC", "MB", 1),
    "dom_nodes": ("DOM elements", "", 0),
    "drawn": ("features drawn / generated", "", 0),
    "noop_build_s": ("no-op rebuild", "s", 3),
    "click_ms_p95": ("click to popup, 95th percentile", "ms", 0),
    "clicks_right": ("clicks opening the clicked feature", "", 0),
    "help_s": ("geo --help", "s", 3),
}


# ---- child processes ------------------------------------------------------------------------


@dataclass
class ChildRun:
    wall_s: float
    peak_mb: float
    returncode: int
    stdout: str
    stderr: str


def run_child(cmd: list[str], *, cwd: Path = REPO) -> ChildRun:
    """Run cmd in a fresh process; its wall time and its own peak RSS (ru_maxrss via wait4).

    Started by bench/measured.py, a small process: forked from this one, which may hold the
    generated layers, the child's ru_maxrss would start at this process's size.
    """
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    with tempfile.TemporaryDirectory() as scratch, tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        result = Path(scratch) / "measured.json"
        starter = [sys.executable, str(HERE / "measured.py"), str(result)]
        proc = subprocess.run(starter + cmd, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        measured = json.loads(result.read_text(encoding="utf-8")) if result.exists() else None
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
        if measured is None:
            return ChildRun(0.0, 0.0, proc.returncode or 1, stdout, stderr)
        return ChildRun(measured["wall_s"], measured["peak_kb"] * 1024 / 1e6, measured["returncode"], stdout, stderr)


def checked(run: ChildRun, what: str) -> ChildRun:
    if run.returncode != 0:
        raise SystemExit(f"{what} failed (exit {run.returncode}):\n{run.stderr[-3000:]}")
    return run


def geo_cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "geo", *args]


def tree_hashes(directory: Path) -> dict[str, str]:
    return {
        p.relative_to(directory).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(directory.rglob("*"))
        if p.is_file()
    }


def code_digest() -> str:
    """The geo package's code and assets: a no-op build is only a no-op while these stay the same."""
    digest = hashlib.sha256()
    for path in sorted((REPO / "geo").rglob("*")):
        if path.suffix in (".py", ".js", ".css") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(REPO).as_posix().encode() + hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def write_results(name: str, results: dict, markdown: list[str]) -> None:
    """bench/results/<name>.json (the figures) and .md (the table a reader looks at)."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (RESULTS / f"{name}.md").write_text("\n".join(markdown), encoding="utf-8")


def write_peer_results(name: str, title: str, how: str, column: str, result: dict, rows: list[tuple[str, str]]) -> None:
    """A peer's figures beside ours: bench/results/<name>.json and a table measured as run.py
    measures our page (its size, first view and heap first, then the peer's own rows)."""
    common = [
        ("HTML size", f"{result['html_mb']:.1f} MB"),
        ("first view drawn", f"{result['draw_ms']:,.0f} ms"),
        ("JS heap after GC", f"{result['js_heap_mb']:.1f} MB"),
    ]
    lines = [
        f"# {title}",
        "",
        f"Chromium {result['chromium']}, 2 CPUs, software GL (SwiftShader). Measured as bench/run.py measures ours{how}",
        "",
        f"| metric | {column} |",
        "|---|--:|",
        *(f"| {metric} | {value} |" for metric, value in [*common, *rows]),
        "",
    ]
    write_results(name, result, lines)
    print("\n".join(lines))


def median(values: list[float]) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


# ---- the browser ------------------------------------------------------------------------------

# Runs before the page's own scripts: note when the atlas says it is ready and when the page has
# loaded, each followed by two animation frames (the second one runs after the frame with every
# feature in it has been painted).
INIT_SCRIPT = """
(() => {
  const b = (window.__bench = {});
  const twoFrames = (key) => requestAnimationFrame(() => requestAnimationFrame(() => { b[key] = performance.now(); }));
  const observer = new MutationObserver(() => {
    const html = document.documentElement;
    if (b.ready === undefined && html && html.hasAttribute("data-atlas-ready")) {
      b.ready = performance.now();
      observer.disconnect();
      twoFrames("readyDrawn");
    }
  });
  observer.observe(document, { attributes: true, subtree: true, attributeFilter: ["data-atlas-ready"] });
  window.addEventListener("load", () => { b.load = performance.now(); twoFrames("loadDrawn"); });
})();
"""

# Leaflet maps of a folium page are globals named map_<hex>; count the feature layers on them.
COUNT_LEAFLET_FEATURES = """
() => {
  let maps = 0, features = 0;
  for (const key of Object.keys(window)) {
    let value;
    try { value = window[key]; } catch (e) { continue; }
    if (window.L && value instanceof L.Map) {
      maps += 1;
      for (const layer of Object.values(value._layers)) if (layer.feature) features += 1;
    }
  }
  return { maps, features };
}
"""

HEAP_AND_DOM = """
async () => {
  if (typeof gc === "function") { gc(); gc(); }
  await new Promise((r) => setTimeout(r, 50));
  if (typeof gc === "function") gc();
  return {
    heap: performance.memory ? performance.memory.usedJSHeapSize : null,
    gcForced: typeof gc === "function",
    dom: document.getElementsByTagName("*").length,
  };
}
"""

TWO_FRAMES_NOW = (
    "() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(performance.now()))))"
)


def _leaflet_files() -> dict[str, tuple[str, bytes]]:
    import xstatic.pkg.leaflet as xs

    base = Path(xs.BASE_DIR)
    return {
        "leaflet.js": ("application/javascript", (base / "leaflet.js").read_bytes()),
        "leaflet.css": ("text/css", (base / "leaflet.css").read_bytes()),
    }


class Browser:
    """One headless Chromium for the run; every page gets a fresh context, offline."""

    def __init__(self) -> None:
        from playwright.sync_api import sync_playwright

        self._pw = sync_playwright().start()
        self.browser = self._pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        self.version = self.browser.version
        self.leaflet = _leaflet_files()

    def close(self) -> None:
        self.browser.close()
        self._pw.stop()

    def _page(self):
        context = self.browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.set_default_timeout(PAGE_TIMEOUT_MS)
        log = {"errors": [], "blocked": 0, "served": []}
        page.on("pageerror", lambda exc: log["errors"].append(str(exc)[:300]))

        def route(route):
            url = route.request.url
            name = url.rsplit("/", 1)[-1]
            # explore() pages load Leaflet from a CDN: serve the same version (1.9.3) from the
            # installed XStatic package. Its other CDN assets (jQuery, Bootstrap, Font Awesome,
            # awesome-markers) are not used by the drawing and get an empty body; tiles a blank PNG.
            if "leaflet@" in url and name in self.leaflet:
                content_type, body = self.leaflet[name]
                log["served"].append(name)
                route.fulfill(status=200, content_type=content_type, body=body)
            elif name.endswith(".js"):
                route.fulfill(status=200, content_type="application/javascript", body="")
            elif name.endswith(".css"):
                route.fulfill(status=200, content_type="text/css", body="")
            else:
                log["blocked"] += 1
                route.fulfill(status=200, content_type="image/png", body=BLANK_PNG)

        page.route(lambda url: not url.startswith("file:"), route)
        page.add_init_script(INIT_SCRIPT)
        return context, page, log

    def measure_ours(self, html: Path, expected: int, click_ids: list[str] | None = None) -> dict:
        context, page, log = self._page()
        try:
            page.goto(html.resolve().as_uri(), wait_until="load")
            page.wait_for_function("() => window.__bench.readyDrawn !== undefined")
            bench = page.evaluate("() => window.__bench")
            counts = page.evaluate("() => [atlas.featureCount(), atlas.drawnCount()]")
            memory = page.evaluate(HEAP_AND_DOM)
            clicked = clicks.measure_clicks(page, click_ids) if click_ids else {}
            return {
                **clicked,
                "draw_ms": bench["readyDrawn"],
                "ready_ms": bench["ready"],
                "load_ms": bench.get("load"),
                "feature_count": counts[0],
                "drawn": counts[1],
                "complete": counts[0] == expected and counts[1] == expected,
                "js_heap_mb": memory["heap"] / 1e6 if memory["heap"] is not None else None,
                "gc_forced": memory["gcForced"],
                "dom_nodes": memory["dom"],
                "page_errors": log["errors"],
            }
        finally:
            context.close()

    def measure_explore(self, html: Path, expected: int) -> dict:
        context, page, log = self._page()
        try:
            page.goto(html.resolve().as_uri(), wait_until="load")
            page.wait_for_function("() => window.__bench.loadDrawn !== undefined")
            counted = page.evaluate(COUNT_LEAFLET_FEATURES)
            draw_ms = page.evaluate("() => window.__bench.loadDrawn")
            if counted["features"] < expected:  # not all there at load: wait, then two frames
                page.wait_for_function(f"() => ({COUNT_LEAFLET_FEATURES})().features >= {expected}", polling=100)
                draw_ms = page.evaluate(TWO_FRAMES_NOW)
                counted = page.evaluate(COUNT_LEAFLET_FEATURES)
            memory = page.evaluate(HEAP_AND_DOM)
            return {
                "draw_ms": draw_ms,
                "load_ms": page.evaluate("() => window.__bench.load"),
                "feature_count": counted["features"],
                "drawn": counted["features"],
                "complete": counted["features"] == expected,
                "leaflet_maps": counted["maps"],
                "js_heap_mb": memory["heap"] / 1e6 if memory["heap"] is not None else None,
                "gc_forced": memory["gcForced"],
                "dom_nodes": memory["dom"],
                "page_errors": log["errors"],
                "leaflet_served": sorted(set(log["served"])),
            }
        finally:
            context.close()


# ---- one size --------------------------------------------------------------------------------


def bench_size(
    n: int,
    repeat: int,
    browser: Browser | None,
    *,
    seed: int,
    work: Path,
    log,
    explore: bool = True,
    click_count: int = 0,
) -> dict:
    size_dir = work / f"n{n}"
    data = size_dir / "data"
    out = size_dir / "ours"
    explore_html = size_dir / "explore.html"
    if size_dir.exists():
        shutil.rmtree(size_dir)
    size_dir.mkdir(parents=True)

    start = time.perf_counter()
    summary = synth.generate(data, n, seed=seed)
    log(
        f"  generated {summary['total']} features ({sum(summary['bytes'].values()) / 1e6:.1f} MB GeoJSON) "
        f"in {time.perf_counter() - start:.1f} s"
    )
    expected = summary["total"]
    layer_args = [
        f"{title}={data / summary['files'][layer_id]}"
        for layer_id, title in (
            ("bench_points", "Synthetic stations, towns and crossings"),
            ("bench_lines", "Synthetic railway lines"),
            ("bench_polygons", "Synthetic reservoirs"),
        )
    ]

    code = code_digest()
    ours_runs: list[ChildRun] = []
    explore_runs: list[ChildRun] = []
    ours_hashes: list[dict[str, str]] = []
    # Interleaved, so that drift on the machine hits both the same.
    for index in range(repeat):
        run = checked(
            run_child(geo_cmd("--data", str(data), "build", "--out", str(out), "--force", "bench")), "geo build"
        )
        ours_runs.append(run)
        ours_hashes.append(tree_hashes(out))
        log(f"  [{index + 1}/{repeat}] geo build {run.wall_s:.2f} s, {run.peak_mb:.0f} MB")
        if not explore:
            continue
        run = checked(
            run_child([sys.executable, str(HERE / "explore_baseline.py"), str(explore_html), *layer_args]), "explore"
        )
        explore_runs.append(run)
        log(f"  [{index + 1}/{repeat}] explore  {run.wall_s:.2f} s, {run.peak_mb:.0f} MB")

    # No-op rebuilds: nothing changed, no --force. The stamp covers geo/'s code too, so an edit to
    # geo/ by someone else during the run makes a rebuild legitimate: then build once more and
    # measure again (at most 3 tries), and say so in the results.
    code_changed = False
    for _attempt in range(3):
        if code_digest() != code:
            code_changed = True
            code = code_digest()
            log("  geo/ changed during the run: rebuilding once before the no-op measurement")
            checked(
                run_child(geo_cmd("--data", str(data), "build", "--out", str(out), "--force", "bench")), "geo build"
            )
        before = tree_hashes(out)
        noop_runs = []
        noop_identical = True
        noop_skipped = True
        for _ in range(max(repeat, 3)):
            run = checked(
                run_child(geo_cmd("--data", str(data), "build", "--out", str(out), "bench")), "no-op geo build"
            )
            noop_runs.append(run)
            noop_skipped &= "up to date" in run.stdout
            noop_identical &= tree_hashes(out) == before
        if code_digest() == code:
            break
    log(
        f"  no-op build {median([r.wall_s for r in noop_runs]):.3f} s (skipped: {noop_skipped}, identical: {noop_identical})"
    )

    ours_html = out / "bench.html"
    result = {
        "n": n,
        "features": summary["counts"],
        "features_total": expected,
        "geojson_bytes": sum(summary["bytes"].values()),
        "ours": {
            "build_s": median([r.wall_s for r in ours_runs]),
            "build_s_samples": [round(r.wall_s, 3) for r in ours_runs],
            "build_peak_mb": median([r.peak_mb for r in ours_runs]),
            "html_bytes": ours_html.stat().st_size,
            "reproducible": all(h == ours_hashes[0] for h in ours_hashes),
            "noop_build_s": median([r.wall_s for r in noop_runs]),
            "noop_build_s_samples": [round(r.wall_s, 3) for r in noop_runs],
            "noop_skipped": noop_skipped,
            "noop_identical": noop_identical,
            "code_changed_during_run": code_changed,
        },
        "explore": {
            "build_s": median([r.wall_s for r in explore_runs]),
            "build_s_samples": [round(r.wall_s, 3) for r in explore_runs],
            "build_peak_mb": median([r.peak_mb for r in explore_runs]),
            "html_bytes": explore_html.stat().st_size,
        }
        if explore
        else {},
    }
    click_ids = clicks.sample_ids(data, summary["files"], click_count) if click_count else None
    if browser is not None:
        sides = (("ours", ours_html, lambda html, expected: browser.measure_ours(html, expected, click_ids)),)
        if explore:
            sides += (("explore", explore_html, browser.measure_explore),)
        for side, html, measure in sides:
            pages = []
            for index in range(repeat):
                page = measure(html, expected)
                if "click_ms_p95" in page:
                    log(
                        f"  [{index + 1}/{repeat}] {side:7s} clicks: p95 {page['click_ms_p95']:.0f} ms, median {page['click_ms_median']:.0f} ms, "
                        f"{page['right']}/{page['clicks']} opened the clicked feature ({page['chooser']} through a chooser)"
                    )
                pages.append(page)
                log(
                    f"  [{index + 1}/{repeat}] {side:7s} page: drawn in {page['draw_ms']:.0f} ms, "
                    f"heap {page['js_heap_mb']:.1f} MB, {page['drawn']}/{expected} features, {page['dom_nodes']} elements"
                    + (f", page errors: {page['page_errors'][:2]}" if page["page_errors"] else "")
                )
            result[side].update(
                {
                    "draw_ms": median([p["draw_ms"] for p in pages]),
                    "draw_ms_samples": [round(p["draw_ms"]) for p in pages],
                    "js_heap_mb": median([p["js_heap_mb"] for p in pages]),
                    "dom_nodes": pages[-1]["dom_nodes"],
                    "drawn": min(p["drawn"] for p in pages),
                    "feature_count": min(p["feature_count"] for p in pages),
                    "complete": all(p["complete"] for p in pages),
                    "gc_forced": all(p["gc_forced"] for p in pages),
                    "page_errors": sorted({e for p in pages for e in p["page_errors"]}),
                }
            )
            if side == "ours" and click_ids:
                result[side].update(
                    {
                        "click_ms_p95": median([p["click_ms_p95"] for p in pages]),
                        "click_ms_p95_samples": [p["click_ms_p95"] for p in pages],
                        "click_ms_median": median([p["click_ms_median"] for p in pages]),
                        "clicks": click_count,
                        "clicks_right": min(p["right"] for p in pages),
                        "clicks_chooser": max(p["chooser"] for p in pages),
                    }
                )
    return result


def measure_help(times: int = 7) -> dict:
    runs = [checked(run_child(geo_cmd("--help")), "geo --help") for _ in range(times)]
    return {"help_s": median([r.wall_s for r in runs]), "help_s_samples": [round(r.wall_s, 3) for r in runs]}


# ---- report ----------------------------------------------------------------------------------


def rows_of(results: dict) -> list[dict]:
    """The table: one row per metric and N with ours, explore, ratio, target and pass mark."""
    rows = []
    for size in results["sizes"]:
        n = size["n"]
        ours, explore = size["ours"], size["explore"]
        for key in ("build_s", "build_peak_mb", "html_bytes", "draw_ms", "js_heap_mb", "dom_nodes", "click_ms_p95"):
            if key not in explore:
                if key in ours and n >= 1_000_000 and key in MILLION_TARGETS:
                    limit = MILLION_TARGETS[key]
                    shown = f"{limit / 1e6:g} MB" if key == "html_bytes" else f"{limit:g} {METRICS[key][1]}"
                    rows.append(
                        {
                            "metric": key,
                            "n": n,
                            "ours": ours[key],
                            "explore": None,
                            "ratio": None,
                            "target": f"<= {shown}",
                            "pass": ours[key] is not None and ours[key] <= limit,
                        }
                    )
                elif key in ours:
                    rows.append(
                        {
                            "metric": key,
                            "n": n,
                            "ours": ours[key],
                            "explore": None,
                            "ratio": None,
                            "target": None,
                            "pass": None,
                        }
                    )
                continue
            if key not in ours:
                continue
            a, b = ours[key], explore[key]
            ratio = a / b if a is not None and b else None
            target = RATIO_TARGETS.get((key, n))
            rows.append(
                {
                    "metric": key,
                    "n": n,
                    "ours": a,
                    "explore": b,
                    "ratio": ratio,
                    "target": f"<= {target}x" if target else None,
                    "pass": (ratio is not None and ratio <= target) if target else None,
                }
            )
        if "clicks_right" in ours:
            rows.append(
                {
                    "metric": "clicks_right",
                    "n": n,
                    "ours": ours["clicks_right"],
                    "explore": None,
                    "ratio": None,
                    "target": f"= {ours['clicks']}",
                    "pass": ours["clicks_right"] == ours["clicks"],
                }
            )
        if "drawn" in ours:
            rows.append(
                {
                    "metric": "drawn",
                    "n": n,
                    "ours": ours["drawn"],
                    "explore": explore.get("drawn"),
                    "ratio": None,
                    "target": f"= {size['features_total']}",
                    "pass": ours["complete"] and ours["drawn"] == size["features_total"],
                }
            )
        rows.append(
            {
                "metric": "noop_build_s",
                "n": n,
                "ours": ours["noop_build_s"],
                "explore": None,
                "ratio": None,
                "target": f"<= {ABSOLUTE_TARGETS['noop_build_s']} s, output identical",
                "pass": ours["noop_build_s"] <= ABSOLUTE_TARGETS["noop_build_s"]
                and ours["noop_identical"]
                and ours["noop_skipped"],
            }
        )
    help_s = results["help"]["help_s"]
    rows.append(
        {
            "metric": "help_s",
            "n": None,
            "ours": help_s,
            "explore": None,
            "ratio": None,
            "target": f"<= {ABSOLUTE_TARGETS['help_s']} s",
            "pass": help_s <= ABSOLUTE_TARGETS["help_s"],
        }
    )
    return rows


def _fmt(key: str, value) -> str:
    if value is None:
        return "-"
    _, unit, decimals = METRICS[key]
    if key == "html_bytes":
        value = value / 1e6
    text = f"{value:,.{decimals}f}" if isinstance(value, float) or decimals else f"{value:,}"
    return f"{text} {unit}".strip()


def table_lines(rows: list[dict], markdown: bool) -> list[str]:
    header = ["metric", "N", "ours", "explore", "ours/explore", "target", "pass"]
    body = []
    for row in rows:
        label = METRICS[row["metric"]][0]
        mark = "" if row["pass"] is None else ("PASS" if row["pass"] else "FAIL")
        body.append(
            [
                label,
                f"{row['n']:,}" if row["n"] else "-",
                _fmt(row["metric"], row["ours"]),
                _fmt(row["metric"], row["explore"]),
                f"{row['ratio']:.2f}x" if row["ratio"] is not None else "-",
                row["target"] or "",
                mark,
            ]
        )
    if markdown:
        lines = [
            "| " + " | ".join(header) + " |",
            "|" + "|".join(["---", "--:", "--:", "--:", "--:", "---", "---"]) + "|",
        ]
        lines += ["| " + " | ".join(cells) + " |" for cells in body]
        return lines
    widths = [max(len(str(c)) for c in column) for column in zip(header, *body)]
    fmt = lambda cells: "  ".join(  # noqa: E731
        str(c).ljust(w) if i in (0, 5, 6) else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths))
    )
    return [fmt(header), fmt(["-" * w for w in widths])] + [fmt(cells) for cells in body]


def environment(browser: Browser | None) -> dict:
    from importlib import metadata

    versions = {}
    for name in ("geo-atlas", "geopandas", "folium", "shapely", "pyogrio", "pydantic", "numpy", "playwright"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None

    def git(*args: str) -> str | None:
        try:
            return subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True, timeout=30).stdout.strip()
        except OSError:
            return None

    return {
        "git_commit": git("rev-parse", "--short", "HEAD"),
        "geo_uncommitted_files": len((git("status", "--porcelain", "--", "geo") or "").splitlines()),
        "geo_code_sha256": code_digest()[:16],
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        "chromium": browser.version if browser else None,
        "packages": versions,
    }


def _round_floats(value, digits: int = 4):
    if isinstance(value, float):
        return round(value, digits)
    if isinstance(value, dict):
        return {k: _round_floats(v, digits) for k, v in value.items()}
    if isinstance(value, list):
        return [_round_floats(v, digits) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="geo build vs GeoDataFrame.explore() at growing sizes.")
    parser.add_argument(
        "--sizes", type=int, nargs="+", default=None, help="numbers of points (default: 1000 10000 100000)"
    )
    parser.add_argument("--repeat", type=int, default=None, help="runs per measurement, median reported (default 3)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1000 and 10000, one run each; writes quick.*")
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurements")
    parser.add_argument("--seed", type=int, default=synth.DEFAULT_SEED)
    parser.add_argument(
        "--name", default=None, help="results file name under bench/results/ (default: latest, or quick)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated data and pages in bench/results/tmp/")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed (default: report only)")
    parser.add_argument(
        "--no-explore",
        action="store_true",
        help="skip the explore() baseline (at a million points it takes many minutes)",
    )
    parser.add_argument(
        "--clicks",
        type=int,
        default=0,
        help="time this many real clicks at random features on our page (200 for the issue's target)",
    )
    args = parser.parse_args(argv)
    sizes = args.sizes or ([1000, 10000] if args.quick else [1000, 10000, 100000])
    repeat = args.repeat or (1 if args.quick else 3)
    name = args.name or ("quick" if args.quick else "latest")

    def log(message: str) -> None:
        print(message, flush=True)

    import importlib.util

    missing = [name for name in ("folium", "matplotlib", "mapclassify") if importlib.util.find_spec(name) is None]
    if missing and not args.no_explore:
        raise SystemExit(
            f"GeoDataFrame.explore() needs {', '.join(missing)}: .venv/bin/pip install {' '.join(missing)}"
        )
    started = time.perf_counter()
    load_before = os.getloadavg()
    browser = None
    if not args.no_browser:
        if not Path(CHROMIUM).exists():
            raise SystemExit(f"no Chromium at {CHROMIUM} (set CHROMIUM, or pass --no-browser)")
        browser = Browser()
    try:
        log("geo --help ...")
        help_result = measure_help()
        log(f"  {help_result['help_s']:.3f} s")
        sizes_results = []
        for n in sizes:
            log(f"N = {n:,} (repeat {repeat})")
            sizes_results.append(
                bench_size(
                    n,
                    repeat,
                    browser,
                    seed=args.seed,
                    work=WORK,
                    log=log,
                    explore=not args.no_explore,
                    click_count=args.clicks,
                )
            )
            if not args.keep:
                shutil.rmtree(WORK / f"n{n}", ignore_errors=True)
        env = environment(browser)
        # Other work on the machine skews every number: the load averages tell whether there was any.
        env["loadavg_1m_start_end"] = [round(load_before[0], 2), round(os.getloadavg()[0], 2)]
    finally:
        if browser is not None:
            browser.close()
    results = {
        "generated": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "command": "bench/run.py " + " ".join(argv if argv is not None else sys.argv[1:]),
        "settings": {"sizes": sizes, "repeat": repeat, "seed": args.seed, "browser": browser is not None},
        "environment": env,
        "help": help_result,
        "sizes": sizes_results,
        "elapsed_s": time.perf_counter() - started,
    }
    rows = rows_of(results)
    results["table"] = rows
    results = _round_floats(results)

    log("")
    for line in table_lines(rows, markdown=False):
        log(line)
    md = [
        f"# Scale benchmark: geo build vs GeoDataFrame.explore() ({name})",
        "",
        f"Generated {results['generated']} by `{results['command'].strip()}` - sizes {sizes}, repeat {repeat} (medians); "
        f"{env['cpus']} CPUs, Python {env['python']}, Chromium {env['chromium'] or '-'}. "
        f"N points + N/10 lines + N/100 polygons. Ratio = ours / explore (lower is better). "
        f"See bench/README.md.",
        "",
        *table_lines(rows, markdown=True),
        "",
    ]
    write_results(name, results, md)
    log(f"\nwrote bench/results/{name}.json and bench/results/{name}.md in {results['elapsed_s']:.0f} s")
    failed = [row for row in rows if row["pass"] is False]
    if failed:
        log(f"{len(failed)} target(s) missed: " + ", ".join(f"{row['metric']} at N={row['n']}" for row in failed))
    return 1 if failed and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
