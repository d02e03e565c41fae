"""Lists of service requests: a customer's own, and the staff queue."""

import base64
import binascii
from dataclasses import replace
from datetime import datetime
from enum import Enum
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain.governance.queue import QueueFilter, QueueOrder, QueuePosition
from domain.governance.service_requests import ServiceRequest as DomainRequest
from resolvers.governance import service_requests
from schema.errors import BadUserInput
from schema.governance_requests import (
    ServiceRequest,
    ServiceRequestPriority,
    ServiceRequestStatus,
    ServiceRequestType,
)
from schema.ids import from_global_id
from schema.pagination import PAGE, Connection, connection, page_size
from schema.permissions import authenticated, requires_scopes


@strawberry.enum(description="How the staff queue is ordered.")
class ServiceRequestOrder(Enum):
    PRIORITY = "priority"
    SLA_DUE = "sla_due"
    CREATED = "created"


@strawberry.input(description="Every criterion given must hold.")
class MyServiceRequestsFilter:
    status: ServiceRequestStatus | None = None
    priority: ServiceRequestPriority | None = None
    type: ServiceRequestType | None = None

    def to_domain(self) -> QueueFilter:
        return QueueFilter(
            statuses=None if self.status is None else frozenset({self.status}),
            priorities=None if self.priority is None else frozenset({self.priority}),
            types=None if self.type is None else frozenset({self.type}),
        )


@strawberry.input(description="Every criterion given must hold.")
class ServiceRequestsFilter(MyServiceRequestsFilter):
    assignee_id: strawberry.ID | None = None
    breached: bool | None = strawberry.field(default=None, description="A target was missed.")
    due_before: datetime | None = strawberry.field(
        default=None, description="Resolution due before this moment."
    )

    def to_domain(self) -> QueueFilter:
        if self.due_before is not None and self.due_before.utcoffset() is None:
            raise BadUserInput("Times need a UTC offset", field="dueBefore")
        mine = super().to_domain()
        return QueueFilter(
            statuses=mine.statuses,
            priorities=mine.priorities,
            types=mine.types,
            assignee_id=None
            if self.assignee_id is None
            else from_global_id(self.assignee_id, "User")[1],
            breached=self.breached,
            due_before=self.due_before,
        )


def encode_position(order: QueueOrder, request: DomainRequest) -> str:
    value = {
        QueueOrder.PRIORITY: str(request.priority.rank),
        QueueOrder.SLA_DUE: request.sla.resolution_due_at.isoformat(),
        QueueOrder.CREATED: "",
    }[order]
    return base64.urlsafe_b64encode(f"{order.value}|{value}|{request.id}".encode()).decode()


def decode_position(order: QueueOrder, cursor: str | None) -> QueuePosition | None:
    if cursor is None:
        return None
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, value, request_id = raw.split("|")
        if kind != order.value:
            raise ValueError("another order's cursor")
        return QueuePosition(
            order,
            UUID(request_id),
            rank=int(value) if order is QueueOrder.PRIORITY else None,
            due_at=datetime.fromisoformat(value) if order is QueueOrder.SLA_DUE else None,
        )
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadUserInput("Invalid cursor", field="after") from None


async def _page(
    info: Info, criteria: QueueFilter, order: QueueOrder, first: int, after: str | None
) -> Connection[ServiceRequest]:
    size = page_size(first)
    rows = await service_requests.page(
        info, criteria, order, size + 1, decode_position(order, after)
    )
    return connection(
        rows,
        size,
        lambda row: row,
        ServiceRequest.from_domain,
        lambda row: encode_position(order, row),
    )


@strawberry.type(name="Query")
class ServiceRequestQuery:
    @strawberry.field(
        extensions=authenticated(),
        description="A request you opened, or any request for staff; else NOT_FOUND.",
    )
    async def service_request(self, info: Info, id: strawberry.ID) -> ServiceRequest:
        return ServiceRequest.from_domain(await service_requests.get(info, id))

    @strawberry.field(
        directives=PAGE,
        extensions=authenticated(),
        description="Requests you opened, newest first.",
    )
    async def my_service_requests(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: MyServiceRequestsFilter | None = None,
    ) -> Connection[ServiceRequest]:
        criteria = (filter or MyServiceRequestsFilter()).to_domain()
        mine = replace(criteria, customer_id=info.context.principal.subject_id)
        return await _page(info, mine, QueueOrder.CREATED, first, after)

    @strawberry.field(
        directives=PAGE,
        extensions=requires_scopes([service_requests.WORKS_ON_REQUESTS]),
        description="The staff queue: by priority (most urgent, then oldest, first), by SLA "
        "due time (soonest first) or by creation (newest first).",
    )
    async def service_requests(
        self,
        info: Info,
        filter: ServiceRequestsFilter | None = None,
        first: int = 20,
        after: str | None = None,
        order_by: ServiceRequestOrder = ServiceRequestOrder.PRIORITY,
    ) -> Connection[ServiceRequest]:
        criteria = (filter or ServiceRequestsFilter()).to_domain()
        return await _page(info, criteria, QueueOrder(order_by.value), first, after)
