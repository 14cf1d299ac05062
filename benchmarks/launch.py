"""Running one measured process at a time: wall time around it and its own peak RSS (os.wait4).

Every side of a benchmark runs as its own process (interpreter start and imports included), as a
user would run it, so what is measured is what a user waits for.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks import ROOT


@dataclass
class Run:
    seconds: float
    peak_rss_mb: float
    returncode: int
    cpu_s: float = 0.0  # user + system CPU of the child (wall time is distorted on a shared machine)


# Linux keeps the high-water RSS across fork+exec, so a child forked from this (grown) process would
# report at least our own RSS. Children are therefore started by a small launcher process that is
# started first, while we are still tiny; it times each child and reads its peak RSS with wait4.
_LAUNCHER = """
import json, os, subprocess, sys, time
for line in sys.stdin:
    job = json.loads(line)
    with open(job["log"], "ab") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(job["cmd"], env=job["env"], cwd=job["cwd"], stdout=out, stderr=out)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
    print(json.dumps([seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status),
                      usage.ru_utime + usage.ru_stime]), flush=True)
"""


class Launcher:
    """Runs one process at a time to the end: wall time around it, its own peak RSS (os.wait4)."""

    def __init__(self, log: Path) -> None:
        self.log = log
        self.proc = subprocess.Popen([sys.executable, "-c", _LAUNCHER], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)

    def run(self, cmd: list[str], *, env: dict[str, str] | None = None) -> Run:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        job = {"cmd": cmd, "env": dict(env if env is not None else os.environ), "cwd": str(ROOT),
               "log": str(self.log)}
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        seconds, rss_kb, rc, cpu = json.loads(self.proc.stdout.readline())
        if rc != 0:
            raise SystemExit(f"bench: {' '.join(cmd[:4])} ... failed with exit code {rc}; see {self.log}")
        return Run(seconds, rss_kb / 1024, rc, cpu)

    def close(self) -> None:
        if self.proc.stdin:
            self.proc.stdin.close()
        self.proc.wait(timeout=30)


def child_cmd(kind: str, *args: str) -> list[str]:
    """A process of benchmarks.children (the launcher runs it from the repository root)."""
    return [sys.executable, "-m", "benchmarks.children", kind, *args]


def annotate_cmd(*args: str) -> list[str]:
    """`annotate ARGS` as a user runs it: the venv's console script, else `python -m incident_corpus`."""
    exe = Path(sys.executable).parent / "annotate"
    return [str(exe), *args] if exe.exists() else [sys.executable, "-m", "incident_corpus", *args]


def best(fn: Callable[[], Run], repeat: int) -> Run:
    """The fastest of `repeat` runs (the machine is shared; the slow ones measure the neighbours)."""
    runs = [fn() for _ in range(max(1, repeat))]
    return min(runs, key=lambda r: r.seconds)
