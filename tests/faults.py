"""Fault injection for the tests: kill -9 the running process at a named step of a run, by wrapping
the functions that step runs through. Production code has no hook for it.

Steps: "journal" (the commit's journal is on disk, nothing moved yet), "first-move" (one staged file
moved into place), "moves" (every file moved and every stale file removed, the journal not yet
deleted), "stage-N" (the Nth staging of a run is done: a page of a build, a job of an export),
"pull-file-N" (`geo pull` has written N files into its staging directory).

`python -m tests.faults STEP ARGS...` runs `geo ARGS...` in a real process that dies at STEP.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import geo.outdir


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def kill_at(step: str) -> None:
    """Arrange for this process to die at `step`; meant for a forked child or a process of its own."""
    if step == "journal":
        write = geo.outdir.write_bytes_atomic

        def write_then_die(path: Any, payload: bytes) -> None:
            write(path, payload)
            if path.name == geo.outdir.JOURNAL_NAME:
                _die()

        geo.outdir.write_bytes_atomic = write_then_die
    elif step == "first-move":
        replace = os.replace

        def replace_then_die(src: Any, dst: Any, *args: Any, **kwargs: Any) -> None:
            replace(src, dst, *args, **kwargs)
            if f"/{geo.outdir.STAGE_NAME}/" in os.fspath(src):
                _die()

        os.replace = replace_then_die
    elif step == "moves":
        geo.outdir.fsync_dir = lambda path: _die()  # _finish syncs the directory once all is moved
    elif step.startswith("stage-"):
        wanted = int(step.removeprefix("stage-"))
        stage: Callable[..., Any] = geo.outdir.OutputDir.stage
        done = 0

        @contextmanager
        def stage_then_die(self: geo.outdir.OutputDir, paths: Any) -> Iterator[Any]:
            nonlocal done
            with stage(self, paths) as temps:
                yield temps
            done += 1
            if done == wanted:
                _die()

        geo.outdir.OutputDir.stage = stage_then_die  # type: ignore[method-assign]
    elif step.startswith("pull-file-"):  # `geo pull` has written N files into its staging directory
        from geo.publish import pull

        wanted, written = int(step.removeprefix("pull-file-")), 0
        write_file = pull.write_file

        def write_then_die(path: Any, payload: bytes) -> None:
            nonlocal written
            write_file(path, payload)
            written += 1
            if written == wanted:
                _die()

        pull.write_file = write_then_die
    else:
        raise ValueError(f"no such step: {step}")


if __name__ == "__main__":
    from geo.cli import main

    kill_at(sys.argv[1])
    sys.argv = ["geo", *sys.argv[2:]]
    main()
