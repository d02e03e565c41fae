"""Retention: rows past their policy's age are deleted in bounded batches, each batch its own
short transaction, and every run is audited with what it deleted. The audit log and the
ledger have no policy: nothing here can reach them."""

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from domain.shared.events import DomainEvent
from domain.shared.ids import new_id
from domain.shared.ports import EventRecorder

RETENTION_RAN = "compliance.retention_ran"
"""Its payload lists tables as values, not keys: the audit log redacts keys such as
`refresh_tokens` (they contain "token")."""


class Purge(Protocol):
    async def __call__(self, cutoff: datetime, limit: int) -> dict[str, int]:
        """Deletes, in one transaction, at most `limit` rows that ended before `cutoff`
        (with their dependent rows); counts what it deleted by table, zeros included."""


@dataclass(frozen=True)
class RetentionPolicy:
    """`table` rows go `keep_for` after they ended (expired, finished, dispatched, …)."""

    table: str
    keep_for: timedelta
    purge: Purge


class RetentionService:
    def __init__(self, policies: Sequence[RetentionPolicy], batch_size: int) -> None:
        if batch_size < 1:
            raise ValueError("batch_size must be positive")
        tables = [policy.table for policy in policies]
        if len(set(tables)) != len(tables):
            raise ValueError(f"Two retention policies share a table: {tables}")
        self._policies = tuple(policies)
        self._batch_size = batch_size

    async def run(
        self,
        now: datetime,
        unit_of_work: Callable[[], AbstractAsyncContextManager[EventRecorder]],
    ) -> dict[str, int]:
        """Deletes everything due as of `now`; running again at once deletes nothing."""
        deleted: dict[str, int] = {}
        for policy in self._policies:
            for table, count in (await self._drain(policy, now - policy.keep_for)).items():
                deleted[table] = deleted.get(table, 0) + count
        async with unit_of_work() as uow:
            uow.record(
                DomainEvent(
                    name=RETENTION_RAN,
                    aggregate_type="RetentionRun",
                    aggregate_id=new_id(),
                    occurred_at=now,
                    payload={
                        "deleted": [
                            {"table": table, "rows": rows} for table, rows in deleted.items()
                        ],
                        "policies": [
                            {"table": p.table, "keep_s": int(p.keep_for.total_seconds())}
                            for p in self._policies
                        ],
                    },
                    broadcast=False,
                )
            )
        return deleted

    async def _drain(self, policy: RetentionPolicy, cutoff: datetime) -> dict[str, int]:
        totals: dict[str, int] = {policy.table: 0}
        while True:
            batch = await policy.purge(cutoff, self._batch_size)
            for table, count in batch.items():
                totals[table] = totals.get(table, 0) + count
            if batch.get(policy.table, 0) < self._batch_size:
                return totals
