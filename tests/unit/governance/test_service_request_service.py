"""Service requests without a database: who may do what, the reopen window, SLA targets
taken from the policy at opening, and alerts raised once."""

from datetime import UTC, datetime, timedelta
from uuid import uuid4

import pytest

from domain.governance.request_states import RequestAction, RequestStatus
from domain.governance.service_request_service import ServiceRequestService
from domain.governance.service_requests import RequestType, ServiceRequest, Viewer
from domain.governance.sla import Priority, SlaAlertKind, SlaTargets
from domain.governance.sla_service import SlaService
from domain.shared.clock import FixedClock
from domain.shared.errors import DomainError, ErrorCode
from tests.unit.governance.fakes import RequestUnitOfWork

NOW = datetime(2026, 6, 1, 8, tzinfo=UTC)
A = RequestAction


class Desk:
    def __init__(self) -> None:
        self.clock = FixedClock(NOW)
        self.staff = Viewer(uuid4(), is_staff=True)
        self.customer = Viewer(uuid4(), is_staff=False)
        self.uow = RequestUnitOfWork(self.staff.user_id)
        self.requests = ServiceRequestService(self.clock, timedelta(days=7))
        self.sla = SlaService(self.clock, at_risk_percent=80)

    async def opened(self, priority: Priority = Priority.HIGH) -> ServiceRequest:
        return await self.requests.open(
            self.uow,
            self.customer.user_id,
            RequestType.PAYMENT,
            " Card  declined ",
            "Help",
            priority,
        )

    async def resolved(self) -> ServiceRequest:
        request = await self.opened()
        await self.requests.assign(self.uow, self.staff, request.id, self.staff.user_id)
        await self.requests.act(self.uow, self.staff, request.id, A.START)
        return await self.requests.act(self.uow, self.staff, request.id, A.RESOLVE, "Done")


async def refused(work: object) -> ErrorCode:
    with pytest.raises(DomainError) as error:
        await work  # type: ignore[misc]
    return error.value.code


async def test_a_request_opens_with_the_default_targets_and_a_clean_title() -> None:
    desk = Desk()
    request = await desk.opened(Priority.CRITICAL)

    assert request.title == "Card declined"
    assert request.status is RequestStatus.OPEN
    assert request.sla.resolution_due_at == NOW + timedelta(hours=4)
    assert desk.uow.names == ["governance.service_request_opened"]
    assert desk.uow.events[0].audience == (desk.customer.user_id,)


async def test_an_edited_policy_applies_to_requests_opened_afterwards() -> None:
    desk = Desk()
    before = await desk.opened()
    await desk.sla.update_policy(
        desk.uow,
        uuid4(),
        RequestType.PAYMENT,
        Priority.HIGH,
        SlaTargets(timedelta(hours=1), timedelta(hours=8)),
    )
    after = await desk.opened()

    assert before.sla.resolution_due_at == NOW + timedelta(hours=24)
    assert after.sla.resolution_due_at == NOW + timedelta(hours=8)
    assert desk.uow.names[-2] == "governance.sla_policy_updated"


async def test_customers_only_comment_cancel_while_open_and_reopen_their_own() -> None:
    desk = Desk()
    request = await desk.opened()
    stranger = Viewer(uuid4(), is_staff=False)

    assert await refused(desk.requests.act(desk.uow, stranger, request.id, A.CANCEL)) is (
        ErrorCode.NOT_FOUND
    )
    assert await refused(desk.requests.act(desk.uow, desk.customer, request.id, A.START)) is (
        ErrorCode.FORBIDDEN
    )
    assert (
        await refused(
            desk.requests.comment(desk.uow, desk.customer, request.id, "x", internal=True)
        )
        is ErrorCode.FORBIDDEN
    )
    await desk.requests.assign(desk.uow, desk.staff, request.id, desk.staff.user_id)
    assert await refused(desk.requests.act(desk.uow, desk.customer, request.id, A.CANCEL)) is (
        ErrorCode.INVALID_STATE
    )


async def test_only_staff_are_assigned() -> None:
    desk = Desk()
    request = await desk.opened()

    assert (
        await refused(desk.requests.assign(desk.uow, desk.staff, request.id, desk.customer.user_id))
        is ErrorCode.NOT_FOUND
    )


async def test_a_request_reopens_within_the_window_and_not_after() -> None:
    desk = Desk()
    first, second = await desk.resolved(), await desk.resolved()

    desk.clock.advance(timedelta(days=7))
    reopened = await desk.requests.act(desk.uow, desk.customer, first.id, A.REOPEN)
    desk.clock.advance(timedelta(seconds=1))
    too_late = await refused(desk.requests.act(desk.uow, desk.customer, second.id, A.REOPEN))

    assert reopened.status is RequestStatus.ASSIGNED
    assert reopened.resolution is None
    assert too_late is ErrorCode.INVALID_STATE


async def test_nothing_is_said_on_a_closed_request() -> None:
    desk = Desk()
    request = await desk.resolved()
    await desk.requests.act(desk.uow, desk.staff, request.id, A.CLOSE)

    assert (
        await refused(
            desk.requests.comment(desk.uow, desk.staff, request.id, "late", internal=False)
        )
        is ErrorCode.INVALID_STATE
    )


async def test_alerts_are_raised_once_each_with_the_due_time_they_concern() -> None:
    desk = Desk()
    request = await desk.opened(Priority.CRITICAL)

    desk.clock.advance(timedelta(minutes=50))
    warned = await desk.sla.raise_due_alerts(desk.uow, desk.clock.now())
    again = await desk.sla.raise_due_alerts(desk.uow, desk.clock.now())
    desk.clock.advance(timedelta(hours=4))
    breached = await desk.sla.raise_due_alerts(desk.uow, desk.clock.now())

    assert [(a.kind, a.due_at) for a in warned] == [
        (SlaAlertKind.FIRST_RESPONSE_AT_RISK, NOW + timedelta(hours=1))
    ]
    assert again == []
    assert {a.kind for a in breached} == {
        SlaAlertKind.FIRST_RESPONSE_BREACHED,
        SlaAlertKind.RESOLUTION_BREACHED,
    }
    assert desk.uow.service_requests.rows[request.id].sla.breached
    assert desk.uow.names.count("governance.sla_alert_raised") == 3


def test_the_at_risk_share_is_a_percentage_strictly_between_0_and_100() -> None:
    for share in (0, 100):
        with pytest.raises(ValueError, match="1 to 99"):
            SlaService(FixedClock(NOW), share)
