"""Opening and working service requests. Staff move them through the state machine; the
customer who opened one may comment, cancel it while it is open and reopen it within the
reopen window. What a viewer may not see is not found, never forbidden."""

from dataclasses import replace
from datetime import timedelta
from uuid import UUID

from domain.governance.ports import ServiceRequestUnitOfWork
from domain.governance.request_states import InvalidState, RequestAction, RequestStatus
from domain.governance.service_requests import (
    MAX_TITLE,
    ChangeKind,
    RequestChange,
    RequestComment,
    RequestType,
    ServiceRequest,
    Viewer,
    clean_text,
)
from domain.governance.sla import DEFAULT_TARGETS, Priority, SlaClock, SlaTargets
from domain.shared.clock import Clock
from domain.shared.errors import Forbidden, NotFound
from domain.shared.events import DomainEvent
from domain.shared.ids import new_id

OPENED = "governance.service_request_opened"
ASSIGNED = "governance.service_request_assigned"
STATUS_CHANGED = "governance.service_request_status_changed"
COMMENTED = "governance.service_request_commented"
STAFF_ONLY = frozenset(
    {
        RequestAction.ASSIGN,
        RequestAction.START,
        RequestAction.WAIT_ON_CUSTOMER,
        RequestAction.RESUME,
        RequestAction.RESOLVE,
        RequestAction.CLOSE,
    }
)
REOPEN_WINDOW = timedelta(days=7)


