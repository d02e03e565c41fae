"""SLA on an injected clock: due times across pauses, the sla_check job marking exactly the
at-risk and breached requests once, and its alerts arriving live on `slaAlerts`."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from httpx_ws import WebSocketDisconnect
from sqlalchemy import select
from starlette.applications import Starlette

from adapters.event_publisher import user_channel
from adapters.governance_alerts import SLA_ALERTS_CHANNEL
from adapters.mail import RedisMailbox
from domain.governance.sla_service import SlaService
from domain.shared.calendar import NAMIBIA
from domain.shared.clock import FixedClock
from persistence.governance.request_tables import SlaAlertRow
from schema.ids import from_global_id
from server.app import Runtime
from server.bootstrap import build_scheduler, scheduled_jobs
from server.settings import Settings
from tests.support.compliance import runtime_on
from tests.support.governance import (
    Person,
    act,
    assign,
    comment,
    in_progress,
    open_request,
    person,
    resolve,
)
from tests.support.graphql import GraphQLClient
from tests.support.identity import deliver_outbox, stepped_up_token
from tests.support.websocket import GraphQLWebSocket, graphql_ws, wait_for_listener

ALERTS = """subscription($after: String) { slaAlerts(after: $after) {
  cursor seq kind priority dueAt request { id status } } }"""
BREACHED = (
    "{ serviceRequests(filter: {breached: true}) { edges { node { id sla { breached } } } } }"
)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
async def runtime(settings: Settings, clock: FixedClock) -> AsyncIterator[Runtime]:
    async with runtime_on(settings, clock) as runtime:
        yield runtime


async def sla_check(runtime: Runtime, clock: FixedClock) -> dict:
    (job,) = [job for job in scheduled_jobs(runtime.services) if job.name == "sla_check"]
    return await job.run(clock.now())  # type: ignore[return-value]


async def raised(runtime: Runtime) -> set[tuple[str, str]]:
    async with runtime.services.session_factory() as session:
        rows = await session.execute(select(SlaAlertRow.request_id, SlaAlertRow.kind))
    return {(str(request_id), kind) for request_id, kind in rows}


def raw(global_id: str) -> str:
    return str(from_global_id(global_id)[1])


async def alerts(ws: GraphQLWebSocket, count: int) -> list[dict]:
    messages = [await ws.receive() for _ in range(count)]
    assert [m["type"] for m in messages] == ["next"] * count, messages
    return [m["payload"]["data"]["slaAlerts"] for m in messages]


async def test_due_times_move_by_exactly_the_time_spent_waiting_on_the_customer(
    runtime: Runtime, graphql: GraphQLClient, clock: FixedClock
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    opened_at = clock.now()
    started = await in_progress(graphql, customer, staff, "HIGH")
    clock.advance(timedelta(hours=1))
    staff = await staff.signed_in_again(runtime)
    await act(graphql, staff, "waitOnCustomer", started["id"])
    clock.advance(timedelta(hours=7, minutes=30))
    staff = await staff.signed_in_again(runtime)
    resumed = await act(graphql, staff, "resumeServiceRequest", started["id"])

    due = resumed["request"]["sla"]
    assert datetime.fromisoformat(due["firstResponseDueAt"]) == opened_at + timedelta(hours=4)
    assert datetime.fromisoformat(due["resolutionDueAt"]) == opened_at + timedelta(hours=24 + 7.5)


async def test_the_first_public_comment_by_staff_is_the_first_response(
    runtime: Runtime, graphql: GraphQLClient, clock: FixedClock
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    opened = await open_request(graphql, customer, "CRITICAL")
    clock.advance(timedelta(minutes=5))
    await comment(graphql, customer, opened["id"], "Any news?")
    await comment(graphql, staff, opened["id"], "Checking the card network.", internal=True)
    clock.advance(timedelta(minutes=5))
    await comment(graphql, staff, opened["id"], "We are on it.")
    clock.advance(timedelta(minutes=5))
    staff = await staff.signed_in_again(runtime)
    read = await graphql(
        "query($id: ID!) { serviceRequest(id: $id) { sla { firstRespondedAt } } }",
        {"id": opened["id"]},
        token=staff.token,
    )

    responded = read.data["serviceRequest"]["sla"]["firstRespondedAt"]
    assert datetime.fromisoformat(responded) == clock.now() - timedelta(minutes=5)


async def test_the_job_marks_exactly_the_at_risk_and_breached_requests_and_only_once(
    runtime: Runtime, graphql: GraphQLClient, clock: FixedClock
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    critical = await open_request(graphql, customer, "CRITICAL")  # 1 h / 4 h
    high = await open_request(graphql, customer, "HIGH")  # 4 h / 24 h
    answered = await in_progress(graphql, customer, staff, "CRITICAL")
    paused = await in_progress(graphql, customer, staff, "CRITICAL")
    await act(graphql, staff, "waitOnCustomer", paused["id"])

    clock.advance(timedelta(minutes=47))  # 78% of an hour
    nothing_yet = await sla_check(runtime, clock)
    clock.advance(timedelta(minutes=2))  # 82%
    warned = await sla_check(runtime, clock)
    repeated = await sla_check(runtime, clock)
    after_warning = await raised(runtime)
    clock.advance(timedelta(minutes=12))  # 61 minutes
    breached = await sla_check(runtime, clock)
    staff = await staff.signed_in_again(runtime)
    queue = await graphql(BREACHED, token=staff.token)

    assert nothing_yet == {"at_risk": 0, "breached": 0}
    assert warned == {"at_risk": 1, "breached": 0}
    assert repeated == {"at_risk": 0, "breached": 0}
    assert after_warning == {(raw(critical["id"]), "first_response_at_risk")}
    assert breached == {"at_risk": 0, "breached": 1}
    assert await raised(runtime) == {
        (raw(critical["id"]), "first_response_at_risk"),
        (raw(critical["id"]), "first_response_breached"),
    }
    assert [edge["node"]["id"] for edge in queue.data["serviceRequests"]["edges"]] == [
        critical["id"]
    ]
    untouched = {raw(high["id"]), raw(answered["id"]), raw(paused["id"])}
    assert not untouched & {request for request, _ in await raised(runtime)}


async def test_the_scheduler_runs_the_sla_check_on_its_interval(
    runtime: Runtime, graphql: GraphQLClient, clock: FixedClock
) -> None:
    customer = await person(runtime, graphql, "customer")
    await open_request(graphql, customer, "CRITICAL")
    scheduler = build_scheduler(runtime.engine, runtime.services)
    clock.advance(timedelta(hours=2))

    first = await scheduler.run_due()
    clock.advance(timedelta(seconds=runtime.settings.sla_check_interval_s - 1))
    too_soon = await scheduler.run_due()

    assert "sla_check" in first
    assert "sla_check" not in too_soon
    assert {kind for _, kind in await raised(runtime)} == {"first_response_breached"}


async def test_alerts_stream_live_to_staff_and_resume_after_a_cursor_without_gaps(
    runtime: Runtime, app: Starlette, graphql: GraphQLClient, clock: FixedClock
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    first = await open_request(graphql, customer, "CRITICAL")
    second = await open_request(graphql, customer, "HIGH")

    async with graphql_ws(app) as ws:
        await ws.init({"Authorization": f"Bearer {staff.token}"})
        await ws.subscribe("alerts", ALERTS)
        await wait_for_listener(runtime.redis, SLA_ALERTS_CHANNEL)
        clock.advance(timedelta(minutes=50))
        await sla_check(runtime, clock)
        await deliver_outbox(runtime)
        live = await alerts(ws, 1)
    clock.advance(timedelta(hours=4))
    await sla_check(runtime, clock)
    await deliver_outbox(runtime)
    staff = await staff.signed_in_again(runtime)
    async with graphql_ws(app) as ws:
        await ws.init({"Authorization": f"Bearer {staff.token}"})
        await ws.subscribe("alerts", ALERTS, {"after": live[-1]["cursor"]})
        missed = await alerts(ws, 3)

    assert [(a["kind"], a["request"]["id"]) for a in live] == [
        ("FIRST_RESPONSE_AT_RISK", first["id"])
    ]
    assert live[0]["request"]["status"] == "OPEN"
    assert {(a["kind"], a["request"]["id"]) for a in missed} == {
        ("FIRST_RESPONSE_BREACHED", first["id"]),
        ("RESOLUTION_BREACHED", first["id"]),
        ("FIRST_RESPONSE_BREACHED", second["id"]),
    }
    assert [a["seq"] for a in live + missed] == [1, 2, 3, 4]


async def test_losing_the_staff_role_ends_the_alert_stream_with_4403(
    runtime: Runtime, app: Starlette, graphql: GraphQLClient
) -> None:
    admin = await stepped_up_token(runtime, graphql, roles=["admin"])
    staff = await person(runtime, graphql, "staff")

    async with graphql_ws(app) as ws:
        await ws.init({"Authorization": f"Bearer {staff.token}"})
        await ws.subscribe("alerts", ALERTS)
        await wait_for_listener(runtime.redis, user_channel(raw(staff.id)))
        revoked = await graphql(
            'mutation($u: ID!) { revokeRole(input: {userId: $u, role: "staff"}) { ok } }',
            {"u": staff.id},
            token=admin,
        )
        await deliver_outbox(runtime)
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.receive()

    assert revoked.data == {"revokeRole": {"ok": True}}
    assert closed.value.code == 4403


async def test_sla_compliance_counts_met_and_breached_targets_per_priority(
    runtime: Runtime, graphql: GraphQLClient, http: httpx.AsyncClient, clock: FixedClock
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    started_on = clock.now().astimezone(NAMIBIA).date()
    on_time = await in_progress(graphql, customer, staff, "CRITICAL")
    await resolve(graphql, staff, on_time["id"])
    late = await open_request(graphql, customer, "CRITICAL")
    clock.advance(timedelta(hours=2))
    staff = await staff.signed_in_again(runtime)
    await _work_and_resolve(graphql, staff, late["id"])
    clock.advance(timedelta(hours=3))
    staff = await staff.signed_in_again(runtime)
    period = {
        "from": (started_on - timedelta(days=1)).isoformat(),
        "to": (started_on + timedelta(days=1)).isoformat(),
    }

    report = await graphql(
        """query($from: Date!, $to: Date!) { slaCompliance(from: $from, to: $to) {
          byPriority { priority resolved firstResponseMet firstResponseBreached resolutionMet
            resolutionBreached resolutionRateBasisPoints resolutionRate }
          overall { resolved firstResponseRateBasisPoints firstResponseRate } } }""",
        period,
        token=staff.token,
    )

    critical, high, *_ = report.data["slaCompliance"]["byPriority"]
    assert critical == {
        "priority": "CRITICAL",
        "resolved": 2,
        "firstResponseMet": 1,
        "firstResponseBreached": 1,
        "resolutionMet": 2,
        "resolutionBreached": 0,
        "resolutionRateBasisPoints": 10_000,
        "resolutionRate": "1.0000",
    }
    assert high["resolved"] == 0
    assert high["resolutionRate"] is None
    assert report.data["slaCompliance"]["overall"] == {
        "resolved": 2,
        "firstResponseRateBasisPoints": 5_000,
        "firstResponseRate": "0.5000",
    }
    csv = await http.get(
        "/reports/slaCompliance.csv",
        params=period,
        headers={"authorization": f"Bearer {staff.token}"},
    )
    assert csv.status_code == 200
    assert csv.text.splitlines() == [
        "priority,resolved,first_response_met,first_response_breached,first_response_rate,"
        "resolution_met,resolution_breached,resolution_rate",
        "CRITICAL,2,1,1,0.5000,2,0,1.0000",
        "HIGH,0,0,0,,0,0,",
        "MEDIUM,0,0,0,,0,0,",
        "LOW,0,0,0,,0,0,",
        "ALL,2,1,1,0.5000,2,0,1.0000",
    ]


async def test_a_resolution_makes_the_cached_sla_compliance_report_stale(
    runtime: Runtime, graphql: GraphQLClient, clock: FixedClock
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    today = clock.now().astimezone(NAMIBIA).date().isoformat()
    query = """query($from: Date!, $to: Date!) {
      slaCompliance(from: $from, to: $to) { overall { resolved } } }"""
    first = await in_progress(graphql, customer, staff, "LOW")
    await resolve(graphql, staff, first["id"])
    await deliver_outbox(runtime)
    before = await graphql(query, {"from": today, "to": today}, token=staff.token)
    second = await in_progress(graphql, customer, staff, "LOW")
    await resolve(graphql, staff, second["id"])
    cached = await graphql(query, {"from": today, "to": today}, token=staff.token)
    await deliver_outbox(runtime)

    after = await graphql(query, {"from": today, "to": today}, token=staff.token)

    assert before.data["slaCompliance"]["overall"] == {"resolved": 1}
    assert cached.data["slaCompliance"]["overall"] == {"resolved": 1}
    assert after.data["slaCompliance"]["overall"] == {"resolved": 2}


async def _work_and_resolve(graphql: GraphQLClient, staff: Person, request_id: str) -> None:
    assert (await assign(graphql, staff, request_id))["errors"] == []
    assert (await act(graphql, staff, "startServiceRequest", request_id))["errors"] == []
    assert (await resolve(graphql, staff, request_id))["errors"] == []


async def test_alerts_are_emailed_to_the_assignee_or_else_to_the_staff_mailbox(
    runtime: Runtime, graphql: GraphQLClient, clock: FixedClock
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    await in_progress(graphql, customer, staff, "CRITICAL")  # responded: only resolution owed
    await open_request(graphql, customer, "CRITICAL")
    clock.advance(timedelta(hours=5))

    await sla_check(runtime, clock)
    await deliver_outbox(runtime)
    mails = [m for m in await RedisMailbox(runtime.redis).messages() if m.subject.startswith("SLA")]

    assert sorted(m.to for m in mails) == sorted(
        [staff.user.email, runtime.settings.sla_alert_mailbox, runtime.settings.sla_alert_mailbox]
    )
    assert {m.subject for m in mails} == {"SLA breached: critical service request"}
    assert {"resolution is due", "first response is due"} <= {
        phrase
        for m in mails
        for phrase in ("resolution is due", "first response is due")
        if phrase in m.body
    }


async def test_a_round_is_not_filled_by_requests_that_have_nothing_new(
    runtime: Runtime, graphql: GraphQLClient, clock: FixedClock
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    warned_before = await in_progress(graphql, customer, staff, "MEDIUM")  # resolution in 3 days
    one_at_a_time = SlaService(clock, at_risk_percent=80, batch_size=1)

    async def round_() -> list[tuple[str, str]]:
        async with runtime.services.unit_of_work() as uow:
            found = await one_at_a_time.raise_due_alerts(uow, clock.now())
        return [(str(alert.request_id), alert.kind.value) for alert in found]

    clock.advance(timedelta(hours=58))
    first = await round_()
    customer = await customer.signed_in_again(runtime)
    urgent = await open_request(graphql, customer, "CRITICAL")
    clock.advance(timedelta(minutes=50))
    second = await round_()

    assert first == [(raw(warned_before["id"]), "resolution_at_risk")]
    assert second == [(raw(urgent["id"]), "first_response_at_risk")]
