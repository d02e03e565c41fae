"""Periodic jobs: on their interval, in one worker at a time, a failure logged, reported and
survived."""

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from domain.shared.clock import FixedClock
from persistence.shared.tables import ScheduledJobRow
from server.app import Runtime
from server.scheduler import ScheduledJob, Scheduler
from tests.support.sentry import captured_sentry_events


def counting_job(
    runs: list[datetime], *, name: str = "count", pause_s: float = 0.0
) -> ScheduledJob:
    async def run(now: datetime) -> dict[str, int]:
        runs.append(now)
        await asyncio.sleep(pause_s)
        return {"runs": len(runs)}

    return ScheduledJob(name, timedelta(minutes=10), run)


async def test_a_job_runs_when_due_and_not_again_before_its_interval(runtime: Runtime) -> None:
    clock = FixedClock(datetime(2026, 6, 1, 12, tzinfo=UTC))
    runs: list[datetime] = []
    scheduler = Scheduler(runtime.engine, [counting_job(runs)], clock)

    first = await scheduler.run_due()
    clock.advance(timedelta(minutes=9))
    early = await scheduler.run_due()
    clock.advance(timedelta(minutes=1))
    later = await scheduler.run_due()

    assert (first, early, later) == (["count"], [], ["count"])
    assert runs == [datetime(2026, 6, 1, 12, tzinfo=UTC), datetime(2026, 6, 1, 12, 10, tzinfo=UTC)]


async def test_two_workers_never_run_one_job_at_the_same_time(runtime: Runtime) -> None:
    clock = FixedClock(datetime(2026, 6, 1, 12, tzinfo=UTC))
    runs: list[datetime] = []
    job = counting_job(runs, pause_s=0.3)
    workers = [Scheduler(runtime.engine, [job], clock) for _ in range(4)]

    ran = await asyncio.gather(*(worker.run_due() for worker in workers))

    assert len(runs) == 1
    assert sorted(ran) == [[], [], [], ["count"]]


async def test_a_failing_job_is_logged_and_the_others_still_run(runtime: Runtime) -> None:
    clock = FixedClock(datetime(2026, 6, 1, 12, tzinfo=UTC))
    runs: list[datetime] = []

    async def broken(now: datetime) -> None:
        raise RuntimeError("disk full")

    scheduler = Scheduler(
        runtime.engine,
        [ScheduledJob("broken", timedelta(hours=1), broken), counting_job(runs)],
        clock,
    )

    with captured_sentry_events() as sentry:
        ran = await scheduler.run_due()
    async with runtime.services.session_factory() as session:
        outcomes = dict(
            (
                await session.execute(select(ScheduledJobRow.name, ScheduledJobRow.last_outcome))
            ).all()
        )

    assert ran == ["broken", "count"]
    assert outcomes == {"broken": "failed: RuntimeError('disk full')", "count": "ok"}
    (reported,) = sentry.events()
    assert reported["tags"]["log_event"] == "scheduled_job_failed"
    assert reported["exception"]["values"][0]["value"] == "disk full"
