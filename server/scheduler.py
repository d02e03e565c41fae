"""Runs the periodic jobs (SLA breaches, audit checkpoints, retention, …) from `elcorp worker`
and, in development, in-process. However many workers run, a job runs in one at a time and
no more often than its interval."""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.shared.clock import Clock
from persistence.shared.scheduling import exclusive

log = structlog.get_logger(__name__)

JobCounts = dict[str, Any] | None


@dataclass(frozen=True)
class ScheduledJob:
    name: str
    interval: timedelta
    run: Callable[[datetime], Awaitable[JobCounts]]
    """Does one round of work as of the given time; returns counts for the run log."""


class Scheduler:
    def __init__(
        self,
        engine: AsyncEngine,
        jobs: Sequence[ScheduledJob],
        clock: Clock,
        *,
        tick_s: float = 1.0,
    ) -> None:
        self._engine = engine
        self._jobs = tuple(jobs)
        self._clock = clock
        self._tick_s = tick_s

    async def run_due(self) -> list[str]:
        """Runs every job whose interval has passed; returns the names of those it ran."""
        ran = []
        for job in self._jobs:
            if await self._run_if_due(job):
                ran.append(job.name)
        return ran

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.run_due()
            except Exception:
                log.exception("scheduler_round_failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self._tick_s)

    async def _run_if_due(self, job: ScheduledJob) -> bool:
        async with exclusive(self._engine, job.name) as runs:
            if runs is None:
                return False
            now = self._clock.now()
            last = await runs.last_started(job.name)
            if last is not None and now - last < job.interval:
                return False
            await runs.started(job.name, now)
            try:
                counts = await job.run(now)
            except Exception as error:
                log.exception("scheduled_job_failed", job=job.name)
                await runs.finished(job.name, self._clock.now(), f"failed: {error!r}", None)
                return True
            await runs.finished(job.name, self._clock.now(), "ok", counts)
            log.info("scheduled_job_ran", job=job.name, counts=counts)
            return True
