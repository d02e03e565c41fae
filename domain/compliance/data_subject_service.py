"""Exports and erasures across every registered context, each audited without personal data."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.compliance.data_subjects import (
    ERASURE_COMPLETED,
    ERASURE_REJECTED,
    ERASURE_REQUESTED,
    PERSONAL_DATA_EXPORTED,
    ErasureCounts,
    ErasureRequest,
    ErasureStatus,
    PersonalDataExport,
    PersonalDataHolder,
    SubjectDirectory,
    clean_reason,
)
from domain.shared.clock import Clock
from domain.shared.errors import Conflict, NotFound
from domain.shared.events import DomainEvent
from domain.shared.ids import global_id, new_id
from domain.shared.ports import EventRecorder


class ErasureRequestRepository(Protocol):
    async def add(self, request: ErasureRequest) -> bool:
        """False when the subject already has a pending request."""

    async def get_for_update(self, request_id: UUID) -> ErasureRequest | None: ...

    async def save_decision(self, request: ErasureRequest) -> None:
        """Status, reasons, decider and counts."""


class DataSubjectUnitOfWork(EventRecorder, Protocol):
    @property
    def erasure_requests(self) -> ErasureRequestRepository: ...


class DataSubjectRightsService:
    def __init__(
        self, clock: Clock, subjects: SubjectDirectory, holders: Sequence[PersonalDataHolder]
    ) -> None:
        sections = [holder.section for holder in holders]
        if len(set(sections)) != len(sections):
            raise ValueError(f"Two personal-data holders share a section: {sections}")
        self._clock = clock
        self._subjects = subjects
        self._holders = tuple(holders)

    async def export(
        self, uow: DataSubjectUnitOfWork, subject_id: UUID, *, by_subject: bool
    ) -> PersonalDataExport:
        if not await self._subjects.exists(subject_id):
            raise NotFound("No such user", field="userId")
        now = self._clock.now()
        document: dict[str, object] = {
            "subjectId": global_id("User", subject_id),
            "generatedAt": now.isoformat(),
        }
        for holder in self._holders:
            document[holder.section] = await holder.export(subject_id)
        uow.record(
            _subject_event(
                PERSONAL_DATA_EXPORTED,
                subject_id,
                now,
                sections=[holder.section for holder in self._holders],
                by_subject=by_subject,
            )
        )
        return PersonalDataExport(subject_id, now, document)

    async def request_erasure(
        self, uow: DataSubjectUnitOfWork, subject_id: UUID, reason: str
    ) -> ErasureRequest:
        request = ErasureRequest(
            id=new_id(),
            subject_id=subject_id,
            reason=clean_reason(reason),
            status=ErasureStatus.PENDING,
            requested_at=self._clock.now(),
        )
        if not await uow.erasure_requests.add(request):
            raise Conflict("Your erasure request is already waiting for a decision")
        uow.record(_request_event(ERASURE_REQUESTED, request, (subject_id,)))
        return request

    async def reject(
        self, uow: DataSubjectUnitOfWork, officer_id: UUID, request_id: UUID, reason: str
    ) -> ErasureRequest:
        rejected = (await self._pending(uow, request_id)).rejected(
            officer_id, reason, self._clock.now()
        )
        await uow.erasure_requests.save_decision(rejected)
        uow.record(_request_event(ERASURE_REJECTED, rejected, (rejected.subject_id,)))
        return rejected

    async def approve(
        self, uow: DataSubjectUnitOfWork, officer_id: UUID, request_id: UUID
    ) -> ErasureRequest:
        """Erases in every context within the one unit of work: all of it, or nothing."""
        now = self._clock.now()
        approved = (await self._pending(uow, request_id)).approved(officer_id, now)
        erased: dict[str, ErasureCounts] = {}
        for holder in self._holders:
            erased[holder.section] = await holder.erase(uow, approved.subject_id, now)
        completed = replace(approved, erased=erased)
        await uow.erasure_requests.save_decision(completed)
        changed = [
            {"context": section, "change": change, "rows": rows}
            for section, counts in erased.items()
            for change, rows in counts.items()
        ]
        uow.record(_request_event(ERASURE_COMPLETED, completed, (), erased=changed))
        return completed

    async def _pending(self, uow: DataSubjectUnitOfWork, request_id: UUID) -> ErasureRequest:
        request = await uow.erasure_requests.get_for_update(request_id)
        if request is None:
            raise NotFound("No such erasure request", field="requestId")
        return request


def _subject_event(name: str, subject_id: UUID, at: datetime, **payload: object) -> DomainEvent:
    return DomainEvent(
        name=name,
        aggregate_type="User",
        aggregate_id=subject_id,
        occurred_at=at,
        payload=payload,
        audience=(subject_id,),
    )


def _request_event(
    name: str, request: ErasureRequest, audience: tuple[UUID, ...], **payload: object
) -> DomainEvent:
    """Ids, status and counts only: the subject's reason is personal data. Counts are
    listed as values, since the audit log redacts keys such as `api_keys_revoked`."""
    return DomainEvent(
        name=name,
        aggregate_type="ErasureRequest",
        aggregate_id=request.id,
        occurred_at=request.decided_at or request.requested_at,
        payload={"subject_id": str(request.subject_id), "status": request.status.value, **payload},
        audience=audience,
    )
