"""Periodic jobs run by one worker at a time: a PostgreSQL advisory lock per job, held on
its own connection while the job runs, and the time each job last started."""

import contextlib
import hashlib
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from persistence.shared.tables import ScheduledJobRow


def lock_key(job: str) -> int:
    """A stable signed 64-bit key per job name."""
    return int.from_bytes(
        hashlib.sha256(f"elcorp:job:{job}".encode()).digest()[:8], "big", signed=True
    )


class JobRuns:
    def __init__(self, connection: AsyncConnection) -> None:
        self._db = connection

    async def last_started(self, job: str) -> datetime | None:
        return await self._db.scalar(
            select(ScheduledJobRow.last_started_at).where(ScheduledJobRow.name == job)
        )

    async def started(self, job: str, at: datetime) -> None:
        await self._db.execute(
            upsert(ScheduledJobRow)
            .values(name=job, last_started_at=at)
            .on_conflict_do_update(
                index_elements=[ScheduledJobRow.name],
                set_={"last_started_at": at, "last_finished_at": None, "last_outcome": None},
            )
        )
        await self._db.commit()

    async def finished(
        self, job: str, at: datetime, outcome: str, counts: dict[str, Any] | None
    ) -> None:
        await self._db.execute(
            update(ScheduledJobRow)
            .where(ScheduledJobRow.name == job)
            .values(last_finished_at=at, last_outcome=outcome[:500], last_counts=counts)
        )
        await self._db.commit()


@contextlib.asynccontextmanager
async def exclusive(engine: AsyncEngine, job: str) -> AsyncIterator[JobRuns | None]:
    """The job's runs log while this process holds the job's lock; None when another does."""
    async with engine.connect() as connection:
        key = lock_key(job)
        locked = await connection.scalar(select(func.pg_try_advisory_lock(key)))
        await connection.commit()
        if not locked:
            yield None
            return
        try:
            yield JobRuns(connection)
        finally:
            await connection.rollback()
            await connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": key})
            await connection.commit()
