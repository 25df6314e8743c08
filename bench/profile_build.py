"""Where `geo build` spends its time at a given size: cProfile of one forced build of the bench map.

    .venv/bin/python bench/profile_build.py            # N = 100000
    .venv/bin/python bench/profile_build.py --n 10000 --top 40

Generates the data with bench/synth.py (into bench/results/tmp/, git-ignored), runs the `geo` CLI
in this process under cProfile and writes bench/results/profile-<N>.txt: the time of each phase
(cumulative time of the functions that make it up) and the top functions by own and cumulative time.
The raw stats stay in bench/results/tmp/profile-<N>.prof (open with `python -m pstats` or snakeviz).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import shutil
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402

# Phases of a build: label, then (file suffix, function name) candidates - the largest cumulative
# time among them counts (the code moves; a phase whose functions are gone prints "-").
PHASES = [
    (
        "imports inside the command (folium, shapely, pydantic...)",
        [("<frozen importlib._bootstrap>", "_find_and_load")],
    ),
    ("no-op check: hash data + code", [("webmap/cache.py", "inputs_hash")]),
    ("load catalog", [("geo/cli.py", "_read"), ("geo/cli.py", "_load"), ("geo/catalog.py", "load_catalog")]),
    ("  parse features", [("geo/layer_file.py", "read_layer_features")]),
    ("    JSON parse (geojson_reader._parse_whole)", [("geo/geojson_reader.py", "_parse_whole")]),
    ("    line coordinates read apart (geojson_lines.lines_apart)", [("geo/geojson_lines.py", "lines_apart")]),
    (
        "    properties (pydantic)",
        [("pydantic/main.py", "model_validate"), ("geo/layer_file.py", "_validate_all_properties")],
    ),
    ("    coordinates check and build (geojson_geometry.build_layer)", [("geo/geojson_geometry.py", "build_layer")]),
    ("    shapely geometries (shapely.geometry.shape)", [("shapely/geometry/geo.py", "shape")]),
    ("  references (references.reference_problems)", [("geo/references.py", "reference_problems")]),
    # `geo build` runs the checks in a thread beside the drawing: cProfile sees the main thread only.
    ("checks (validate.validate_catalog; not profiled: a thread)", [("geo/validate.py", "validate_catalog")]),
    ("  geometries (validate.check_geometries)", [("geo/validate.py", "check_geometries")]),
    ("  countries (validate.check_countries)", [("geo/validate.py", "check_countries")]),
    ("    distance to outline/border (validate.distance_m)", [("geo/validate.py", "distance_m")]),
    ("render maps (webmap.build.build_maps)", [("webmap/build.py", "build_maps")]),
    ("  payload (webmap.payload.map_payload)", [("webmap/payload.py", "map_payload")]),
    ("    layer columns (webmap.payload.layer_payload)", [("webmap/payload.py", "layer_payload")]),
    ("      joins: events_of per feature", [("geo/catalog.py", "events_of")]),
    ("      joins: figures_of per feature", [("geo/catalog.py", "figures_of")]),
    (
        "      compact columns (compact.encode_compact_column)",
        [("webmap/compact.py", "encode_compact_column"), ("webmap/encoding.py", "encode_column")],
    ),
    (
        "      geometry columns",
        [("webmap/compact.py", "encode_compact_geometries"), ("webmap/encoding.py", "encode_geometries")],
    ),
    ("  JSON text (webmap.embed.json_data_block)", [("webmap/embed.py", "json_data_block")]),
    ("  folium/branca render (Figure.render)", [("branca/element.py", "render")]),
    ("  write files (atomic.write_bytes_atomic)", [("geo/atomic.py", "write_bytes_atomic")]),
]


def _short(line: str) -> str:
    """A pstats line without absolute paths: site-packages and the repository root dropped."""
    line = re.sub(r"\S*/site-packages/", "", line)
    line = re.sub(r"\S*/lib/python3\.\d+/", "", line)
    return line.replace(str(REPO) + "/", "")


def phase_times(stats: pstats.Stats) -> list[tuple[str, float | None]]:
    rows = []
    for label, candidates in PHASES:
        best = None
        for (filename, _, name), (_, _, _, cumulative, _) in stats.stats.items():  # type: ignore[attr-defined]
            if any(name == function and filename.endswith(suffix) for suffix, function in candidates):
                best = max(best or 0.0, cumulative)
        rows.append((label, best))
    return rows


def top_functions(prof_path: Path, key: str, count: int) -> str:
    buffer = io.StringIO()
    pstats.Stats(str(prof_path), stream=buffer).sort_stats(key).print_stats(count)
    lines = []
    for line in buffer.getvalue().splitlines():
        if re.match(r"^\s*\d", line) or line.lstrip().startswith("ncalls"):
            lines.append(_short(line.rstrip()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000, help="number of points (lines n/10, polygons n/100)")
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--seed", type=int, default=synth.DEFAULT_SEED)
    args = parser.parse_args(argv)

    work = HERE / "results" / "tmp" / f"profile-n{args.n}"
    data, out = work / "data", work / "maps"
    if work.exists():
        shutil.rmtree(work)
    summary = synth.generate(data, args.n, seed=args.seed)

    from geo.cli import cli

    profiler = cProfile.Profile()
    start = time.perf_counter()
    profiler.enable()
    try:
        cli.main(
            ["--data", str(data), "build", "--out", str(out), "--force", "bench"],
            prog_name="geo",
            standalone_mode=False,
        )
    finally:
        profiler.disable()
    wall = time.perf_counter() - start
    prof_path = HERE / "results" / "tmp" / f"profile-{args.n}.prof"
    profiler.dump_stats(prof_path)

    # The no-op rebuild right after: nothing changed, so it should only hash and compare.
    noop = cProfile.Profile()
    start = time.perf_counter()
    noop.enable()
    try:
        cli.main(["--data", str(data), "build", "--out", str(out), "bench"], prog_name="geo", standalone_mode=False)
    finally:
        noop.disable()
    noop_wall = time.perf_counter() - start
    noop_path = HERE / "results" / "tmp" / f"profile-noop-{args.n}.prof"
    noop.dump_stats(noop_path)
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]

    report = [
        f"# cProfile of `geo build --force bench` at N = {args.n:,} "
        f"({summary['total']:,} features; {sum(summary['bytes'].values()) / 1e6:.1f} MB of GeoJSON)",
        f"# wall {wall:.2f} s under the profiler (profiling adds overhead; compare shares, not seconds)",
        "# imports before the build are not included (measured separately by `geo --help`)",
        "",
        "## phases (cumulative seconds, share of the profiled total)",
    ]
    for label, seconds in phase_times(stats):
        report.append(f"{label:<62} {'-' if seconds is None else f'{seconds:7.2f} s  {seconds / total:5.1%}'}")
    report += ["", f"## top {args.top} by own time (tottime)", top_functions(prof_path, "tottime", args.top)]
    report += ["", f"## top {args.top} by cumulative time", top_functions(prof_path, "cumulative", args.top)]
    report += [
        "",
        f"## no-op rebuild (no --force, nothing changed): {noop_wall:.3f} s in-process under the profiler, top 15 by own time",
        top_functions(noop_path, "tottime", 15),
    ]
    text = "\n".join(report) + "\n"
    (HERE / "results" / f"profile-{args.n}.txt").write_text(text, encoding="utf-8")
    print(text)
    print(f"wrote bench/results/profile-{args.n}.txt (raw stats: bench/results/tmp/profile-{args.n}.prof)")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
