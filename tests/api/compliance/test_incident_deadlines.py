"""The regulator's 72-hour deadline for personal-data breaches, on an injected clock: the due
time is exact, the job alerts once when it is near and once when it passed, officers are
emailed, and the alerts stream live to `incidentAlerts`."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from httpx_ws import WebSocketDisconnect
from sqlalchemy import delete
from starlette.applications import Starlette

from adapters.incident_alerts import INCIDENT_ALERTS_CHANNEL
from adapters.mail import RedisMailbox
from domain.shared.clock import FixedClock
from persistence.governance.tables import RoleAssignmentRow
from server.app import Runtime
from server.bootstrap import build_scheduler, scheduled_jobs
from server.settings import Settings
from tests.support.compliance import (
    Officer,
    officer,
    open_incident,
    runtime_on,
    signed_in_again,
    step,
    timeline,
)
from tests.support.graphql import GraphQLClient
from tests.support.identity import deliver_outbox
from tests.support.payments import customer
from tests.support.websocket import GraphQLWebSocket, graphql_ws, wait_for_listener

OPENED_AT = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
ALERTS = """
subscription($after: String) { incidentAlerts(after: $after) {
  cursor kind dueAt raisedAt incident { id personalDataBreach } } }
"""


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(OPENED_AT)


@pytest.fixture
async def runtime(settings: Settings, clock: FixedClock) -> AsyncIterator[Runtime]:
    """Incidents open, and the job runs, at the test's time."""
    async with runtime_on(settings, clock) as runtime:
        yield runtime


async def run_deadline_job(runtime: Runtime) -> dict[str, int]:
    (job,) = [job for job in scheduled_jobs(runtime.services) if job.name == "incident_deadlines"]
    counts = await job.run(runtime.services.clock.now())
    await deliver_outbox(runtime)
    assert counts is not None
    return counts


async def alerts_of(ws: GraphQLWebSocket, count: int) -> list[dict]:
    messages = [await ws.receive() for _ in range(count)]
    assert [m["type"] for m in messages] == ["next"] * count, messages
    return [m["payload"]["data"]["incidentAlerts"] for m in messages]


async def test_a_breach_is_due_72_hours_after_it_was_flagged(
    runtime: Runtime, graphql: GraphQLClient, clock: FixedClock
) -> None:
    lead = await officer(runtime)

    flagged_on_open = await open_incident(graphql, lead.token, personalDataBreach=True)
    later = await open_incident(graphql, lead.token)
    clock.advance(timedelta(hours=5, minutes=30))
    lead = await signed_in_again(runtime, lead)
    marked = await step(graphql, lead.token, "markPersonalDataBreach", later["id"])

    assert flagged_on_open["regulatorNotificationDueAt"] == "2026-06-04T08:00:00+00:00"
    assert flagged_on_open["breachFlaggedAt"] == "2026-06-01T08:00:00+00:00"
    assert later["regulatorNotificationDueAt"] is None
    assert marked["incident"]["regulatorNotificationDueAt"] == "2026-06-04T13:30:00+00:00"


async def test_the_job_alerts_once_when_near_and_once_when_passed_and_emails_officers(
    runtime: Runtime, graphql: GraphQLClient, clock: FixedClock
) -> None:
    lead = await officer(runtime)
    incident = (await open_incident(graphql, lead.token, personalDataBreach=True))["id"]
    await deliver_outbox(runtime)
    runs = []

    for hours in (47, 1, 1, 23, 1, 10):  # 47 h, 48 h (24 h left), 49, 72 (due), 73, 83
        clock.advance(timedelta(hours=hours))
        runs.append(await run_deadline_job(runtime))
    lead = await signed_in_again(runtime, lead)
    entries = await timeline(graphql, lead.token, incident)
    mail = await RedisMailbox(runtime.redis).messages()

    assert runs == [
        {"deadline_near": 0, "deadline_passed": 0},
        {"deadline_near": 1, "deadline_passed": 0},
        {"deadline_near": 0, "deadline_passed": 0},
        {"deadline_near": 0, "deadline_passed": 1},
        {"deadline_near": 0, "deadline_passed": 0},
        {"deadline_near": 0, "deadline_passed": 0},
    ]
    assert [(e["kind"], e["actor"]) for e in entries[-2:]] == [
        ("DEADLINE_NEAR", None),
        ("DEADLINE_PASSED", None),
    ]
    assert [(m.to, m.subject.split(" for ")[0]) for m in mail] == [
        (lead.user.email, "Regulator notification OVERDUE"),
        (lead.user.email, "Regulator notification due soon"),
    ]


