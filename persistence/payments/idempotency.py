"""Idempotency records: one per principal and key, written in the command's transaction."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.payments.tables import IdempotencyRecordRow


@dataclass(frozen=True)
class StoredOutcome:
    request_hash: str
    outcome: dict[str, Any]


class IdempotencyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def claim(
        self, principal: str, key: str, operation: str, request_hash: str, at: datetime
    ) -> StoredOutcome | None:
        """None when this call owns the key; else the committed earlier outcome. A
        concurrent duplicate waits on the key's unique index until the first commits."""
        claimed = await self._db.scalar(
            insert(IdempotencyRecordRow)
            .values(
                principal=principal,
                key=key,
                operation=operation,
                request_hash=request_hash,
                outcome={},
                created_at=at,
            )
            .on_conflict_do_nothing()
            .returning(IdempotencyRecordRow.key)
        )
        if claimed is not None:
            return None
        row = await self._db.scalar(
            select(IdempotencyRecordRow).where(
                IdempotencyRecordRow.principal == principal, IdempotencyRecordRow.key == key
            )
        )
        assert row is not None
        return StoredOutcome(row.request_hash, row.outcome)

    async def complete(self, principal: str, key: str, outcome: dict[str, Any]) -> None:
        row = await self._db.get(IdempotencyRecordRow, (principal, key))
        assert row is not None
        row.outcome = outcome
