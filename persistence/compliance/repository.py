from collections.abc import AsyncIterator, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import datetime

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from domain.compliance.audit import GENESIS_HASH, AuditEntry, ChainedEntry, chain_hash
from domain.shared.events import AuditRecord
from persistence.compliance.tables import AuditLogRow

AUDIT_APPEND_LOCK = 0x656C_636F_7270_0001  # "elcorp" + 1: serializes appends to the chain


@dataclass(frozen=True)
class AuditStamp:
    actor: str
    request_id: str | None
    ip: str | None
    occurred_at: datetime


class AuditLogRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def append(self, records: Sequence[AuditRecord], stamp: AuditStamp) -> list[ChainedEntry]:
        """Chains the records after the head; the advisory lock holds until commit."""
        if not records:
            return []
        await self._session.execute(
            text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_APPEND_LOCK}
        )
        head = (
            await self._session.execute(
                select(AuditLogRow.seq, AuditLogRow.hash).order_by(AuditLogRow.seq.desc()).limit(1)
            )
        ).first()
        seq, prev_hash = (head[0], head[1]) if head else (0, GENESIS_HASH)
        chained = []
        for record in records:
            seq += 1
            entry = AuditEntry(
                seq=seq,
                occurred_at=stamp.occurred_at,
                actor=stamp.actor,
                action=record.action,
                entity_type=record.entity_type,
                entity_id=record.entity_id,
                changes=record.changes,
                request_id=stamp.request_id,
                ip=stamp.ip,
            )
            digest = chain_hash(prev_hash, entry)
            chained.append(ChainedEntry(entry, prev_hash, digest))
            prev_hash = digest
        await self._session.execute(insert(AuditLogRow), [_to_row(item) for item in chained])
        return chained

    async def last_seq(self) -> int:
        return int(await self._session.scalar(select(func.coalesce(func.max(AuditLogRow.seq), 0))))

    async def hash_at(self, seq: int) -> str | None:
        if seq == 0:
            return GENESIS_HASH
        return await self._session.scalar(select(AuditLogRow.hash).where(AuditLogRow.seq == seq))

    async def stream(
        self, from_seq: int, to_seq: int, batch_size: int = 1_000
    ) -> AsyncIterator[ChainedEntry]:
        next_seq = from_seq
        while next_seq <= to_seq:
            rows = await self._session.scalars(
                select(AuditLogRow)
                .where(AuditLogRow.seq >= next_seq, AuditLogRow.seq <= to_seq)
                .order_by(AuditLogRow.seq)
                .limit(batch_size)
            )
            batch = [from_row(row) for row in rows]
            if not batch:
                return
            for item in batch:
                yield item
            next_seq = batch[-1].entry.seq + 1


def _to_row(chained: ChainedEntry) -> dict[str, object]:
    return {**asdict(chained.entry), "prev_hash": chained.prev_hash, "hash": chained.hash}


def from_row(row: AuditLogRow) -> ChainedEntry:
    entry = AuditEntry(**{field.name: getattr(row, field.name) for field in fields(AuditEntry)})
    return ChainedEntry(entry, row.prev_hash, row.hash)
