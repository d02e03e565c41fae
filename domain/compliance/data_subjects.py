"""Data subject rights (GDPR articles 15 and 17, POPIA sections 23 and 24): a subject's
personal data exported from every context, and erased when a compliance officer approves
the subject's request.

Each context that keeps personal data registers a `PersonalDataHolder`; compliance only
talks to those ports, never to another context's internals."""

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol
from uuid import UUID

from domain.shared.errors import DomainError, ErrorCode, Forbidden

ERASED = "[erased]"
"""What identifying plaintext becomes (names, references, reasons)."""

MAX_REASON = 500

PERSONAL_DATA_EXPORTED = "compliance.personal_data_exported"
ERASURE_REQUESTED = "compliance.erasure_requested"
ERASURE_REJECTED = "compliance.erasure_rejected"
ERASURE_COMPLETED = "compliance.erasure_completed"

ErasureCounts = dict[str, int]
"""Rows changed, by what they are (`{"sessions_deleted": 2, ...}`)."""


class PersonalDataHolder(Protocol):
    """One context's personal data about a subject."""

    @property
    def section(self) -> str:
        """The export document's key for this context (`identity`, `payments`, …)."""

    async def export(self, subject_id: UUID) -> dict[str, Any]:
        """Everything kept about the subject, decrypted, as plain JSON values."""

    async def erase(self, uow: Any, subject_id: UUID, at: datetime) -> ErasureCounts:
        """Tombstones the subject's identifying plaintext in the given unit of work, so
        every holder's changes commit (or roll back) together."""


class SubjectDirectory(Protocol):
    async def exists(self, subject_id: UUID) -> bool:
        """Whether the account exists (an erased one still does)."""


class ErasureStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class ErasureNotPending(DomainError):
    code = ErrorCode.INVALID_STATE


def clean_reason(raw: str, field: str = "reason") -> str:
    reason = " ".join(raw.split())
    if not reason or len(reason) > MAX_REASON:
        raise DomainError(f"Give a reason of 1 to {MAX_REASON} characters", field=field)
    return reason


@dataclass(frozen=True, kw_only=True)
class ErasureRequest:
    id: UUID
    subject_id: UUID
    reason: str
    status: ErasureStatus
    requested_at: datetime
    decided_at: datetime | None = None
    decided_by: UUID | None = None
    decision_reason: str | None = None
    erased: dict[str, ErasureCounts] | None = None

    def approved(self, officer_id: UUID, at: datetime) -> "ErasureRequest":
        """The subject's reason goes with the rest of their personal data."""
        self._check_decidable(officer_id)
        return replace(
            self,
            status=ErasureStatus.APPROVED,
            decided_at=at,
            decided_by=officer_id,
            reason=ERASED,
        )

    def rejected(self, officer_id: UUID, reason: str, at: datetime) -> "ErasureRequest":
        self._check_decidable(officer_id)
        return replace(
            self,
            status=ErasureStatus.REJECTED,
            decided_at=at,
            decided_by=officer_id,
            decision_reason=clean_reason(reason),
        )

    def _check_decidable(self, officer_id: UUID) -> None:
        if officer_id == self.subject_id:
            raise Forbidden("Nobody decides their own erasure request", field="requestId")
        if self.status is not ErasureStatus.PENDING:
            raise ErasureNotPending(
                f"This request was already {self.status.value}", field="requestId"
            )


@dataclass(frozen=True)
class PersonalDataExport:
    subject_id: UUID
    generated_at: datetime
    document: dict[str, Any]
