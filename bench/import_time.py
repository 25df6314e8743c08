"""A full build of the shipped maps against the time of importing the libraries it stands on.

`geo build --force` of data/ is compared with `python -c "import geopandas, folium"` in the same
run, fresh processes, median of --repeat each; target: build <= 1.3x the imports (the build should
be import-bound and import only what it needs). `-X importtime` of the build is written next to
the result so the heaviest imports can be read off.

    .venv/bin/python bench/import_time.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
TARGET_RATIO = 1.3


def _seconds(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=REPO, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as out:
        build = [sys.executable, "-m", "geo", "build", "--force", "--out", out]
        imports = [sys.executable, "-c", "import geopandas, folium"]
        _seconds(build)  # warm the file cache once
        pairs = [(_seconds(imports), _seconds(build)) for _ in range(args.repeat)]  # interleaved: same load
        profile = subprocess.run(
            [sys.executable, "-X", "importtime", *build[1:]], cwd=REPO, capture_output=True, text=True
        )
    import_s = statistics.median(p[0] for p in pairs)
    build_s = statistics.median(p[1] for p in pairs)
    ratio = build_s / import_s
    lines = [line for line in profile.stderr.splitlines() if line.startswith("import time:")]
    heaviest = sorted(lines[1:], key=lambda line: -int(line.split("|")[1]))[:15]
    result = {
        "repeat": args.repeat,
        "import_geopandas_folium_s": round(import_s, 3),
        "build_shipped_maps_s": round(build_s, 3),
        "ratio": round(ratio, 2),
        "target_ratio": TARGET_RATIO,
        "pass": ratio <= TARGET_RATIO,
        "heaviest_imports_of_the_build_us": [line.removeprefix("import time:").strip() for line in heaviest],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "import-time.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    print(
        f"import geopandas, folium: {import_s:.2f} s; geo build (shipped maps): {build_s:.2f} s; "
        f"ratio {ratio:.2f} (target <= {TARGET_RATIO}) {'PASS' if result['pass'] else 'FAIL'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
