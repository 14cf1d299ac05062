"""How many CPUs this process may use, and how many other processes left free lately: the one
place that decides whether a worker process pays (pre-annotation, export, the model)."""

from __future__ import annotations

import math
import os
import time
from typing import NamedTuple


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity mask on Linux, else the CPU count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def spare_cpus(cpus: int, free: float) -> int:
    """CPUs a worker may take beside this process, given the CPU count and how many CPUs other
    processes left free lately (`free_cpus`).

    A worker pays only on an idle CPU: on a busy machine two processes of ours run no sooner than
    one (measured: 2 CPUs at load 8), and each burns ~20% more CPU time for the shared caches.
    """
    return max(0, min(cpus - 1, math.floor(free - 1 + 0.5)))


class _CpuMark(NamedTuple):
    wall: float
    idle: float  # CPU-seconds all CPUs spent idle since boot
    own: float  # CPU-seconds of this process and its finished children


_STAT_IDLE = (3, 4)  # idle, iowait: the columns of /proc/stat's "cpu" line that are not work
MIN_WINDOW_S = 0.2  # a shorter window is a handful of clock ticks: sampled up to this
MAX_WINDOW_S = 30.0  # an older mark says little about now: sampled afresh


def _cpu_mark() -> _CpuMark | None:
    """Now, in the terms `free_cpus` compares; None without /proc/stat (not Linux)."""
    try:
        import resource

        with open("/proc/stat", encoding="ascii") as fh:
            fields = fh.readline().split()
    except (ImportError, OSError):  # no resource module (Windows), no /proc/stat (macOS)
        return None
    if not fields or fields[0] != "cpu":
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    idle = sum(int(fields[1 + k]) for k in _STAT_IDLE if 1 + k < len(fields)) / ticks
    children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the finished worker of an earlier call
    own = time.process_time() + children.ru_utime + children.ru_stime
    return _CpuMark(time.monotonic(), idle, own)


_mark = _cpu_mark()  # at import: in a fresh process the window covers its start-up


def free_cpus(cpus: int) -> float:
    """CPUs that other processes left free since the last look (at import, or the last call).

    Measured, not guessed from the 1-minute load average: that still counts our own work of the last
    minute (after one 8-second run on 2 CPUs it reads ~1.5 for a minute, and the next run went
    without its worker). Idle CPU time plus this process's own, over the window, without /proc/stat
    (not Linux): the CPU count less the load average.
    """
    global _mark
    start = _mark
    if start is None or not MIN_WINDOW_S / 2 <= time.monotonic() - start.wall <= MAX_WINDOW_S:
        start = _cpu_mark()
    if start is not None and time.monotonic() - start.wall < MIN_WINDOW_S:
        time.sleep(MIN_WINDOW_S - (time.monotonic() - start.wall))
    end = _cpu_mark()
    if start is None or end is None:
        try:
            return max(0.0, cpus - os.getloadavg()[0] + 1)  # the load counts this process
        except (AttributeError, OSError):  # no load average (Windows)
            return float(cpus)
    _mark = end
    wall = max(end.wall - start.wall, 1e-9)
    return min(float(cpus), ((end.idle - start.idle) + (end.own - start.own)) / wall)
