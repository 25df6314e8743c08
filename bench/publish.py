"""Benchmark `geo publish` against `ogr2ogr -f PostgreSQL` and `GeoDataFrame.to_postgis`, same server.

For each N, `bench.synth` writes data/ plus a layer of N points (no bench lines or polygons);
then, each in a fresh process (wall time and peak RSS from wait4):

* ours      load the catalog, first publish into an empty schema (every layer, record and link
            table), a no-op republish, then a republish with 10,000 features changed;
* ogr2ogr   the points' GeoJSON into one flat table (system GDAL, PG_USE_COPY=YES, GiST index);
* to_postgis  read_file (pyogrio) + to_postgis (SQLAlchemy + GeoAlchemy2), one flat table.

    python bench/publish.py [--sizes 10000 100000 1000000] [--db URL] [--name publish]

The server: --db, else $GEO_TEST_DATABASE_URL, else the cluster `.ci/postgres.sh start` makes.
Writes bench/results/<name>.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "bench" / "results"
DEFAULT_URL = "postgresql://postgres@127.0.0.1:55432/postgres"
BENCH_DB = "geo_bench"
CHANGED = 10_000
LAYER = "bench_points"


def _with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, ""))


def _libpq_dsn(url: str) -> str:
    """The URL as a key=value string, which GDAL's PG: driver takes."""
    from psycopg.conninfo import conninfo_to_dict

    return " ".join(f"{key}={value}" for key, value in conninfo_to_dict(url).items())


