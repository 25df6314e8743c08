"""Interrupted, failing and concurrent runs of build and export: after each, a rerun succeeds and
every file matches its ledger (manifest.json, .build-stamp.json); nothing the tool did not write
is destroyed.

A real kill -9 comes from the test seam tests/faults.py in a forked child (the catalog is loaded
once, so a kill costs a fork, not an interpreter start); one smoke test kills a real process
running the command (`python -m tests.faults journal export ...`).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from geo.errors import OutputError
from geo.export import ExportUsageError, export_catalog
from geo.outdir import (
    JOURNAL_NAME,
    LOCK_NAME,
    STAGE_NAME,
    OutputBusy,
    OutputDir,
    acquire_lock,
    release_lock,
)
from geo.webmap.build import build_maps
from tests.conftest import DATA, ROOT, run_geo
from tests.faults import kill_at

EARLIER = {"formats": ["csv", "geojson"], "layers": None}  # an earlier complete export
LATER = {"formats": ["csv", "kml", "kmz"], "layers": ["dams", "cities"]}  # the run that is interrupted


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): _sha(p) for p in sorted(root.rglob("*")) if p.is_file()}


def _visible(root: Path) -> dict[str, str]:
    """The files a reader of --out sees: not the lock, not the staging folder."""
    return {k: v for k, v in _tree(root).items() if k != LOCK_NAME and not k.startswith(STAGE_NAME)}


def _no_leftovers(root: Path) -> None:
    names = [p.relative_to(root).as_posix() for p in root.rglob("*")]
    assert not [n for n in names if STAGE_NAME in n or JOURNAL_NAME in n or LOCK_NAME in n or n.endswith(".tmp")], names
    assert not [n for n in names if ".geo-export-" in n], names


def assert_matches_manifest(out: Path, extra: set[str] = frozenset()) -> dict:
    """Every file is listed with its sha256, every listed file is there, and nothing else (but `extra`)."""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry["sha256"] for entry in manifest["files"]}
    on_disk = _tree(out)
    assert set(on_disk) - extra == set(listed) | {"manifest.json"}
    assert all(on_disk[path] == sha for path, sha in listed.items())
    _no_leftovers(out)
    return manifest


def assert_matches_stamp(out: Path) -> None:
    stamp = json.loads((out / ".build-stamp.json").read_text(encoding="utf-8"))
    on_disk = _tree(out)
    assert set(on_disk) == set(stamp["files"]) | {".build-stamp.json"}
    assert all(on_disk[name] == sha for name, sha in stamp["files"].items())
    _no_leftovers(out)


def killed_at(step: str, work) -> None:
    """Run `work` in a forked child that tests/faults.py kills with SIGKILL at that step."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        try:
            kill_at(step)
            work()
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, f"the run was not killed at {step}"


# -- kill -9 ------------------------------------------------------------------------------------

EXPORT_STEPS = ["stage-1", "stage-4", "journal", "first-move", "moves"]  # stage-N: the Nth format job staged


@pytest.mark.parametrize("earlier", [True, False], ids=["over-an-earlier-export", "first-export"])
@pytest.mark.parametrize("step", EXPORT_STEPS)
def test_an_export_killed_at_any_step_is_finished_by_the_next_run(catalog, tmp_path, step, earlier):
    out = tmp_path / "dist"
    if earlier:
        export_catalog(catalog, out, bbox=None, **EARLIER)
        before = _tree(out)
    killed_at(step, lambda: export_catalog(catalog, out, bbox=None, **LATER))
    if step.startswith("stage-"):  # killed before the commit: a reader sees the earlier state
        assert _visible(out) == (before if earlier else {})
    if step == "first-move" and earlier:  # the manifest is moved last: still the earlier one
        assert _visible(out)["manifest.json"] == before["manifest.json"]
    lines: list[str] = []
    report = export_catalog(catalog, out, bbox=None, progress=lines.append, **LATER)
    assert report.failures == []
    manifest = assert_matches_manifest(out)
    assert manifest["formats"] == ["kml", "kmz", "csv"]
    assert {entry["path"] for entry in manifest["files"]} == {
        "atlas.kml",
        "atlas.kmz",
        "csv/cities.csv",
        "csv/dams.csv",
    }


