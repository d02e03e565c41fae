"""Settings the benchmarks share."""

from pathlib import Path
from typing import Any

from server.settings import Environment, QueryLimits, Settings

UNTHROTTLED = QueryLimits(budget_maximum=10**9, budget_restore_rate=10**6)
"""Benchmarks measure speed: costs are computed and reported, budgets never run out."""


def bench_settings(data_dir: Path, database_url: str, redis_url: str, **overrides: Any) -> Settings:
    """For a process that drives the benchmark: no dispatcher of its own, quiet logs."""
    return Settings(
        env=Environment.TEST,
        data_dir=data_dir,
        database_url=database_url,
        redis_url=redis_url,
        in_process_dispatcher=False,
        log_level="WARNING",
        **overrides,
    )
