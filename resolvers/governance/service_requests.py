"""Service requests: customers open and follow their own; staff (`service_requests:assign`)
work the queue. A request the viewer may not see is NOT_FOUND."""

from dataclasses import replace
from uuid import UUID

from strawberry.types import Info

from domain.governance.queue import QueueFilter, QueueOrder, QueuePosition
from domain.governance.request_states import RequestAction
from domain.governance.service_requests import (
    RequestChange,
    RequestComment,
    RequestType,
    ServiceRequest,
    Viewer,
)
from domain.governance.sla import Priority
from domain.shared.errors import DomainError
from persistence.governance.request_queries import ServiceRequestQueries
from resolvers.commands import run_command
from schema.errors import NotFound
from schema.ids import from_global_id

WORKS_ON_REQUESTS = "service_requests:assign"


def viewer(info: Info) -> Viewer:
    principal = info.context.principal
    return Viewer(principal.subject_id, WORKS_ON_REQUESTS in principal.permissions)


def request_id(global_id: str) -> UUID:
    return from_global_id(global_id, "ServiceRequest")[1]


async def open_request(
    info: Info, request_type: RequestType, title: str, description: str, priority: Priority
) -> ServiceRequest | DomainError:
    service = info.context.services.service_requests
    customer = info.context.principal.subject_id
    return await run_command(
        info,
        lambda uow: service.open(uow, customer, request_type, title, description, priority),
    )


async def assign(info: Info, request: str, assignee: str) -> ServiceRequest | DomainError:
    service = info.context.services.service_requests
    target, staff = request_id(request), from_global_id(assignee, "User")[1]
    return await run_command(info, lambda uow: service.assign(uow, viewer(info), target, staff))


async def act(
    info: Info, request: str, action: RequestAction, resolution: str | None = None
) -> ServiceRequest | DomainError:
    service = info.context.services.service_requests
    target = request_id(request)
    return await run_command(
        info, lambda uow: service.act(uow, viewer(info), target, action, resolution)
    )


async def comment(
    info: Info, request: str, body: str, internal: bool
) -> RequestComment | DomainError:
    service = info.context.services.service_requests
    target = request_id(request)
    return await run_command(
        info, lambda uow: service.comment(uow, viewer(info), target, body, internal)
    )


async def visible(info: Info, raw_id: UUID) -> ServiceRequest | None:
    found = await info.context.loaders.service_request_by_id.load(raw_id)
    return found if found is not None and viewer(info).sees(found) else None


async def get(info: Info, global_id: str) -> ServiceRequest:
    found = await visible(info, request_id(global_id))
    if found is None:
        raise NotFound("No such service request")
    return found


async def page(
    info: Info,
    criteria: QueueFilter,
    order: QueueOrder,
    limit: int,
    after: QueuePosition | None,
) -> list[ServiceRequest]:
    """Staff see every request; anyone else only their own, whatever the filter says."""
    looker = viewer(info)
    if not looker.is_staff:
        criteria = replace(criteria, customer_id=looker.user_id)
    async with info.context.services.session_factory() as session:
        return await ServiceRequestQueries(session).page(criteria, order, limit, after)


async def comments(
    info: Info, request: UUID, limit: int, after: UUID | None
) -> list[RequestComment]:
    """Reached through a request the viewer may see; internal ones only for staff."""
    return list(await info.context.loaders.comments_by_request_id.load((request, (limit, after))))


async def history(info: Info, request: UUID, limit: int, after: UUID | None) -> list[RequestChange]:
    return list(await info.context.loaders.history_by_request_id.load((request, (limit, after))))
