"""What the load test prints: the machine, each level in detail, and a closing table."""

import os
import platform
from dataclasses import dataclass
from pathlib import Path

import psutil

from bench.cpu import describe
from bench.live_feed import EVENT_DELAY
from bench.recorder import Recorder, Summary
from bench.server_metrics import ServerCounts
from bench.timing import percentile


@dataclass(frozen=True)
class Level:
    mix: str
    users: int
    total: Summary
    server: ServerCounts
    cpu: dict[str, float]
    """Percent of one core, by process (tree)."""
    load: float
    """The 1-minute load average at the end of the window."""
    pool: tuple[float, float]
    """Database connections in use, and kept, as the window opened."""


def print_machine() -> None:
    memory = psutil.virtual_memory().total / 2**30
    print(
        f"machine: {os.cpu_count()} cores, {_cpu_model()}, {memory:.0f} GiB; "
        f"Python {platform.python_version()}; load average {_load()}"
    )


def print_level(recorder: Recorder, level: Level) -> None:
    print(f"  {'all':<22} {level.total.line()}")
    for operation, summary in recorder.by_operation().items():
        print(f"  {operation:<22} {summary.line()}")
    for (operation, error), n in sorted(recorder.errors.items()):
        print(f"  error: {operation}: {error} x{n}")
    delays = sorted(recorder.observations.get(EVENT_DELAY, []))
    if delays:
        print(
            f"  {EVENT_DELAY}: n={len(delays)} p50 {percentile(delays, 0.5) * 1000:.0f} ms "
            f"p95 {percentile(delays, 0.95) * 1000:.0f} ms (transfer sent -> own feed event)"
        )
    server = level.server
    print(
        f"  server: {server.requests:.0f} requests, SQL p95 {_ms(server.sql_p95_ms)} ms, "
        f"{server.sql_statements / max(server.requests, 1):.1f} statements/request; "
        f"cache hit rate {_percent(server.cache_hit_rate)} "
        f"({server.cache_breakdown() or 'no lookups'}; hits/misses)"
    )
    print(
        f"  database connections as the window opened: {level.pool[0]:.0f} in use, "
        f"{level.pool[1]:.0f} kept by the pools (each may add ELCORP_DB_MAX_OVERFLOW)"
    )
    print(f"  CPU, % of one core: {describe(level.cpu.items())}; load average {level.load:.2f}")


def print_table(levels: list[Level], ratio: float) -> None:
    print(
        "\n| mix | users | requests | req/s | p50 ms | p95 ms | p99 ms | errors | SQL p95 ms "
        "| cache hit rate | server CPU | load avg |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for level in levels:
        total = level.total
        print(
            f"| {level.mix} | {level.users} | {total.requests} | {total.per_second:.0f} | "
            f"{total.p50_ms:.0f} | {total.p95_ms:.0f} | {total.p99_ms:.0f} | {total.errors} | "
            f"{_ms(level.server.sql_p95_ms)} | {_percent(level.server.cache_hit_rate)} | "
            f"{level.cpu.get('server', 0):.0f}% | {level.load:.1f} |"
        )
    print(f"\n50 accounts x 20 transactions, server over HTTP / raw asyncpg (p50): {ratio:.1f}x")


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.1f}"


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{value:.1%}"


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown CPU"
