"""Render benchmark: `geo render` against GeoDataFrame.plot() on the same synthetic layers.

    .venv/bin/python bench/render.py                         # N = 1k, 100k, 1M (the 1M step takes many minutes)
    .venv/bin/python bench/render.py --sizes 1000 100000     # without the million
    .venv/bin/python bench/render.py --sizes 2000 --name quick-render

For each N, bench/synth.py writes a copy of data/ with N points, N/10 lines and N/100 polygons;
then, on the same files and in the same run, each in a fresh process (wall time and the child's
peak RSS from os.wait4):

* ours: `python -m geo --data DIR render bench --size A3 --dpi 300 --format png` - the whole
  sheet: loading and validating the catalog, base, symbols, labels, legend, scale bar, north
  arrow, locator and credits;
* plot(): bench/plot_baseline.py - geopandas.read_file + .plot() per layer on one A3 axes, saved
  as a 300 dpi PNG (geometry only);
* ours as SVG at N <= 100k (the file size target: under 20 MB at 100k);
* geo render's two phases timed in one process: loading and validating the catalog (every
  feature through pydantic and the geometry checks, as `geo build` does) and drawing the sheet.

Writes bench/results/<name>.json and <name>.md (default name: render). Scratch data goes to
bench/results/tmp/ (git-ignored) and is removed after each size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.run import checked, run_child  # noqa: E402  (after the path set-up above)

RESULTS = REPO / "bench" / "results"
SIZES = [1000, 100_000, 1_000_000]
TARGET_TIME_AT = 1_000_000
TARGET_TIME_RATIO = 0.7
TARGET_MEMORY_RATIO = 1.0
SVG_LIMIT_MB = 20.0


def bench_size(n: int, work: Path, log) -> dict:
    data, out = work / "data", work / "out"
    shutil.rmtree(work, ignore_errors=True)
    log(f"N={n:,}: generating data")
    # In a child process: a child's peak RSS (ru_maxrss) starts at its parent's RSS when it is
    # spawned, so this process must stay small or every measurement inherits the generator's memory.
    generated = checked(run_child([sys.executable, str(REPO / "bench" / "synth.py"), str(data), str(n)]), "synth.py")
    summary = json.loads(generated.stdout)
    layers = [str(data / summary["files"][layer_id]) for layer_id in ("bench_points", "bench_lines", "bench_polygons")]
    render = [sys.executable, "-W", "ignore", "-m", "geo", "--data", str(data), "render", "bench", "--out", str(out),
              "--size", "A3", "--dpi", "300"]  # fmt: skip
    log(f"N={n:,}: geo render (PNG)")
    ours = checked(run_child([*render, "--format", "png"]), "geo render png")
    log(f"N={n:,}: {ours.wall_s:.1f} s, {ours.peak_mb:.0f} MB; GeoDataFrame.plot()")
    base_png = work / "plot.png"
    plot = checked(
        run_child([sys.executable, str(REPO / "bench" / "plot_baseline.py"), str(base_png), *layers]), "plot()"
    )
    log(f"N={n:,}: plot() {plot.wall_s:.1f} s, {plot.peak_mb:.0f} MB; geo render's phases in one process")
    phases = checked(run_child([sys.executable, "-W", "ignore", str(REPO / "bench" / "render.py"), "--phases", str(data),
                                str(work / "phases")]), "phases")  # fmt: skip
    split = json.loads(phases.stdout)
    log(f"N={n:,}: load_catalog {split['load_s']:.1f} s, sheet {split['sheet_s']:.1f} s")
    result = {
        "n": n,
        "features": n + n // 10 + n // 100,
        "ours": {"wall_s": ours.wall_s, "peak_mb": ours.peak_mb, "png_mb": (out / "bench.png").stat().st_size / 1e6},
        "plot": {"wall_s": plot.wall_s, "peak_mb": plot.peak_mb, "png_mb": base_png.stat().st_size / 1e6},
        "phases": split,
    }
    if n <= 100_000:
        log(f"N={n:,}: geo render (SVG)")
        svg = checked(run_child([*render, "--format", "svg"]), "geo render svg")
        result["ours_svg"] = {
            "wall_s": svg.wall_s,
            "peak_mb": svg.peak_mb,
            "svg_mb": (out / "bench.svg").stat().st_size / 1e6,
        }
    shutil.rmtree(work, ignore_errors=True)
    return result


def table(results: list[dict]) -> list[str]:
    lines = [
        "| N points (+N/10 lines, N/100 polygons) | metric | geo render | plot() | ratio | target | pass |",
        "|--:|---|--:|--:|--:|---|---|",
    ]
    for r in results:
        n, ours, plot = r["n"], r["ours"], r["plot"]
        time_ratio = ours["wall_s"] / plot["wall_s"]
        mem_ratio = ours["peak_mb"] / plot["peak_mb"]
        timed = n == TARGET_TIME_AT
        lines.append(f"| {n:,} | wall time, A3 PNG 300 dpi | {ours['wall_s']:.1f} s | {plot['wall_s']:.1f} s | {time_ratio:.2f}x | "
                     f"{'<= 0.7x' if timed else ''} | {('PASS' if time_ratio <= TARGET_TIME_RATIO else 'FAIL') if timed else ''} |")  # fmt: skip
        lines.append(f"| {n:,} | peak memory (RSS) | {ours['peak_mb']:,.0f} MB | {plot['peak_mb']:,.0f} MB | {mem_ratio:.2f}x | "
                     f"{'<= 1x' if timed else ''} | {('PASS' if mem_ratio <= TARGET_MEMORY_RATIO else 'FAIL') if timed else ''} |")  # fmt: skip
        if "phases" in r:
            split = r["phases"]
            total = split["load_s"] + split["sheet_s"]
            lines.append(f"| {n:,} | phases in one process: load + validate the catalog | {split['load_s']:.1f} s "
                         f"({split['load_s'] / total:.0%}) | - | | | |")  # fmt: skip
            lines.append(f"| {n:,} | phases in one process: project, draw, label, save | {split['sheet_s']:.1f} s "
                         f"({split['sheet_s'] / total:.0%}) | {plot['wall_s']:.1f} s | {split['sheet_s'] / plot['wall_s']:.2f}x | | |")  # fmt: skip
        lines.append(f"| {n:,} | PNG size | {ours['png_mb']:.1f} MB | {plot['png_mb']:.1f} MB | | | |")
        if "ours_svg" in r:
            svg = r["ours_svg"]
            check = n == 100_000
            lines.append(f"| {n:,} | SVG size (layers over 10^4 rasterised) | {svg['svg_mb']:.1f} MB | - | | "
                         f"{'< 20 MB' if check else ''} | {('PASS' if svg['svg_mb'] < SVG_LIMIT_MB else 'FAIL') if check else ''} |")  # fmt: skip
    return lines


def phases(data: Path, out: Path) -> int:
    """Child mode: time loading the catalog and rendering the sheet separately, in one process."""
    import time

    from geo.catalog import load_catalog
    from geo.static import make_sheet, render_maps
    from geo.validate import validate_catalog

    start = time.perf_counter()
    catalog = load_catalog(data)
    problems = validate_catalog(catalog)  # as the CLI does before it draws
    assert not problems, problems[:3]
    loaded = time.perf_counter()
    render_maps(catalog, out, make_sheet("A3", dpi=300), names=["bench"], formats=["png"])
    done = time.perf_counter()
    print(json.dumps({"load_s": loaded - start, "sheet_s": done - loaded}))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--phases"]:
        return phases(Path(argv[1]), Path(argv[2]))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES)
    parser.add_argument("--name", default="render")
    args = parser.parse_args(argv)

    def log(message: str) -> None:
        print(f"[{dt.datetime.now(dt.UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)

    RESULTS.mkdir(parents=True, exist_ok=True)
    loads = [os.getloadavg()[0]]
    results = []
    for n in args.sizes:
        results.append(bench_size(n, RESULTS / "tmp" / f"render-{n}", log))
        # Written after every size: a run cut short still leaves what finished.
        loads_now = [*loads, os.getloadavg()[0]]
        document = {
            "generated": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "sizes": args.sizes,
            "finished": [r["n"] for r in results],
            "environment": {
                "python": platform.python_version(),
                "cpus": os.cpu_count(),
                "loadavg_1m_start_now": loads_now,
            },
            "results": results,
        }
        (RESULTS / f"{args.name}.json").write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
        header = (
            f"# Render benchmark: geo render vs GeoDataFrame.plot() ({args.name})\n\n"
            f"Generated {document['generated']} by `bench/render.py` - sizes {args.sizes}, finished {document['finished']}; "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}, load average (1 min) at start and now "
            f"{', '.join(f'{x:.1f}' for x in loads_now)}. One run per measurement, each in a fresh process. "
            "Ratio = ours / plot() (lower is better). See bench/README.md.\n\n"
        )
        (RESULTS / f"{args.name}.md").write_text(header + "\n".join(table(results)) + "\n", encoding="utf-8")
    print("\n".join(table(results)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
