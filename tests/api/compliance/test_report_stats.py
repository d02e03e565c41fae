"""incidentStats and kycFunnel equal hand-written SQL over incidents and KYC profiles made
through the API on an injected clock."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest

from domain.shared.clock import FixedClock
from server.app import Runtime
from server.settings import Settings
from tests.api.compliance.test_reports import sql
from tests.support.compliance import (
    Officer,
    officer,
    open_incident,
    runtime_on,
    signed_in_again,
    step,
)
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient

STARTED = datetime(2026, 6, 10, 8, tzinfo=UTC)
JUNE = {"from": "2026-06-01", "to": "2026-06-30"}
STATS = """
query($from: Date!, $to: Date!) { incidentStats(from: $from, to: $to) { from to severities {
  severity opened
  timeToAcknowledge { count meanSeconds medianSeconds p90Seconds }
  timeToResolve { count meanSeconds medianSeconds p90Seconds } } } }
"""
EXPECTED_STATS = """
SELECT upper(severity) AS severity, count(*) AS opened,
       count(acknowledged_at) AS acknowledged,
       avg(extract(epoch FROM acknowledged_at - opened_at))::float8 AS ack_mean,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - opened_at)) AS ack_median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - opened_at)) AS ack_p90,
       count(resolved_at) AS resolved,
       avg(extract(epoch FROM resolved_at - opened_at))::float8 AS res_mean,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - opened_at)) AS res_median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - opened_at)) AS res_p90
FROM incidents
WHERE (opened_at AT TIME ZONE 'Africa/Windhoek')::date BETWEEN '2026-06-01' AND '2026-06-30'
GROUP BY severity
"""
FUNNEL = """
query($from: Date!, $to: Date!) {
  kycFunnel(from: $from, to: $to) { from to submitted approved rejected pending conversion } }
"""
EXPECTED_FUNNEL = """
SELECT count(*) AS submitted,
       count(*) FILTER (WHERE status = 'approved') AS approved,
       count(*) FILTER (WHERE status = 'rejected') AS rejected,
       count(*) FILTER (WHERE status = 'submitted') AS pending
FROM kyc_profiles
WHERE (submitted_at AT TIME ZONE 'Africa/Windhoek')::date BETWEEN '2026-06-01' AND '2026-06-30'
"""
SUBMIT = """
mutation($id: String!) { submitKyc(input: {nationalId: $id, phone: "+264811234567",
  dateOfBirth: "1990-01-01"}) { kyc { id } errors { code } } }
"""
REVIEW = """
mutation($id: ID!, $decision: KycDecision!) {
  reviewKyc(input: {id: $id, decision: $decision, reason: "checked"}) { errors { code } } }
"""


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(STARTED)


@pytest.fixture
async def runtime(settings: Settings, clock: FixedClock) -> AsyncIterator[Runtime]:
    async with runtime_on(settings, clock) as runtime:
        yield runtime


async def incident_after(
    runtime: Runtime,
    graphql: GraphQLClient,
    clock: FixedClock,
    lead: Officer,
    severity: str,
    acknowledge_min: int | None,
    resolve_min: int | None,
) -> None:
    """Opened now; acknowledged and resolved that many minutes later (None: not yet)."""
    lead = await signed_in_again(runtime, lead)
    incident = (await open_incident(graphql, lead.token, severity=severity))["id"]
    opened = clock.now()
    for minutes, steps in (
        (acknowledge_min, [("acknowledgeIncident", {})]),
        (resolve_min, [("mitigateIncident", {"note": "n"}), ("resolveIncident", {"summary": "s"})]),
    ):
        if minutes is None:
            continue
        clock.advance(opened + timedelta(minutes=minutes) - clock.now())
        lead = await signed_in_again(runtime, lead)
        for name, fields in steps:
            assert (await step(graphql, lead.token, name, incident, **fields))["errors"] == []
    clock.advance(timedelta(hours=1))


def severity_rows(body: dict) -> dict[str, tuple]:  # type: ignore[type-arg]
    return {
        row["severity"]: (
            row["opened"],
            *(
                row[measure][figure]
                for measure in ("timeToAcknowledge", "timeToResolve")
                for figure in ("count", "meanSeconds", "medianSeconds", "p90Seconds")
            ),
        )
        for row in body["incidentStats"]["severities"]
    }


async def test_incident_stats_equal_an_independent_sql_computation(
    runtime: Runtime, graphql: GraphQLClient, clock: FixedClock
) -> None:
    lead = await officer(runtime)
    for severity, acknowledge, resolve in [
        ("SEV1", 2, 45),
        ("SEV1", 5, 30),
        ("SEV1", 11, None),
        ("SEV1", None, None),
        ("SEV2", 30, 600),
        ("SEV2", 90, 1_500),
        ("SEV4", 7, 20),
    ]:
        await incident_after(runtime, graphql, clock, lead, severity, acknowledge, resolve)
    clock.advance(timedelta(days=40))  # July: not in the report
    await incident_after(runtime, graphql, clock, lead, "SEV1", 1, 2)
    lead = await signed_in_again(runtime, lead)

    answered = await graphql(STATS, JUNE, token=lead.token)
    expected = {row["severity"]: tuple(row)[1:] for row in await sql(runtime, EXPECTED_STATS)}

    assert answered.errors == [], answered.body
    got = severity_rows(answered.data)
    assert list(got) == ["SEV1", "SEV2", "SEV3", "SEV4"]
    assert got["SEV3"] == (0, 0, None, None, None, 0, None, None, None)
    for severity, row in expected.items():
        assert got[severity] == pytest.approx(row), severity
    assert got["SEV1"][:2] == (4, 3)


async def test_the_kyc_funnel_equals_an_independent_sql_count(
    runtime: Runtime, graphql: GraphQLClient, clock: FixedClock
) -> None:
    verifier = await create_user(runtime.services, roles=["verifier"])
    profiles = []
    for number in range(6):
        applicant = await create_user(runtime.services)
        token = await token_for(runtime.services, applicant)
        submitted = await graphql(SUBMIT, {"id": f"9001011234{number}"}, token=token)
        profiles.append(submitted.data["submitKyc"]["kyc"]["id"])
    reviewer = await token_for(runtime.services, verifier)
    for profile, decision in zip(
        profiles, ["APPROVE", "APPROVE", "REJECT", "APPROVE"], strict=False
    ):
        reviewed = await graphql(REVIEW, {"id": profile, "decision": decision}, token=reviewer)
        assert reviewed.data["reviewKyc"]["errors"] == []
    await sql(
        runtime,
        "UPDATE kyc_profiles SET submitted_at = submitted_at - interval '30 days' "
        "WHERE id = (SELECT id FROM kyc_profiles ORDER BY id LIMIT 1)",
    )
    staff = await officer(runtime, role="staff")

    answered = await graphql(FUNNEL, JUNE, token=staff.token)
    (expected,) = await sql(runtime, EXPECTED_FUNNEL)

    funnel = answered.data["kycFunnel"]
    assert (
        (funnel["submitted"], funnel["approved"], funnel["rejected"], funnel["pending"])
        == (
            expected["submitted"],
            expected["approved"],
            expected["rejected"],
            expected["pending"],
        )
        == (5, 2, 1, 2)
    )
    assert funnel["conversion"] == pytest.approx(expected["approved"] / expected["submitted"])