async def test_a_notified_breach_raises_no_alert_and_the_scheduler_runs_the_job(
    runtime: Runtime, graphql: GraphQLClient, clock: FixedClock
) -> None:
    lead = await officer(runtime)
    incident = (await open_incident(graphql, lead.token, personalDataBreach=True))["id"]
    await step(graphql, lead.token, "recordRegulatorNotification", incident, reference="IR-9")
    scheduler = build_scheduler(runtime.engine, runtime.services)

    clock.advance(timedelta(hours=80))
    ran = await scheduler.run_due()
    await deliver_outbox(runtime)

    lead = await signed_in_again(runtime, lead)
    assert "incident_deadlines" in ran
    assert [e["kind"] for e in await timeline(graphql, lead.token, incident)][-1] == (
        "REGULATOR_NOTIFIED"
    )


async def test_alerts_stream_live_and_resume_after_a_cursor(
    runtime: Runtime, app: Starlette, graphql: GraphQLClient, clock: FixedClock
) -> None:
    lead = await officer(runtime)
    incident = (await open_incident(graphql, lead.token, personalDataBreach=True))["id"]

    async with graphql_ws(app) as ws:
        await ws.init({"Authorization": f"Bearer {lead.token}"})
        await ws.subscribe("alerts", ALERTS)
        await wait_for_listener(runtime.redis, INCIDENT_ALERTS_CHANNEL)
        clock.advance(timedelta(hours=50))
        await run_deadline_job(runtime)
        (near,) = await alerts_of(ws, 1)
    clock.advance(timedelta(hours=30))
    await run_deadline_job(runtime)
    lead = await signed_in_again(runtime, lead)
    async with graphql_ws(app) as ws:
        await ws.init({"Authorization": f"Bearer {lead.token}"})
        await ws.subscribe("alerts", ALERTS, {"after": near["cursor"]})
        (missed,) = await alerts_of(ws, 1)

    assert (near["kind"], near["incident"]) == (
        "DEADLINE_NEAR",
        {"id": incident, "personalDataBreach": True},
    )
    assert near["dueAt"] == "2026-06-04T08:00:00+00:00"
    assert near["raisedAt"] == "2026-06-03T10:00:00+00:00"
    assert missed["kind"] == "DEADLINE_PASSED"


async def test_only_incident_managers_subscribe_and_losing_the_role_ends_the_stream(
    runtime: Runtime, app: Starlette, graphql: GraphQLClient, clock: FixedClock
) -> None:
    ada = await customer(runtime, graphql)
    lead = await officer(runtime)
    await open_incident(graphql, lead.token, personalDataBreach=True)

    async with graphql_ws(app) as ws:
        await ws.init({"Authorization": f"Bearer {ada.token}"})
        await ws.subscribe("alerts", ALERTS)
        refused = await ws.receive()

    async with graphql_ws(app) as ws:
        await ws.init({"Authorization": f"Bearer {lead.token}"})
        await ws.subscribe("alerts", ALERTS)
        await wait_for_listener(runtime.redis, INCIDENT_ALERTS_CHANNEL)
        await revoke_roles(runtime, lead)
        clock.advance(timedelta(hours=50))
        await run_deadline_job(runtime)  # the alert wakes the stream, which re-checks
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.receive()

    assert refused["payload"][0]["extensions"]["code"] == "FORBIDDEN"
    assert closed.value.code == 4403


async def revoke_roles(runtime: Runtime, who: Officer) -> None:
    """As the governance context's revocation will (it has no mutation here yet)."""
    async with runtime.services.session_factory() as session, session.begin():
        await session.execute(
            delete(RoleAssignmentRow).where(RoleAssignmentRow.user_id == who.user.id)
        )