def run_child(cmd: list[str], env: dict | None = None) -> dict:
    """Run cmd in a fresh process: wall time, the child's peak RSS, its stdout (JSON when it prints one)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=REPO, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})}
        )
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} … failed (exit {code}):\n{stderr[-3000:]}")
    try:
        detail = json.loads(stdout.strip().splitlines()[-1]) if stdout.strip() else {}
    except ValueError:
        detail = {}
    return {"wall_s": wall, "peak_mb": usage.ru_maxrss * 1024 / 1e6, **detail}


# --- the three contenders, each run as `python bench/publish.py --child KIND DATA URL` ---------------


def child_ours(data: Path, url: str) -> dict:
    import dataclasses

    from geo.catalog import load_catalog
    from geo.layer_file import Feature
    from geo.publish.connect import Target
    from geo.publish.run import publish_catalog

    start = time.perf_counter()
    catalog = load_catalog(data)
    load_s = time.perf_counter() - start
    target = Target(url, "bench_ours")
    start = time.perf_counter()
    first = publish_catalog(catalog, target)
    first_s = time.perf_counter() - start
    start = time.perf_counter()
    noop = publish_catalog(catalog, target)
    noop_s = time.perf_counter() - start
    layer = catalog.layers[LAYER]
    changed = [
        Feature(f.layer, dataclasses.replace(f.properties, name=f"{f.properties.name} (changed)"), f.geometry)
        if index < CHANGED
        else f
        for index, f in enumerate(layer.features)
    ]
    catalog.layers[LAYER] = dataclasses.replace(layer, features=changed)
    start = time.perf_counter()
    again = publish_catalog(catalog, target)
    changed_s = time.perf_counter() - start
    written = {name: c.as_dict() for name, c in again.counts.items() if c.written}
    return {
        "load_s": load_s,
        "first_s": first_s,
        "first_rows": first.rows_written,
        "noop_s": noop_s,
        "noop_rows": noop.rows_written,
        "changed_s": changed_s,
        "changed_rows": again.rows_written,
        "changed_tables": written,
        "phases_s": {"first": first.seconds, "noop": noop.seconds, "changed": again.seconds},
    }


def child_to_postgis(data: Path, url: str) -> dict:
    import geopandas
    import numpy as np
    from sqlalchemy import create_engine

    start = time.perf_counter()
    frame = geopandas.read_file(data / "layers" / f"{LAYER}.geojson", engine="pyogrio")
    read_s = time.perf_counter() - start
    for column in frame.columns:  # lists (country, sources) as JSON text: to_postgis binds scalars only
        if frame[column].dtype == object and frame[column].map(lambda v: isinstance(v, (list, np.ndarray))).any():
            frame[column] = frame[column].map(lambda v: json.dumps(list(v)) if v is not None else None)
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP SCHEMA IF EXISTS bench_gpd CASCADE; CREATE SCHEMA bench_gpd")
    start = time.perf_counter()
    frame.to_postgis(LAYER, engine, schema="bench_gpd", if_exists="replace", index=False)
    write_s = time.perf_counter() - start
    return {"read_s": read_s, "write_s": write_s}


def bench_size(n: int, url: str, work: Path, log) -> dict:
    data = work / f"data-{n}"
    start = time.perf_counter()
    # In a child: on Linux a process started from a big parent reports the parent's peak RSS as its own.
    make = "import sys; from bench import synth; synth.generate(sys.argv[1], int(sys.argv[2]), lines=0, polygons=0)"
    subprocess.run(
        [sys.executable, "-c", make, str(data), str(n)],
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=True,
    )
    log(f"N={n:,}: data in {time.perf_counter() - start:.1f} s")
    _reset(url)
    ours = run_child([sys.executable, __file__, "--child", "ours", str(data), url], env={"PYTHONPATH": str(REPO)})
    log(
        f"  ours: load {ours['load_s']:.1f} s, first {ours['first_s']:.1f} s ({ours['first_rows']:,} rows), "
        f"no-op {ours['noop_s']:.1f} s ({ours['noop_rows']} rows), changed {ours['changed_s']:.1f} s "
        f"({ours['changed_rows']:,} rows), peak {ours['peak_mb']:.0f} MB"
    )
    ogr = run_child(
        [
            "ogr2ogr",
            "-f",
            "PostgreSQL",
            f"PG:{_libpq_dsn(url)}",
            str(data / "layers" / f"{LAYER}.geojson"),
            "-nln",
            f"bench_ogr.{LAYER}",
            "-overwrite",
            "-lco",
            "GEOMETRY_NAME=geom",
            "-lco",
            "SPATIAL_INDEX=GIST",
            "-lco",
            "FID=fid",
            "--config",
            "PG_USE_COPY",
            "YES",
        ]
    )
    log(f"  ogr2ogr: {ogr['wall_s']:.1f} s, peak {ogr['peak_mb']:.0f} MB")
    gpd = run_child([sys.executable, __file__, "--child", "to_postgis", str(data), url], env={"PYTHONPATH": str(REPO)})
    log(f"  to_postgis: read {gpd['read_s']:.1f} s + write {gpd['write_s']:.1f} s, peak {gpd['peak_mb']:.0f} MB")
    shutil.rmtree(data, ignore_errors=True)
    return {"n": n, "ours": ours, "ogr2ogr": ogr, "to_postgis": gpd}


def _reset(url: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(url, autocommit=True) as conn:
        for schema in ("bench_ours", "bench_ogr", "bench_gpd"):
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
        conn.execute("CREATE SCHEMA bench_ogr")
        conn.execute("VACUUM")  # what earlier sizes left behind does not slow this one


def _database(base: str) -> str:
    import psycopg
    from psycopg import sql

    with psycopg.connect(base, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (BENCH_DB,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(BENCH_DB)))
    url = _with_database(base, BENCH_DB)
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CREATE EXTENSION IF NOT EXISTS postgis")
    return url


def rows_of(results: list[dict]) -> list[tuple]:
    rows = []
    for r in results:
        n, ours, ogr, gpd = r["n"], r["ours"], r["ogr2ogr"], r["to_postgis"]
        ratio = ours["first_s"] / ogr["wall_s"]
        end_to_end = ours["load_s"] + ours["first_s"]
        big = n >= 1_000_000
        changed_points = ours["changed_tables"].get(LAYER, {}).get("updated")
        only_points = set(ours["changed_tables"]) == {LAYER}
        rows += [
            (
                "first publish (catalog loaded)",
                n,
                f"{ours['first_s']:.2f} s",
                f"{ogr['wall_s']:.2f} s",
                f"{gpd['write_s']:.2f} s",
                f"{ratio:.2f}x",
                "<= 1.3x" if big else "",
                _pass(ratio <= 1.3) if big else "",
            ),
            (
                "load + first publish",
                n,
                f"{end_to_end:.2f} s",
                f"{ogr['wall_s']:.2f} s",
                f"{gpd['read_s'] + gpd['write_s']:.2f} s",
                f"{end_to_end / ogr['wall_s']:.2f}x",
                "",
                "",
            ),
            ("rows written by the first publish", n, f"{ours['first_rows']:,}", f"{n:,}", f"{n:,}", "-", "", ""),
            (
                "no-op republish",
                n,
                f"{ours['noop_s']:.2f} s, {ours['noop_rows']} rows",
                "-",
                "-",
                f"{ours['noop_s'] / ours['first_s']:.2f}x of first",
                "<= 0.5x, 0 rows",
                _pass(ours["noop_s"] <= 0.5 * ours["first_s"] and ours["noop_rows"] == 0),
            ),
            (
                f"republish, {min(CHANGED, n):,} features changed",
                n,
                f"{ours['changed_s']:.2f} s, {ours['changed_rows']:,} rows",
                "-",
                "-",
                "-",
                f"= {min(CHANGED, n):,} rows",
                _pass(changed_points == min(CHANGED, n) == ours["changed_rows"] and only_points),
            ),
            (
                "peak memory (RSS)",
                n,
                f"{ours['peak_mb']:.0f} MB",
                f"{ogr['peak_mb']:.0f} MB",
                f"{gpd['peak_mb']:.0f} MB",
                "",
                "",
                "",
            ),
        ]
    return rows


def _pass(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def markdown(rows: list[tuple], note: str) -> str:
    head = "| metric | N | geo publish | ogr2ogr | to_postgis | ours/ogr2ogr | target | pass |\n|---|--:|--:|--:|--:|--:|---|---|\n"
    body = "".join("| " + " | ".join(f"{c:,}" if isinstance(c, int) else str(c) for c in row) + " |\n" for row in rows)
    return f"{head}{body}\n{note}\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--db", default=os.environ.get("GEO_TEST_DATABASE_URL") or DEFAULT_URL)
    parser.add_argument("--name", default="publish")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "DATA", "URL"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, data, url = args.child
        result = (child_ours if kind == "ours" else child_to_postgis)(Path(data), url)
        print(json.dumps(result))
        return 0
    url = _database(args.db)
    work = RESULTS / "tmp"
    work.mkdir(parents=True, exist_ok=True)
    results = []
    load = [os.getloadavg()[0]]
    for n in args.sizes:
        results.append(bench_size(n, url, work, lambda line: print(line, flush=True)))
        _write(args.name, results, load)  # what finished is kept if a bigger size does not
    load.append(os.getloadavg()[0])
    _write(args.name, results, load)
    print(markdown(rows_of(results), ""))
    return 0


def _write(name: str, results: list[dict], load: list[float]) -> None:
    import psycopg

    gdal = subprocess.run(["ogr2ogr", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    environment = {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "gdal": gdal,
        "psycopg": psycopg.__version__,
        "loadavg_1m": load,
        "sizes_finished": [r["n"] for r in results],
    }
    note = (
        f"One run per size on {os.cpu_count()} cores; {gdal}; psycopg {psycopg.__version__}; "
        f"1-minute load average {', '.join(f'{x:.1f}' for x in load)}."
    )
    (RESULTS / f"{name}.json").write_text(json.dumps({"environment": environment, "results": results}, indent=1) + "\n")
    (RESULTS / f"{name}.md").write_text(markdown(rows_of(results), note))


if __name__ == "__main__":
    sys.exit(main())
