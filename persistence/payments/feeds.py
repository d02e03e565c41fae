"""Reads of the append-only event tables that live subscriptions stream from."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.payments.model import TransactionStatus
from domain.payments.reads import StatusChange
from persistence.payments.tables import (
    TransactionEventRow,
    TransactionFeedHeadRow,
    TransactionFeedRow,
)


class FeedQueries:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def head(self, user_id: UUID) -> int:
        """The user's latest feed number (0 before their first)."""
        (last,) = await self.heads([user_id])
        return last

    async def heads(self, user_ids: Sequence[UUID]) -> list[int]:
        rows = await self._db.execute(
            select(TransactionFeedHeadRow.user_id, TransactionFeedHeadRow.last_seq).where(
                TransactionFeedHeadRow.user_id.in_(user_ids)
            )
        )
        found: dict[UUID, int] = dict(rows.all())
        return [int(found.get(user_id, 0)) for user_id in user_ids]

    async def feed_after(self, user_id: UUID, after: int, limit: int) -> list[StatusChange]:
        rows = await self._db.scalars(
            select(TransactionFeedRow)
            .where(TransactionFeedRow.user_id == user_id, TransactionFeedRow.seq > after)
            .order_by(TransactionFeedRow.seq)
            .limit(limit)
        )
        return [_change(row, row.transaction_seq, row.seq) for row in rows]

    async def changes_after(self, transaction_id: UUID, after: int) -> list[StatusChange]:
        rows = await self._db.scalars(
            select(TransactionEventRow)
            .where(
                TransactionEventRow.transaction_id == transaction_id,
                TransactionEventRow.seq > after,
            )
            .order_by(TransactionEventRow.seq)
        )
        return [_change(row, row.seq) for row in rows]


def _change(
    row: TransactionEventRow | TransactionFeedRow, seq: int, feed_seq: int | None = None
) -> StatusChange:
    return StatusChange(
        transaction_id=row.transaction_id,
        seq=seq,
        status=TransactionStatus(row.status),
        occurred_at=row.occurred_at,
        feed_seq=feed_seq,
    )
