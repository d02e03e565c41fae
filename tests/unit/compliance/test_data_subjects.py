"""The rules of erasure requests and retention runs, without a database."""

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.compliance.data_subjects import (
    ERASED,
    ErasureNotPending,
    ErasureRequest,
    ErasureStatus,
)
from domain.compliance.retention import RETENTION_RAN, RetentionPolicy, RetentionService
from domain.shared.errors import DomainError, Forbidden
from domain.shared.events import AuditRecord, DomainEvent

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def pending(subject_id=None) -> ErasureRequest:  # type: ignore[no-untyped-def]
    return ErasureRequest(
        id=uuid4(),
        subject_id=subject_id or uuid4(),
        reason="Leaving Namibia",
        status=ErasureStatus.PENDING,
        requested_at=NOW,
    )


def test_the_subject_never_decides_their_own_request() -> None:
    request = pending()

    with pytest.raises(Forbidden):
        request.approved(request.subject_id, NOW)
    with pytest.raises(Forbidden):
        request.rejected(request.subject_id, "no", NOW)


def test_only_a_pending_request_is_decided_and_approval_drops_the_reason() -> None:
    officer = uuid4()
    approved = pending().approved(officer, NOW)

    with pytest.raises(ErasureNotPending):
        approved.approved(officer, NOW)
    with pytest.raises(ErasureNotPending):
        approved.rejected(officer, "too late", NOW)
    assert (approved.status, approved.reason, approved.decided_by) == (
        ErasureStatus.APPROVED,
        ERASED,
        officer,
    )


@pytest.mark.parametrize("reason", ["", "   ", "x" * 501])
def test_a_rejection_needs_a_reason_of_1_to_500_characters(reason: str) -> None:
    with pytest.raises(DomainError):
        pending().rejected(uuid4(), reason, NOW)


class Recorder:
    def __init__(self) -> None:
        self.events: list[DomainEvent] = []

    def record(self, event: DomainEvent) -> None:
        self.events.append(event)

    def audit(self, record: AuditRecord) -> None:
        raise AssertionError("retention records events")


async def test_a_backlog_is_drained_in_batches_and_the_run_recorded() -> None:
    backlog = {"sessions": 5}
    cutoffs: list[datetime] = []

    async def purge(cutoff: datetime, limit: int) -> dict[str, int]:
        cutoffs.append(cutoff)
        deleted = min(limit, backlog["sessions"])
        backlog["sessions"] -= deleted
        return {"sessions": deleted, "refresh_tokens": 2 * deleted}

    recorder = Recorder()

    @contextlib.asynccontextmanager
    async def unit_of_work() -> AsyncIterator[Recorder]:
        yield recorder

    service = RetentionService([RetentionPolicy("sessions", timedelta(days=90), purge)], 2)
    deleted = await service.run(NOW, unit_of_work)

    assert deleted == {"sessions": 5, "refresh_tokens": 10}
    assert cutoffs == [NOW - timedelta(days=90)] * 3  # 2 + 2 + 1
    (event,) = recorder.events
    assert event.name == RETENTION_RAN
    assert event.payload["deleted"] == [
        {"table": "sessions", "rows": 5},
        {"table": "refresh_tokens", "rows": 10},
    ]


def test_two_policies_cannot_claim_one_table() -> None:
    async def purge(cutoff: datetime, limit: int) -> dict[str, int]:
        return {}

    policy = RetentionPolicy("sessions", timedelta(days=1), purge)

    with pytest.raises(ValueError, match="share a table"):
        RetentionService([policy, policy], 10)
