"""Who used the machine's cores during a run: the server, its worker, PostgreSQL, and the
load generator itself (all on the same two cores). Counted by process: one that ends
during the run (a PostgreSQL backend whose connection closed) takes its share with it."""

import contextlib
import os
import resource
from collections.abc import Iterable
from pathlib import Path

import psutil


class CpuMeter:
    def __init__(self, roots: dict[str, int]) -> None:
        """`roots`: a name -> the pid of a process that, with its children, is measured."""
        self._roots = roots
        self._before: dict[str, dict[int, float]] = {}

    @classmethod
    def of(cls, processes: dict[str, int | None]) -> "CpuMeter":
        return cls({name: pid for name, pid in processes.items() if pid is not None})

    def start(self) -> None:
        self._before = self._now()

    def percent_of_a_core(self, seconds: float) -> dict[str, float]:
        used = {}
        for name, by_pid in self._now().items():
            before = self._before.get(name, {})
            spent = sum(total - before.get(pid, 0.0) for pid, total in by_pid.items())
            used[name] = 100 * spent / seconds
        return used

    def _now(self) -> dict[str, dict[int, float]]:
        used = {name: _tree_seconds(pid) for name, pid in self._roots.items()}
        own = resource.getrusage(resource.RUSAGE_SELF)
        return {**used, "load generator": {os.getpid(): own.ru_utime + own.ru_stime}}


def postmaster_pid(data_dir: Path) -> int | None:
    """The embedded PostgreSQL's, from its postmaster.pid (None for an external one)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        return int((data_dir / "postmaster.pid").read_text().split()[0])
    return None


def _tree_seconds(pid: int) -> dict[int, float]:
    with contextlib.suppress(psutil.NoSuchProcess):
        root = psutil.Process(pid)
        return {p.pid: _seconds(p) for p in [root, *root.children(recursive=True)]}
    return {}


def _seconds(process: psutil.Process) -> float:
    with contextlib.suppress(psutil.NoSuchProcess):
        times = process.cpu_times()
        return float(times.user + times.system)
    return 0.0


def describe(usage: Iterable[tuple[str, float]]) -> str:
    return ", ".join(f"{name} {percent:.0f}%" for name, percent in usage)
