"""How request lists are filtered and ordered; keyset positions within each order."""

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.governance.request_states import RequestStatus
from domain.governance.service_requests import RequestType
from domain.governance.sla import Priority


class QueueOrder(StrEnum):
    PRIORITY = "priority"
    """Most urgent first, then oldest first."""
    SLA_DUE = "sla_due"
    """Resolution due soonest first."""
    CREATED = "created"
    """Newest first."""


@dataclass(frozen=True)
class QueueFilter:
    """Every criterion given must hold; `customer_id` scopes a customer's own list."""

    statuses: frozenset[RequestStatus] | None = None
    priorities: frozenset[Priority] | None = None
    assignee_id: UUID | None = None
    types: frozenset[RequestType] | None = None
    breached: bool | None = None
    due_before: datetime | None = None
    customer_id: UUID | None = None


@dataclass(frozen=True)
class QueuePosition:
    """Where a page ended: the last row's id and the value it was ordered by."""

    order: QueueOrder
    request_id: UUID
    rank: int | None = None
    due_at: datetime | None = None