BUILD_STEPS = ["stage-1", "journal", "first-move"]  # stage-1: the first page staged


@pytest.mark.parametrize("step", BUILD_STEPS)
def test_a_build_killed_at_any_step_is_finished_by_the_next_run(catalog, tmp_path, step):
    out = tmp_path / "maps"
    build_maps(catalog, out, names=["corridors"])
    killed_at(step, lambda: build_maps(catalog, out, names=["overview"]))
    build_maps(catalog, out, names=["overview"])
    assert_matches_stamp(out)
    assert {"corridors.html", "overview.html", "index.html"} <= set(_tree(out))


def test_ctrl_c_during_an_export_leaves_the_earlier_export_and_no_lock(catalog, tmp_path, monkeypatch):
    from geo.export.formats import FORMATS
    from geo.export.formats.base import Format, Job

    out = tmp_path / "dist"
    export_catalog(catalog, out, bbox=None, **EARLIER)
    before = _tree(out)

    def interrupted(temps):
        temps[0].write_bytes(b"half a file")
        raise KeyboardInterrupt

    kml = FORMATS["kml"]
    monkeypatch.setitem(
        FORMATS,
        "kml",
        Format("kml", kml.title, lambda ctx: [Job(j.format, j.layer, j.paths, interrupted) for j in kml.plan(ctx)]),
    )
    with pytest.raises(KeyboardInterrupt):
        export_catalog(catalog, out, bbox=None, **LATER)
    assert _tree(out) == before  # no staging, no lock, no half file
    monkeypatch.undo()
    assert export_catalog(catalog, out, bbox=None, **LATER).failures == []
    assert_matches_manifest(out)


def test_a_real_kill_of_the_command_is_recovered_by_the_next_command(tmp_path):
    out = tmp_path / "dist"
    args = ("export", "--out", str(out), "--format", "geojson", "--layer", "dams")
    killed = subprocess.run(  # a real process, really killed
        [sys.executable, "-m", "tests.faults", "journal", *args], cwd=ROOT, capture_output=True, text=True, timeout=600
    )
    assert killed.returncode == -signal.SIGKILL
    assert (out / JOURNAL_NAME).is_file() and (out / LOCK_NAME).is_file()
    again = run_geo(*args)
    assert again.returncode == 0, again.stderr
    assert "took over the lock of an interrupted `geo export`" in again.stdout
    assert "finished the interrupted `geo export`" in again.stdout
    assert_matches_manifest(out)


def test_leftovers_of_earlier_versions_are_removed(catalog, tmp_path):
    out = tmp_path / "maps"
    out.mkdir()
    (out / ".overview.html.k3j_x9a2.tmp").write_bytes(b"x" * 1000)  # a killed write_bytes_atomic
    (out / ".geo-export-atlas.gpkg.abc123").mkdir()
    (out / ".geo-export-atlas.gpkg.abc123" / "atlas.gpkg").write_bytes(b"half")
    build_maps(catalog, out, names=["corridors"])
    assert_matches_stamp(out)


# -- full disk, read-only, vanished ---------------------------------------------------------------


