"""Erasure requests, and compliance's own part of a subject's personal data: their reasons."""

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import case, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.compliance.data_subjects import (
    ERASED,
    ErasureCounts,
    ErasureRequest,
    ErasureStatus,
)
from domain.shared.ids import global_id
from persistence.compliance.erasure_tables import ErasureRequestRow
from persistence.db import SessionFactory

if TYPE_CHECKING:
    from persistence.uow import UnitOfWork


class ErasureRequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, request: ErasureRequest) -> bool:
        added = await self._db.scalar(
            insert(ErasureRequestRow)
            .values(
                id=request.id,
                subject_id=request.subject_id,
                status=request.status.value,
                reason=request.reason,
                requested_at=request.requested_at,
            )
            .on_conflict_do_nothing()
            .returning(ErasureRequestRow.id)
        )
        return added is not None

    async def get_for_update(self, request_id: UUID) -> ErasureRequest | None:
        row = await self._db.scalar(
            select(ErasureRequestRow).where(ErasureRequestRow.id == request_id).with_for_update()
        )
        return None if row is None else _to_request(row)

    async def save_decision(self, request: ErasureRequest) -> None:
        await self._db.execute(
            update(ErasureRequestRow)
            .where(ErasureRequestRow.id == request.id)
            .values(
                status=request.status.value,
                reason=request.reason,
                decided_at=request.decided_at,
                decided_by=request.decided_by,
                decision_reason=request.decision_reason,
                erased=request.erased,
            )
        )

    async def search(
        self, status: ErasureStatus | None, limit: int, after: UUID | None
    ) -> list[ErasureRequest]:
        """Oldest first, so the longest-waiting request is decided first."""
        query = select(ErasureRequestRow)
        if status is not None:
            query = query.where(ErasureRequestRow.status == status.value)
        if after is not None:
            query = query.where(ErasureRequestRow.id > after)
        rows = await self._db.scalars(query.order_by(ErasureRequestRow.id).limit(limit))
        return [_to_request(row) for row in rows]

    async def of_subject(self, subject_id: UUID) -> list[ErasureRequest]:
        rows = await self._db.scalars(
            select(ErasureRequestRow)
            .where(ErasureRequestRow.subject_id == subject_id)
            .order_by(ErasureRequestRow.id)
        )
        return [_to_request(row) for row in rows]

    async def tombstone_reasons(self, subject_id: UUID) -> int:
        """The subject's words, and the officers' about them, once the subject is erased."""
        changed = await self._db.scalars(
            update(ErasureRequestRow)
            .where(ErasureRequestRow.subject_id == subject_id)
            .values(
                reason=ERASED,
                decision_reason=case(
                    (ErasureRequestRow.decision_reason.is_not(None), ERASED), else_=None
                ),
            )
            .returning(ErasureRequestRow.id)
        )
        return len(list(changed))


class ErasureRequestsHolder:
    """Compliance's personal data about a subject: their erasure requests."""

    section = "compliance"

    def __init__(self, session_factory: SessionFactory) -> None:
        self._session_factory = session_factory

    async def export(self, subject_id: UUID) -> dict[str, Any]:
        async with self._session_factory() as session:
            requests = await ErasureRequestRepository(session).of_subject(subject_id)
        return {"erasureRequests": [_exported(request) for request in requests]}

    async def erase(self, uow: "UnitOfWork", subject_id: UUID, at: datetime) -> ErasureCounts:
        tombstoned = await ErasureRequestRepository(uow.session).tombstone_reasons(subject_id)
        return {"erasure_request_reasons_tombstoned": tombstoned}


def _exported(request: ErasureRequest) -> dict[str, Any]:
    return {
        "id": global_id("ErasureRequest", request.id),
        "status": request.status.value.upper(),
        "reason": request.reason,
        "requestedAt": request.requested_at.isoformat(),
        "decidedAt": None if request.decided_at is None else request.decided_at.isoformat(),
        "decisionReason": request.decision_reason,
    }


def _to_request(row: ErasureRequestRow) -> ErasureRequest:
    return ErasureRequest(
        id=row.id,
        subject_id=row.subject_id,
        reason=row.reason,
        status=ErasureStatus(row.status),
        requested_at=row.requested_at,
        decided_at=row.decided_at,
        decided_by=row.decided_by,
        decision_reason=row.decision_reason,
        erased=row.erased,
    )
