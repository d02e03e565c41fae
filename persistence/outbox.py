from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.shared.tables import OutboxEventRow


@dataclass(frozen=True)
class OutboxMessage:
    position: int
    event_id: UUID
    name: str
    aggregate_type: str
    aggregate_id: UUID
    payload: dict[str, Any]
    audience: tuple[UUID, ...]
    occurred_at: datetime
    attempts: int
    broadcast: bool

    def as_json(self) -> dict[str, Any]:
        return {
            "id": str(self.event_id),
            "position": self.position,
            "name": self.name,
            "aggregateType": self.aggregate_type,
            "aggregateId": str(self.aggregate_id),
            "payload": self.payload,
            "occurredAt": self.occurred_at.isoformat(),
        }


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def claim_due(self, now: datetime, limit: int) -> list[OutboxMessage]:
        """Locks due rows for this transaction; other dispatchers skip them."""
        rows = await self._session.scalars(
            select(OutboxEventRow)
            .where(
                OutboxEventRow.dispatched_at.is_(None),
                OutboxEventRow.abandoned_at.is_(None),
                OutboxEventRow.available_at <= now,
            )
            .order_by(OutboxEventRow.position)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_message(row) for row in rows]

    async def mark_dispatched(self, positions: list[int], now: datetime) -> None:
        if positions:
            await self._session.execute(
                update(OutboxEventRow)
                .where(OutboxEventRow.position.in_(positions))
                .values(dispatched_at=now, attempts=OutboxEventRow.attempts + 1)
            )

    async def mark_failed(
        self, position: int, error: str, retry_at: datetime | None, now: datetime
    ) -> None:
        """Schedules a retry at `retry_at`, or gives up when it is None."""
        await self._session.execute(
            update(OutboxEventRow)
            .where(OutboxEventRow.position == position)
            .values(
                attempts=OutboxEventRow.attempts + 1,
                last_error=error[:2000],
                available_at=retry_at if retry_at is not None else OutboxEventRow.available_at,
                abandoned_at=None if retry_at is not None else now,
            )
        )


def _message(row: OutboxEventRow) -> OutboxMessage:
    values = {field.name: getattr(row, field.name) for field in fields(OutboxMessage)}
    return OutboxMessage(**{**values, "audience": tuple(row.audience)})