def _enospc(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_full_disk_during_a_format_costs_that_format_and_the_rerun_succeeds(catalog, tmp_path, monkeypatch):
    from geo.export.formats import FORMATS
    from geo.export.formats.base import Format, Job

    out = tmp_path / "dist"
    export_catalog(catalog, out, bbox=None, **EARLIER)
    kml = FORMATS["kml"]
    full = Format("kml", kml.title, lambda ctx: [Job(j.format, j.layer, j.paths, _enospc) for j in kml.plan(ctx)])
    monkeypatch.setitem(FORMATS, "kml", full)  # the KML writer finds the disk full
    report = export_catalog(catalog, out, bbox=None, **LATER)
    assert len(report.failures) == 1 and "No space left on device" in report.failures[0]
    assert_matches_manifest(out)
    monkeypatch.undo()
    assert export_catalog(catalog, out, bbox=None, **LATER).failures == []
    assert_matches_manifest(out)


@pytest.mark.parametrize("command", ["build", "export", "render"])
def test_a_full_disk_at_the_commit_leaves_the_previous_state_and_exits_1(catalog, tmp_path, monkeypatch, command):
    out = tmp_path / "out"
    args = ["--data", str(DATA), command, "--out", str(out)]
    args += {"build": ["overview"], "export": ["--format", "csv", "--layer", "dams"],
             "render": ["kazakhstan-tajikistan", "--dpi", "50", "--format", "svg"]}[command]  # fmt: skip
    assert run_geo(*args).returncode == 0
    before = _tree(out)
    monkeypatch.setattr("geo.outdir.write_bytes_atomic", _enospc)  # the journal's write
    result = run_geo(*[*args, "--force"] if command == "build" else args)
    assert result.returncode == 1, result.output
    assert "No space left on device" in result.output and "Traceback" not in result.output
    assert _tree(out) == before
    monkeypatch.undo()
    assert run_geo(*[*args, "--force"] if command == "build" else args).returncode == 0
    if command == "build":
        assert_matches_stamp(out)
    elif command == "export":
        assert_matches_manifest(out)
    else:  # the render's ledger lists the image with the sha256 it has
        ledger = json.loads((out / ".render-manifest.json").read_text(encoding="utf-8"))["files"]
        assert ledger == {"kazakhstan-tajikistan.svg": _sha(out / "kazakhstan-tajikistan.svg")}


def _as_nobody(work, cwd: Path) -> dict:
    """Run `work` in a child that is not root (root may write anywhere), in `cwd`; return what it
    returned. The child enters `cwd` before it gives up root: pytest's tmp dir lies under a
    directory only root may traverse, so the child names its files relative to where it stands."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            os.chdir(cwd)
            if os.geteuid() == 0:
                os.setgid(65534)
                os.setuid(65534)
            os.environ["HOME"] = "/nonexistent"
            with os.fdopen(write, "w", encoding="utf-8") as pipe:
                try:
                    answer = work()
                except BaseException as exc:  # shown to the parent, not lost with the child
                    answer = {"error": f"{type(exc).__name__}: {exc}"}
                pipe.write(json.dumps(answer))
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, encoding="utf-8") as pipe:
        answer = pipe.read()
    os.waitpid(pid, 0)
    return json.loads(answer)


@pytest.mark.parametrize("command", ["build", "export"])
def test_a_read_only_out_exits_1_with_a_message(catalog, command, monkeypatch, tmp_path):
    import shutil

    base = tmp_path / "run"
    base.mkdir()
    out = base / "out"
    # The user nobody must be able to read the data: the checkout may sit under a private
    # directory (a 0700 home or mktemp -d), so give it a copy beside --out.
    data = base / "data"
    shutil.copytree(DATA, data)
    args = ["--data", "data", command, "--out", "out"]  # relative to base, where the runs stand
    args += ["overview"] if command == "build" else ["--format", "csv", "--layer", "dams"]
    assert run_geo(*args, cwd=base).returncode == 0
    before = _tree(out)
    # The build hashes the package's own sources for its stamp; nobody may not be able to read a
    # private checkout, and the point here is the write into --out: hash them now, as root.
    import geo.webmap.build

    inputs = geo.webmap.build.inputs_hash({}, False)
    monkeypatch.setattr(geo.webmap.build, "inputs_hash", lambda *args, **kwargs: inputs)
    base.chmod(0o755)
    out.chmod(0o555)
    try:
        got = _as_nobody(
            lambda: (lambda r: {"code": r.returncode, "output": r.output})(
                run_geo(*([*args, "--force"] if command == "build" else args), cwd=Path("."))
            ),
            base,
        )
    finally:
        out.chmod(0o755)
    assert _tree(out) == before
    assert got.get("code") == 1, got
    assert "Permission denied" in got["output"] and "Traceback" not in got["output"]


def test_an_out_that_vanishes_mid_run_is_an_error_not_a_traceback(catalog, tmp_path, monkeypatch):
    import shutil

    out = tmp_path / "dist"
    real = OutputDir.stage_bytes

    def vanish(self, relative, payload):
        shutil.rmtree(out)
        return real(self, relative, payload)

    monkeypatch.setattr(OutputDir, "stage_bytes", vanish)  # the manifest is staged with stage_bytes
    with pytest.raises(OutputError, match="could not write"):
        export_catalog(catalog, out, formats=["csv"], layers=["dams"], bbox=None)


# -- one writer at a time -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "holder"), [("build", "export"), ("export", "export"), ("render", "build"), ("build", "render")]
)
def test_a_second_run_on_a_locked_out_exits_1_and_touches_nothing(catalog, tmp_path, command, holder):
    """One writer at a time, whichever two commands race for one --out (a render while a build runs...)."""
    out = tmp_path / "out"
    out.mkdir()
    lock = acquire_lock(out, holder)
    options = {
        "export": ["--format", "csv"],
        "render": ["corridors", "--dpi", "50", "--format", "svg"],
        "build": ["corridors"],
    }
    try:
        args = ["--data", str(DATA), command, "--out", str(out), *options[command]]
        result = run_geo(*args)
        assert result.returncode == 1, result.output
        assert f"is in use by `geo {holder}` (pid {os.getpid()} on {socket.gethostname()})" in result.output
        assert sorted(p.name for p in out.iterdir()) == [LOCK_NAME]
    finally:
        release_lock(lock)
    assert run_geo(*args).returncode == 0


def test_a_stale_lock_of_a_dead_run_is_taken_over(catalog, tmp_path):
    out = tmp_path / "dist"
    out.mkdir()
    (out / LOCK_NAME).write_text(json.dumps({"pid": 999999, "host": socket.gethostname(), "command": "export"}))
    lines: list[str] = []
    export_catalog(catalog, out, formats=["csv"], layers=["dams"], bbox=None, progress=lines.append)
    assert "took over the lock of an interrupted `geo export` (pid 999999)" in lines
    assert_matches_manifest(out)


def test_two_concurrent_exports_never_mix_their_outputs(catalog, tmp_path):
    out = tmp_path / "dist"
    pids = []
    for formats in (["csv", "geojson"], ["csv", "kml"]):
        pid = os.fork()
        if pid == 0:
            code = 0
            try:
                export_catalog(catalog, out, formats=formats, layers=None, bbox=None)
            except OutputBusy:
                code = 3
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        pids.append(pid)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    assert sorted(codes) in ([0, 0], [0, 3]), codes  # one after the other, or the second refused
    manifest = assert_matches_manifest(out)
    assert manifest["formats"] in (["geojson", "csv"], ["kml", "csv"])


# -- never destroy what the tool did not write ----------------------------------------------------


def test_an_edited_export_file_is_kept_and_reported(catalog, tmp_path):
    out = tmp_path / "dist"
    export_catalog(catalog, out, formats=["csv", "geojson"], layers=None, bbox=None)
    edited = out / "csv" / "cities.csv"
    edited.write_text("my edit\n", encoding="utf-8")
    lines: list[str] = []
    export_catalog(catalog, out, formats=["geojson"], layers=None, bbox=None, progress=lines.append)
    assert edited.read_text(encoding="utf-8") == "my edit\n"
    assert any(line.startswith("kept csv/cities.csv") for line in lines)
    assert not (out / "csv" / "dams.csv").exists()  # unchanged: still the export's to remove
    assert_matches_manifest(out, extra={"csv/cities.csv"})
    with pytest.raises(ExportUsageError, match=r"csv/cities\.csv \(not written by `geo export`\)"):
        export_catalog(catalog, out, formats=["csv"], layers=None, bbox=None)
    assert edited.read_text(encoding="utf-8") == "my edit\n"
    export_catalog(catalog, out, formats=["csv"], layers=None, bbox=None, force=True)
    assert edited.read_text(encoding="utf-8") != "my edit\n"
    assert_matches_manifest(out)


def test_a_changed_file_the_manifest_lists_is_refused_unless_force(catalog, tmp_path):
    out = tmp_path / "dist"
    export_catalog(catalog, out, formats=["csv"], layers=["dams"], bbox=None)
    (out / "csv" / "dams.csv").write_text("mine now\n", encoding="utf-8")
    result = run_geo("--data", str(DATA), "export", "--out", str(out), "--format", "csv", "--layer", "dams")
    assert result.returncode == 2
    assert "csv/dams.csv (changed since `geo export` wrote it)" in result.output
    assert (out / "csv" / "dams.csv").read_text(encoding="utf-8") == "mine now\n"


def test_a_forged_manifest_entry_deletes_nothing(catalog, tmp_path):
    out = tmp_path / "dist"
    export_catalog(catalog, out, formats=["csv"], layers=["dams"], bbox=None)
    (out / "notes.txt").write_text("my notes\n", encoding="utf-8")
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"].append({"path": "notes.txt", "sha256": "0" * 64, "bytes": 9, "format": "csv", "layer": None})
    manifest["files"].append({"path": "../outside.txt", "sha256": "0" * 64, "bytes": 9, "format": "csv", "layer": None})
    (tmp_path / "outside.txt").write_text("outside\n", encoding="utf-8")
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    export_catalog(catalog, out, formats=["geojson"], layers=["dams"], bbox=None, force=True)
    assert (out / "notes.txt").read_text(encoding="utf-8") == "my notes\n"
    assert (tmp_path / "outside.txt").read_text(encoding="utf-8") == "outside\n"


def test_build_refuses_to_overwrite_a_page_it_did_not_write(tmp_path):
    (tmp_path / "index.html").write_text("<p>my own index</p>", encoding="utf-8")
    result = run_geo("--data", str(DATA), "build", "--out", str(tmp_path), "corridors")
    assert result.returncode == 2, result.output
    assert "refusing to overwrite index.html (not written by `geo build`)" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.html"]
    assert (tmp_path / "index.html").read_text(encoding="utf-8") == "<p>my own index</p>"
    assert run_geo("--data", str(DATA), "build", "--out", str(tmp_path), "corridors", "--force").returncode == 0
    assert_matches_stamp(tmp_path)


def test_build_and_export_refuse_the_data_directory_with_the_same_words(tmp_path):
    build = run_geo("--data", str(DATA), "build", "--out", str(DATA / "maps"))
    export = run_geo("--data", str(DATA), "export", "--out", str(DATA / "maps"))
    assert build.returncode == export.returncode == 2
    words = f"refusing to write into the data directory: --out {DATA / 'maps'} is inside the data directory"
    assert words in build.output and words in export.output
    assert not (DATA / "maps").exists()


@pytest.fixture
def small_disk(tmp_path):
    """A 1000 kB tmpfs: room for one GeoPackage + GeoJSON export (about 690 kB), not for staging a second."""
    import subprocess

    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root (the injected-ENOSPC tests above cover the same paths)")
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=1000k", "tmpfs", str(mount)], capture_output=True, text=True
    )
    if done.returncode != 0:
        pytest.skip(f"this machine does not allow mounting a tmpfs ({done.stderr.strip()}); ENOSPC is injected above")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_really_full_disk_leaves_a_state_the_next_run_finishes(catalog, small_disk):
    import subprocess

    out = small_disk / "dist"
    formats = ["gpkg", "geojson"]
    assert export_catalog(catalog, out, formats=formats, layers=None, bbox=None).failures == []
    try:
        report = export_catalog(catalog, out, formats=formats, layers=None, bbox=None)
    except OutputError as exc:  # or the disk was full when the journal or the manifest was due
        message = str(exc)
    else:
        message = "No space left on device" if report.failures else "no failure"  # GDAL words it its own way
    assert "No space left on device" in message
    assert_matches_manifest(out)
    subprocess.run(["mount", "-o", "remount,size=20m", str(small_disk)], check=True)
    assert export_catalog(catalog, out, formats=formats, layers=None, bbox=None).failures == []
    assert_matches_manifest(out)
