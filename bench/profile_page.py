"""Where the map page spends its time and memory at a given size: a V8 CPU profile of the page load.

    .venv/bin/python bench/profile_page.py             # N = 100000
    .venv/bin/python bench/profile_page.py --n 10000 --top 25

Generates the data (bench/synth.py), builds the bench map, opens it in headless Chromium (offline,
as bench/run.py does) with the V8 sampling profiler on from navigation until every feature is
drawn, and writes bench/results/profile-page-<N>.txt: self time per JS function (with its script
and line) and, from the page, the sizes of the data block and of the parsed data.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

import run  # noqa: E402
import synth  # noqa: E402


def self_times(profile: dict) -> list[tuple[float, str]]:
    """Self time (ms) per function from a CDP Profiler profile (samples x interval)."""
    nodes = {node["id"]: node for node in profile["nodes"]}
    deltas = profile.get("timeDeltas", [])
    per_node: dict[int, float] = defaultdict(float)
    for sample, delta in zip(profile.get("samples", []), deltas[1:] + [0]):
        per_node[sample] += delta / 1000.0
    per_function: dict[str, float] = defaultdict(float)
    for node_id, ms in per_node.items():
        frame = nodes[node_id]["callFrame"]
        url = frame.get("url", "")
        where = "page" if url.startswith("file:") else (url.rsplit("/", 1)[-1] or "-")
        name = frame.get("functionName") or "(anonymous)"
        per_function[f"{name}  [{where}:{frame.get('lineNumber', -1) + 1}]"] += ms
    return sorted(((ms, name) for name, ms in per_function.items()), reverse=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--seed", type=int, default=synth.DEFAULT_SEED)
    parser.add_argument(
        "--html", type=Path, default=None, help="profile this bench page (built for --n) instead of generating one"
    )
    args = parser.parse_args(argv)

    work = HERE / "results" / "tmp" / f"profile-page-n{args.n}"
    if args.html:
        html = args.html
        summary = {"total": args.n + args.n // 10 + args.n // 100}
    else:
        if work.exists():
            shutil.rmtree(work)
        summary = synth.generate(work / "data", args.n, seed=args.seed)
        subprocess.run(
            [
                sys.executable,
                "-m",
                "geo",
                "--data",
                str(work / "data"),
                "build",
                "--out",
                str(work / "maps"),
                "--force",
                "bench",
            ],
            cwd=REPO,
            check=True,
            capture_output=True,
        )
        html = work / "maps" / "bench.html"
    browser = run.Browser()
    try:
        context, page, _ = browser._page()
        cdp = context.new_cdp_session(page)
        cdp.send("Profiler.enable")
        cdp.send("Profiler.setSamplingInterval", {"interval": 200})
        cdp.send("Profiler.start")
        page.goto(html.resolve().as_uri(), wait_until="load")
        page.wait_for_function("() => window.__bench.readyDrawn !== undefined")
        profile = cdp.send("Profiler.stop")["profile"]
        bench = page.evaluate("() => window.__bench")
        memory = page.evaluate(run.HEAP_AND_DOM)
        block_chars = page.evaluate("() => document.getElementById('atlas-data').textContent.length")
        context.close()
    finally:
        browser.close()

    times = self_times(profile)
    total = sum(ms for ms, _ in times)
    lines = [
        f"# V8 CPU profile of the bench map page at N = {args.n:,} ({summary['total']:,} features), "
        f"navigation to every feature drawn",
        f"# drawn at {bench['readyDrawn']:.0f} ms (atlas ready at {bench['ready']:.0f} ms); "
        f"{total:.0f} ms of samples; JS heap after GC {memory['heap'] / 1e6:.1f} MB; "
        f"data block {block_chars / 1e6:.1f} M chars; HTML {html.stat().st_size / 1e6:.1f} MB",
        "",
        f"## top {args.top} functions by self time (ms, share of samples)  [script:line]",
    ]
    for ms, name in times[: args.top]:
        lines.append(f"{ms:9.1f}  {ms / total:5.1%}  {name}")
    text = "\n".join(lines) + "\n"
    (HERE / "results" / f"profile-page-{args.n}.txt").write_text(text, encoding="utf-8")
    print(text)
    if not args.html:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
