"""Run a command and write its wall time and its own peak RSS to a JSON file: the child of a small process.

    python bench/measured.py RESULT.json CMD [ARGS...]

Linux counts into a child's peak RSS (ru_maxrss) the memory of the process that forked it, as it
was at the fork: a benchmark that generated a million features in its own memory and then forked
`geo build` would report its own size, not the build's. Started from this small process instead,
the command's figure is its own. Its standard streams are the command's; the exit status too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    result, cmd = argv[0], argv[1:]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    with open(result, "w", encoding="utf-8") as handle:
        json.dump({"wall_s": wall, "peak_kb": usage.ru_maxrss, "returncode": code}, handle)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
