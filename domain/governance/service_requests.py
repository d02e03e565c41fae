"""Service requests: what a customer asks, who works on it, what was said and every change."""

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.governance.request_states import RequestAction, RequestStatus, next_status
from domain.governance.sla import Priority, SlaClock
from domain.shared.errors import DomainError

MAX_TITLE = 200
MAX_TEXT = 5_000
ALLOWED_CONTROLS = frozenset("\n\t\r")


class RequestType(StrEnum):
    ACCOUNT = "account"
    PAYMENT = "payment"
    KYC = "kyc"
    MERCHANT = "merchant"
    TECHNICAL = "technical"
    OTHER = "other"


class ChangeKind(StrEnum):
    OPENED = "opened"
    STATUS_CHANGED = "status_changed"
    ASSIGNED = "assigned"
    COMMENTED = "commented"


@dataclass(frozen=True)
class Viewer:
    """Who is looking: staff (`service_requests:assign`) see every request and internal
    comments; anyone else only their own requests and public comments."""

    user_id: UUID
    is_staff: bool

    def sees(self, request: "ServiceRequest") -> bool:
        return self.is_staff or request.customer_id == self.user_id


def clean_text(raw: str, field: str, limit: int = MAX_TEXT, *, one_line: bool = False) -> str:
    """Trimmed; 1 to `limit` characters; no control characters but line breaks and tabs
    (none at all in a one-line field)."""
    text = " ".join(raw.split()) if one_line else raw.strip()
    if not 1 <= len(text) <= limit:
        raise DomainError(f"Write 1 to {limit} characters", field=field)
    if any(ch < " " and ch not in ALLOWED_CONTROLS for ch in text) or "\x7f" in text:
        raise DomainError("Control characters are not allowed", field=field)
    return text


@dataclass(frozen=True, kw_only=True)
class ServiceRequest:
    id: UUID
    customer_id: UUID
    type: RequestType
    title: str
    description: str
    priority: Priority
    status: RequestStatus
    assignee_id: UUID | None
    created_at: datetime
    updated_at: datetime
    sla: SlaClock
    resolution: str | None = None
    closed_at: datetime | None = None

    def moved(self, action: RequestAction, at: datetime) -> "ServiceRequest":
        """The request after a legal action (the SLA clock follows); else InvalidState."""
        status = next_status(self.status, action)
        sla = self.sla
        if action is RequestAction.START:
            sla = sla.responded(at)
        elif action is RequestAction.WAIT_ON_CUSTOMER:
            sla = sla.paused(at)
        elif action is RequestAction.RESUME:
            sla = sla.resumed(at)
        elif action is RequestAction.RESOLVE:
            sla = sla.resolved(at)
        elif action is RequestAction.REOPEN:
            sla = sla.reopened()
        return replace(
            self,
            status=status,
            sla=sla,
            updated_at=at,
            closed_at=at if status is RequestStatus.CLOSED else self.closed_at,
            resolution=None if action is RequestAction.REOPEN else self.resolution,
        )


@dataclass(frozen=True, kw_only=True)
class RequestComment:
    id: UUID
    request_id: UUID
    author_id: UUID
    body: str
    internal: bool
    created_at: datetime


@dataclass(frozen=True, kw_only=True)
class RequestChange:
    """One line of a request's history: who did what, when, from what to what."""

    id: UUID
    request_id: UUID
    actor_id: UUID
    occurred_at: datetime
    kind: ChangeKind
    from_status: RequestStatus | None = None
    to_status: RequestStatus | None = None
    from_assignee_id: UUID | None = None
    to_assignee_id: UUID | None = None
    comment_id: UUID | None = None
    internal: bool = False
    """Set for the line of an internal comment: only staff see it."""