class ServiceRequestService:
    def __init__(self, clock: Clock, reopen_window: timedelta = REOPEN_WINDOW) -> None:
        self._clock = clock
        self._reopen_window = reopen_window

    async def open(
        self,
        uow: ServiceRequestUnitOfWork,
        customer_id: UUID,
        request_type: RequestType,
        title: str,
        description: str,
        priority: Priority,
    ) -> ServiceRequest:
        now = self._clock.now()
        policy = await uow.sla_policies.get(request_type.value, priority)
        targets = policy.targets if policy is not None else SlaTargets(*DEFAULT_TARGETS[priority])
        request = ServiceRequest(
            id=new_id(),
            customer_id=customer_id,
            type=request_type,
            title=clean_text(title, "title", MAX_TITLE, one_line=True),
            description=clean_text(description, "description"),
            priority=priority,
            status=RequestStatus.OPEN,
            assignee_id=None,
            created_at=now,
            updated_at=now,
            sla=SlaClock.started(targets, now),
        )
        await uow.service_requests.add(request)
        await self._log(uow, request, customer_id, ChangeKind.OPENED, to_status=request.status)
        uow.record(self._event(OPENED, request, priority=priority.value, type=request_type.value))
        return request

    async def assign(
        self, uow: ServiceRequestUnitOfWork, viewer: Viewer, request_id: UUID, assignee_id: UUID
    ) -> ServiceRequest:
        request = await self._visible(uow, viewer, request_id, RequestAction.ASSIGN)
        if not await uow.staff.can_work_on_requests(assignee_id):
            raise NotFound("No such member of staff", field="assigneeId")
        assigned = replace(
            request.moved(RequestAction.ASSIGN, self._clock.now()), assignee_id=assignee_id
        )
        await uow.service_requests.save(assigned)
        await self._log(
            uow,
            assigned,
            viewer.user_id,
            ChangeKind.ASSIGNED,
            from_assignee_id=request.assignee_id,
            to_assignee_id=assignee_id,
        )
        await self._log_status(uow, request, assigned, viewer.user_id)
        uow.record(self._event(ASSIGNED, assigned, assignee_id=str(assignee_id)))
        return assigned

    async def act(
        self,
        uow: ServiceRequestUnitOfWork,
        viewer: Viewer,
        request_id: UUID,
        action: RequestAction,
        resolution: str | None = None,
    ) -> ServiceRequest:
        """Any action but assignment; resolving takes the resolution the customer reads."""
        assert action is not RequestAction.ASSIGN, "assignment names its assignee: assign()"
        request = await self._visible(uow, viewer, request_id, action)
        now = self._clock.now()
        customer_cancels_too_late = (
            action is RequestAction.CANCEL
            and not viewer.is_staff
            and request.status is not RequestStatus.OPEN
        )
        if customer_cancels_too_late:
            raise InvalidState(
                f"Only staff cancel a request that is {request.status.value}; "
                "you may cancel it while it is open",
                field="status",
            )
        moved = request.moved(action, now)
        if action is RequestAction.REOPEN:
            resolved_at = request.sla.resolved_at
            if resolved_at is None or now - resolved_at > self._reopen_window:
                raise InvalidState(
                    f"A request is reopened within {self._reopen_window.days} days of its "
                    "resolution",
                    field="status",
                )
        if action is RequestAction.RESOLVE:
            text = clean_text(resolution or "", "resolution")
            moved = replace(moved, resolution=text)
        await uow.service_requests.save(moved)
        await self._log_status(uow, request, moved, viewer.user_id)
        return moved

    async def comment(
        self,
        uow: ServiceRequestUnitOfWork,
        viewer: Viewer,
        request_id: UUID,
        body: str,
        internal: bool,
    ) -> RequestComment:
        """A public comment by staff is the first response if none came before."""
        if internal and not viewer.is_staff:
            raise Forbidden("Only staff write internal notes", field="internal")
        request = await self._visible(uow, viewer, request_id, None)
        if request.status in (RequestStatus.CLOSED, RequestStatus.CANCELLED):
            raise InvalidState(f"The request is {request.status.value}", field="requestId")
        now = self._clock.now()
        comment = RequestComment(
            id=new_id(),
            request_id=request.id,
            author_id=viewer.user_id,
            body=clean_text(body, "body"),
            internal=internal,
            created_at=now,
        )
        await uow.service_requests.add_comment(comment)
        if viewer.is_staff and not internal and request.sla.first_responded_at is None:
            await uow.service_requests.save(
                replace(request, sla=request.sla.responded(now), updated_at=now)
            )
        await self._log(
            uow,
            request,
            viewer.user_id,
            ChangeKind.COMMENTED,
            comment_id=comment.id,
            internal=internal,
        )
        uow.record(
            self._event(
                COMMENTED,
                request,
                internal_only=internal,
                comment_id=str(comment.id),
                internal=internal,
            )
        )
        return comment

    async def _visible(
        self,
        uow: ServiceRequestUnitOfWork,
        viewer: Viewer,
        request_id: UUID,
        action: RequestAction | None,
    ) -> ServiceRequest:
        request = await uow.service_requests.get(request_id, lock=True)
        if request is None or not viewer.sees(request):
            raise NotFound("No such service request", field="id")
        if action in STAFF_ONLY and not viewer.is_staff:
            raise Forbidden("Only staff do this", field="id")
        return request

    async def _log_status(
        self,
        uow: ServiceRequestUnitOfWork,
        before: ServiceRequest,
        after: ServiceRequest,
        actor_id: UUID,
    ) -> None:
        if before.status is after.status:
            return
        await self._log(
            uow,
            after,
            actor_id,
            ChangeKind.STATUS_CHANGED,
            from_status=before.status,
            to_status=after.status,
        )
        uow.record(
            self._event(
                STATUS_CHANGED,
                after,
                from_status=before.status.value,
                to_status=after.status.value,
            )
        )

    async def _log(
        self,
        uow: ServiceRequestUnitOfWork,
        request: ServiceRequest,
        actor_id: UUID,
        kind: ChangeKind,
        **change: object,
    ) -> None:
        await uow.service_requests.add_change(
            RequestChange(
                id=new_id(),
                request_id=request.id,
                actor_id=actor_id,
                occurred_at=self._clock.now(),
                kind=kind,
                **change,  # type: ignore[arg-type]
            )
        )

    def _event(
        self,
        name: str,
        request: ServiceRequest,
        *,
        internal_only: bool = False,
        **payload: object,
    ) -> DomainEvent:
        """Ids and statuses only, never what was written. An internal note's event reaches
        staff alone: its customer is not in the audience."""
        audience = {request.assignee_id} if internal_only else {request.customer_id}
        if request.assignee_id is not None:
            audience.add(request.assignee_id)
        return DomainEvent(
            name=name,
            aggregate_type="ServiceRequest",
            aggregate_id=request.id,
            occurred_at=self._clock.now(),
            payload={"status": request.status.value, **payload},
            audience=tuple(sorted(a for a in audience if a is not None)),
        )
