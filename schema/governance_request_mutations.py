"""Service request commands: customers open, comment, cancel (while open) and reopen their
own; staff (`service_requests:assign`) work them through the state machine."""

from collections.abc import Awaitable
from typing import Any

import strawberry
from strawberry.permission import PermissionExtension
from strawberry.types import Info

from domain.governance.request_states import RequestAction
from resolvers.governance import service_requests
from schema.governance_requests import (
    ServiceRequest,
    ServiceRequestComment,
    ServiceRequestPriority,
    ServiceRequestType,
)
from schema.permissions import requires_scopes
from schema.shared import UserError, to_payload

OPEN = "service_requests:open"
STAFF = service_requests.WORKS_ON_REQUESTS


def customer_or_staff() -> list[PermissionExtension]:
    return requires_scopes([OPEN], [STAFF])


@strawberry.input
class OpenServiceRequestInput:
    type: ServiceRequestType
    title: str = strawberry.field(description="1 to 200 characters, on one line.")
    description: str = strawberry.field(description="1 to 5000 characters.")
    priority: ServiceRequestPriority


@strawberry.input
class AssignServiceRequestInput:
    id: strawberry.ID
    assignee_id: strawberry.ID = strawberry.field(description="A member of staff.")


@strawberry.input
class ServiceRequestIdInput:
    id: strawberry.ID


@strawberry.input
class ResolveServiceRequestInput:
    id: strawberry.ID
    resolution: str = strawberry.field(description="What was done; the customer reads it.")


@strawberry.input
class AddServiceRequestCommentInput:
    request_id: strawberry.ID
    body: str
    internal: bool = strawberry.field(
        default=False, description="A note for staff only (staff alone may write one)."
    )


@strawberry.type
class ServiceRequestPayload:
    request: ServiceRequest | None = None
    errors: list[UserError]


@strawberry.type
class AddServiceRequestCommentPayload:
    comment: ServiceRequestComment | None = None
    errors: list[UserError]


async def _request_payload(outcome: Awaitable[Any]) -> ServiceRequestPayload:
    return to_payload(
        ServiceRequestPayload,
        await outcome,
        lambda request: {"request": ServiceRequest.from_domain(request)},
    )


def _act(info: Info, request: ServiceRequestIdInput, action: RequestAction) -> Awaitable[Any]:
    return _request_payload(service_requests.act(info, request.id, action))


@strawberry.type(name="Mutation")
class ServiceRequestMutation:
    @strawberry.mutation(extensions=requires_scopes([OPEN]))
    async def open_service_request(
        self, info: Info, input: OpenServiceRequestInput
    ) -> ServiceRequestPayload:
        return await _request_payload(
            service_requests.open_request(
                info, input.type, input.title, input.description, input.priority
            )
        )

    @strawberry.mutation(
        extensions=requires_scopes([STAFF]),
        description="Assigns an open request, or hands one on without changing its status.",
    )
    async def assign_service_request(
        self, info: Info, input: AssignServiceRequestInput
    ) -> ServiceRequestPayload:
        return await _request_payload(service_requests.assign(info, input.id, input.assignee_id))

    @strawberry.mutation(
        extensions=requires_scopes([STAFF]), description="Starts work: a first response."
    )
    async def start_service_request(
        self, info: Info, input: ServiceRequestIdInput
    ) -> ServiceRequestPayload:
        return await _act(info, input, RequestAction.START)

    @strawberry.mutation(
        extensions=requires_scopes([STAFF]),
        description="Pauses the SLA clock until the request resumes.",
    )
    async def wait_on_customer(
        self, info: Info, input: ServiceRequestIdInput
    ) -> ServiceRequestPayload:
        return await _act(info, input, RequestAction.WAIT_ON_CUSTOMER)

    @strawberry.mutation(extensions=requires_scopes([STAFF]))
    async def resume_service_request(
        self, info: Info, input: ServiceRequestIdInput
    ) -> ServiceRequestPayload:
        return await _act(info, input, RequestAction.RESUME)

    @strawberry.mutation(extensions=requires_scopes([STAFF]))
    async def resolve_service_request(
        self, info: Info, input: ResolveServiceRequestInput
    ) -> ServiceRequestPayload:
        return await _request_payload(
            service_requests.act(info, input.id, RequestAction.RESOLVE, input.resolution)
        )

    @strawberry.mutation(extensions=requires_scopes([STAFF]))
    async def close_service_request(
        self, info: Info, input: ServiceRequestIdInput
    ) -> ServiceRequestPayload:
        return await _act(info, input, RequestAction.CLOSE)

    @strawberry.mutation(
        extensions=customer_or_staff(),
        description="Staff cancel any request still being worked; its customer one still open.",
    )
    async def cancel_service_request(
        self, info: Info, input: ServiceRequestIdInput
    ) -> ServiceRequestPayload:
        return await _act(info, input, RequestAction.CANCEL)

    @strawberry.mutation(
        extensions=customer_or_staff(),
        description="Within the reopen window (7 days) of its resolution, back to its assignee.",
    )
    async def reopen_service_request(
        self, info: Info, input: ServiceRequestIdInput
    ) -> ServiceRequestPayload:
        return await _act(info, input, RequestAction.REOPEN)

    @strawberry.mutation(extensions=customer_or_staff())
    async def add_service_request_comment(
        self, info: Info, input: AddServiceRequestCommentInput
    ) -> AddServiceRequestCommentPayload:
        outcome = await service_requests.comment(info, input.request_id, input.body, input.internal)
        return to_payload(
            AddServiceRequestCommentPayload,
            outcome,
            lambda comment: {"comment": ServiceRequestComment.from_domain(comment)},
        )
