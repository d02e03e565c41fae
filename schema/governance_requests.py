"""Service requests as GraphQL types: the request, its comments and its history. Internal
comments (and their history lines) are filtered by the loaders for non-staff viewers."""

from datetime import datetime
from typing import TYPE_CHECKING, Annotated
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain.governance.request_states import RequestStatus
from domain.governance.service_requests import ChangeKind, RequestType
from domain.governance.service_requests import RequestChange as DomainChange
from domain.governance.service_requests import RequestComment as DomainComment
from domain.governance.service_requests import ServiceRequest as DomainRequest
from domain.governance.sla import Priority
from resolvers.governance import service_requests
from schema.ids import from_global_id, to_global_id
from schema.nodes import node_type
from schema.pagination import PAGE, Connection, connection, decode_cursor, page_size
from schema.shared import Node

if TYPE_CHECKING:
    from schema.governance import User

UserRef = Annotated["User", strawberry.lazy("schema.governance")]

ServiceRequestStatus = strawberry.enum(RequestStatus, name="ServiceRequestStatus")
ServiceRequestPriority = strawberry.enum(Priority, name="ServiceRequestPriority")
ServiceRequestType = strawberry.enum(RequestType, name="ServiceRequestType")
ServiceRequestChangeKind = strawberry.enum(ChangeKind, name="ServiceRequestChangeKind")


def user_ref(user_id: UUID) -> "User":
    """Governance's `User` stub; imported here, as schema.governance imports this module."""
    from schema.governance import User

    return User(id=to_global_id("User", user_id))


def optional_user(user_id: UUID | None) -> "User | None":
    return None if user_id is None else user_ref(user_id)


@strawberry.type(description="A comment; `internal` ones are notes only staff ever see.")
class ServiceRequestComment:
    id: strawberry.ID
    body: str
    internal: bool
    created_at: datetime
    author: UserRef

    @classmethod
    def from_domain(cls, comment: DomainComment) -> "ServiceRequestComment":
        return cls(
            id=to_global_id("ServiceRequestComment", comment.id),
            body=comment.body,
            internal=comment.internal,
            created_at=comment.created_at,
            author=user_ref(comment.author_id),
        )


@strawberry.type(description="One change to a request: who, when, and from what to what.")
class ServiceRequestChange:
    id: strawberry.ID
    kind: ServiceRequestChangeKind
    occurred_at: datetime
    actor: UserRef
    from_status: ServiceRequestStatus | None
    to_status: ServiceRequestStatus | None
    from_assignee: UserRef | None
    to_assignee: UserRef | None
    comment_id: strawberry.ID | None = strawberry.field(description="For a COMMENTED change.")

    @classmethod
    def from_domain(cls, change: DomainChange) -> "ServiceRequestChange":
        return cls(
            id=to_global_id("ServiceRequestChange", change.id),
            kind=change.kind,
            occurred_at=change.occurred_at,
            actor=user_ref(change.actor_id),
            from_status=change.from_status,
            to_status=change.to_status,
            from_assignee=optional_user(change.from_assignee_id),
            to_assignee=optional_user(change.to_assignee_id),
            comment_id=None
            if change.comment_id is None
            else to_global_id("ServiceRequestComment", change.comment_id),
        )


@strawberry.type(
    description="Due times move later by the time spent waiting on the customer. First "
    "response: the first public comment by staff or the start of work, whichever came first."
)
class ServiceRequestSla:
    first_response_due_at: datetime
    resolution_due_at: datetime
    first_responded_at: datetime | None
    resolved_at: datetime | None
    paused: bool = strawberry.field(description="True while waiting on the customer.")
    breached: bool = strawberry.field(description="A target was missed.")
    first_response_target_seconds: int
    resolution_target_seconds: int


@node_type
@strawberry.type(description="What a customer asked for, and how it is being handled.")
class ServiceRequest(Node):
    id: strawberry.ID
    type: ServiceRequestType
    title: str
    description: str
    priority: ServiceRequestPriority
    status: ServiceRequestStatus
    resolution: str | None
    created_at: datetime
    updated_at: datetime
    closed_at: datetime | None
    customer: UserRef
    assignee: UserRef | None
    sla: ServiceRequestSla
    uuid: strawberry.Private[UUID]

    @strawberry.field(directives=PAGE, description="Oldest first.")
    async def comments(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[ServiceRequestComment]:
        size = page_size(first)
        rows = await service_requests.comments(info, self.uuid, size + 1, decode_cursor(after))
        return connection(rows, size, lambda row: row.id, ServiceRequestComment.from_domain)

    @strawberry.field(directives=PAGE, description="Every change, oldest first.")
    async def history(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[ServiceRequestChange]:
        size = page_size(first)
        rows = await service_requests.history(info, self.uuid, size + 1, decode_cursor(after))
        return connection(rows, size, lambda row: row.id, ServiceRequestChange.from_domain)

    @classmethod
    def from_domain(cls, request: DomainRequest) -> "ServiceRequest":
        sla = request.sla
        return cls(
            id=to_global_id("ServiceRequest", request.id),
            type=request.type,
            title=request.title,
            description=request.description,
            priority=request.priority,
            status=request.status,
            resolution=request.resolution,
            created_at=request.created_at,
            updated_at=request.updated_at,
            closed_at=request.closed_at,
            customer=user_ref(request.customer_id),
            assignee=optional_user(request.assignee_id),
            sla=ServiceRequestSla(
                first_response_due_at=sla.first_response_due_at,
                resolution_due_at=sla.resolution_due_at,
                first_responded_at=sla.first_responded_at,
                resolved_at=sla.resolved_at,
                paused=sla.paused_at is not None,
                breached=sla.breached,
                first_response_target_seconds=int(sla.targets.first_response.total_seconds()),
                resolution_target_seconds=int(sla.targets.resolution.total_seconds()),
            ),
            uuid=request.id,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "ServiceRequest | None":
        found = await service_requests.visible(info, from_global_id(id, "ServiceRequest")[1])
        return None if found is None else cls.from_domain(found)
