"""Reads of the audit log for auditors, and its signed checkpoints."""

from sqlalchemy import ColumnElement, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.compliance.audit import AuditFilter, ChainedEntry
from domain.compliance.checkpoints import Checkpoint
from persistence.compliance.repository import from_row
from persistence.compliance.tables import AuditCheckpointRow, AuditLogRow


class AuditQueries:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def search(
        self, criteria: AuditFilter, limit: int, before_seq: int | None
    ) -> list[ChainedEntry]:
        """Newest first."""
        conditions: list[ColumnElement[bool]] = []
        for column, value in (
            (AuditLogRow.entity_type, criteria.entity_type),
            (AuditLogRow.entity_id, criteria.entity_id),
            (AuditLogRow.actor, criteria.actor),
            (AuditLogRow.action, criteria.action),
        ):
            if value is not None:
                conditions.append(column == value)
        if criteria.occurred_from is not None:
            conditions.append(AuditLogRow.occurred_at >= criteria.occurred_from)
        if criteria.occurred_before is not None:
            conditions.append(AuditLogRow.occurred_at < criteria.occurred_before)
        if before_seq is not None:
            conditions.append(AuditLogRow.seq < before_seq)
        rows = await self._db.scalars(
            select(AuditLogRow).where(*conditions).order_by(AuditLogRow.seq.desc()).limit(limit)
        )
        return [from_row(row) for row in rows]

    async def head(self) -> tuple[int, str] | None:
        row = (
            await self._db.execute(
                select(AuditLogRow.seq, AuditLogRow.hash).order_by(AuditLogRow.seq.desc()).limit(1)
            )
        ).first()
        return None if row is None else (row[0], row[1])

    async def add_checkpoint(self, checkpoint: Checkpoint) -> None:
        await self._db.execute(
            insert(AuditCheckpointRow).values(
                seq=checkpoint.seq,
                hash=checkpoint.hash,
                signed_at=checkpoint.signed_at,
                key_id=checkpoint.key_id,
                signature=checkpoint.signature,
            )
        )

    async def last_checkpoint(self) -> Checkpoint | None:
        found = await self.checkpoints(limit=1)
        return found[0] if found else None

    async def checkpoints(
        self, limit: int | None = None, before_seq: int | None = None
    ) -> list[Checkpoint]:
        """Newest first."""
        query = select(AuditCheckpointRow).order_by(AuditCheckpointRow.seq.desc())
        if before_seq is not None:
            query = query.where(AuditCheckpointRow.seq < before_seq)
        if limit is not None:
            query = query.limit(limit)
        return [_checkpoint(row) for row in await self._db.scalars(query)]


def _checkpoint(row: AuditCheckpointRow) -> Checkpoint:
    return Checkpoint(
        seq=row.seq,
        hash=row.hash,
        signed_at=row.signed_at,
        key_id=row.key_id,
        signature=row.signature,
    )
