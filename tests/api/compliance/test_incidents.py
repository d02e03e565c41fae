"""Incidents through GraphQL: the whole life of one, its timeline, the postmortem and breach
rules, filters and pages, and who may do any of it."""

import uuid

import pytest

from schema.ids import from_global_id, to_global_id
from server.app import Runtime
from tests.support.compliance import (
    ADD_ENTRY,
    OPEN,
    STEPS,
    TIMELINE,
    officer,
    open_incident,
    step,
    step_mutation,
    timeline,
)
from tests.support.graphql import GraphQLClient
from tests.support.payments import customer

INCIDENTS = """
query($filter: IncidentFilter, $first: Int! = 20, $after: String) {
  incidents(filter: $filter, first: $first, after: $after) {
    edges { node { id severity status personalDataBreach } }
    pageInfo { hasNextPage endCursor } } }
"""
AUDIT = """
query($id: String!) { auditLog(filter: {entityType: "Incident", entityId: $id}) {
  edges { node { action actor changes } } } }
"""


async def test_an_incident_goes_from_open_to_closed_and_its_timeline_tells_every_step(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    lead = await officer(runtime)
    admin = await officer(runtime, role="admin")
    opened = await open_incident(
        graphql,
        lead.token,
        severity="SEV1",
        affected=[{"entityType": "Merchant", "entityId": "kapana-corner"}],
    )
    incident = opened["id"]

    acknowledged = await step(graphql, admin.token, "acknowledgeIncident", incident)
    mitigated = await step(graphql, lead.token, "mitigateIncident", incident, note="Failover")
    noted = await graphql(
        ADD_ENTRY, {"input": {"id": incident, "body": "Gateway confirms"}}, token=lead.token
    )
    resolved = await step(graphql, lead.token, "resolveIncident", incident, summary="Fixed DNS")
    closed = await step(
        graphql, lead.token, "closeIncident", incident, postmortem="Root cause: expired record"
    )
    entries = await timeline(graphql, lead.token, incident)
    after_closing = await graphql(
        ADD_ENTRY, {"input": {"id": incident, "body": "Late note"}}, token=lead.token
    )

    lead_id, admin_id = (to_global_id("User", who.user.id) for who in (lead, admin))
    assert (opened["status"], opened["openedBy"], opened["affected"]) == (
        "OPEN",
        {"id": lead_id},
        [{"entityType": "Merchant", "entityId": "kapana-corner"}],
    )
    assert acknowledged["incident"]["status"] == "INVESTIGATING"
    assert acknowledged["incident"]["acknowledgedBy"] == {"id": admin_id}
    assert mitigated["incident"]["status"] == "MITIGATED"
    assert noted.data["addIncidentTimelineEntry"]["entry"]["kind"] == "NOTE"
    assert resolved["incident"]["resolutionSummary"] == "Fixed DNS"
    assert closed["incident"]["status"] == "CLOSED"
    assert closed["incident"]["postmortem"] == "Root cause: expired record"
    assert after_closing.data["addIncidentTimelineEntry"]["errors"][0]["code"] == "INVALID_STATE"
    assert [(e["kind"], e["fromStatus"], e["toStatus"], e["actor"]) for e in entries] == [
        ("OPENED", None, None, {"id": lead_id}),
        ("STATUS_CHANGED", "OPEN", "INVESTIGATING", {"id": admin_id}),
        ("STATUS_CHANGED", "INVESTIGATING", "MITIGATED", {"id": lead_id}),
        ("NOTE", None, None, {"id": lead_id}),
        ("STATUS_CHANGED", "MITIGATED", "RESOLVED", {"id": lead_id}),
        ("STATUS_CHANGED", "RESOLVED", "CLOSED", {"id": lead_id}),
    ]
    assert [e["body"] for e in entries][2:] == [
        "Failover",
        "Gateway confirms",
        "Fixed DNS",
        "Root cause: expired record",
    ]


async def test_every_change_is_audited_without_the_free_text(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    lead = await officer(runtime)
    incident = (await open_incident(graphql, lead.token, title="Leak of Ada's card"))["id"]
    await step(graphql, lead.token, "acknowledgeIncident", incident)

    raw_id = str(from_global_id(incident, "Incident")[1])
    logged = await graphql(AUDIT, {"id": raw_id}, token=lead.token)

    entries = [edge["node"] for edge in logged.data["auditLog"]["edges"]]
    assert [e["action"] for e in entries] == [
        "compliance.incident_status_changed",
        "compliance.incident_opened",
    ]
    assert {e["actor"] for e in entries} == {f"user:{lead.user.id}"}
    assert "Ada" not in str(entries)


async def test_an_incident_closes_only_when_resolved_and_only_with_a_postmortem(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    lead = await officer(runtime)
    incident = (await open_incident(graphql, lead.token))["id"]

    too_early = await step(graphql, lead.token, "closeIncident", incident, postmortem="Done")
    await step(graphql, lead.token, "acknowledgeIncident", incident)
    acknowledged_again = await step(graphql, lead.token, "acknowledgeIncident", incident)
    await step(graphql, lead.token, "mitigateIncident", incident, note="Contained")
    await step(graphql, lead.token, "resolveIncident", incident, summary="Fixed")
    blank = await step(graphql, lead.token, "closeIncident", incident, postmortem="   ")
    after_blank = await timeline(graphql, lead.token, incident)

    assert too_early["errors"] == [
        {
            "code": "INVALID_STATE",
            "field": ["id"],
            "message": "An incident cannot move from OPEN to CLOSED",
        }
    ]
    assert too_early["incident"] is None
    assert acknowledged_again["errors"][0]["message"] == (
        "An incident cannot move from INVESTIGATING to INVESTIGATING"
    )
    assert blank["errors"][0]["code"] == "BAD_USER_INPUT"
    assert blank["errors"][0]["field"] == ["postmortem"]
    assert after_blank[-1]["toStatus"] == "RESOLVED"


async def test_a_breach_has_its_deadline_and_closes_only_after_the_regulator_is_told(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    lead = await officer(runtime)
    incident = (await open_incident(graphql, lead.token))["id"]
    for name, fields in [
        ("acknowledgeIncident", {}),
        ("mitigateIncident", {"note": "Contained"}),
        ("resolveIncident", {"summary": "Fixed"}),
    ]:
        await step(graphql, lead.token, name, incident, **fields)

    marked = await step(graphql, lead.token, "markPersonalDataBreach", incident)
    marked_twice = await step(graphql, lead.token, "markPersonalDataBreach", incident)
    refused = await step(graphql, lead.token, "closeIncident", incident, postmortem="Done")
    notified = await step(
        graphql, lead.token, "recordRegulatorNotification", incident, reference="IR-2026-07"
    )
    closed = await step(graphql, lead.token, "closeIncident", incident, postmortem="Done")

    assert marked["incident"]["personalDataBreach"] is True
    assert marked["incident"]["regulatorNotificationDueAt"] is not None
    assert marked_twice["errors"][0]["code"] == "CONFLICT"
    assert refused["errors"][0]["code"] == "INVALID_STATE"
    assert notified["incident"]["regulatorReference"] == "IR-2026-07"
    assert closed["incident"]["status"] == "CLOSED"


async def test_incidents_are_filtered_and_paged_newest_first(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    lead = await officer(runtime)
    first = await open_incident(graphql, lead.token, severity="SEV1")
    second = await open_incident(graphql, lead.token, severity="SEV3", personalDataBreach=True)
    third = await open_incident(graphql, lead.token, severity="SEV1")
    await step(graphql, lead.token, "acknowledgeIncident", third["id"])

    sev1 = await graphql(INCIDENTS, {"filter": {"severity": "SEV1"}}, token=lead.token)
    breaches = await graphql(INCIDENTS, {"filter": {"personalDataBreach": True}}, token=lead.token)
    still_open = await graphql(INCIDENTS, {"filter": {"status": "OPEN"}}, token=lead.token)
    page = await graphql(INCIDENTS, {"first": 2}, token=lead.token)
    rest = await graphql(
        INCIDENTS,
        {"first": 2, "after": page.data["incidents"]["pageInfo"]["endCursor"]},
        token=lead.token,
    )

    def ids(response) -> list[str]:  # type: ignore[no-untyped-def]
        return [edge["node"]["id"] for edge in response.data["incidents"]["edges"]]

    assert ids(sev1) == [third["id"], first["id"]]
    assert ids(breaches) == [second["id"]]
    assert ids(still_open) == [second["id"], first["id"]]
    assert ids(page) == [third["id"], second["id"]]
    assert page.data["incidents"]["pageInfo"]["hasNextPage"] is True
    assert ids(rest) == [first["id"]]


async def test_a_long_timeline_pages_in_order(runtime: Runtime, graphql: GraphQLClient) -> None:
    lead = await officer(runtime)
    incident = (await open_incident(graphql, lead.token))["id"]
    for number in range(3):
        await graphql(
            ADD_ENTRY, {"input": {"id": incident, "body": f"note {number}"}}, token=lead.token
        )

    first = await graphql(TIMELINE, {"id": incident, "first": 2}, token=lead.token)
    cursor = first.data["incident"]["timeline"]["pageInfo"]["endCursor"]
    second = await graphql(
        TIMELINE, {"id": incident, "first": 2, "after": cursor}, token=lead.token
    )

    bodies = [
        edge["node"]["body"]
        for page in (first, second)
        for edge in page.data["incident"]["timeline"]["edges"]
    ]
    assert bodies == ["Card payments time out", "note 0", "note 1", "note 2"]
    assert second.data["incident"]["timeline"]["pageInfo"]["hasNextPage"] is False


LIST_WITH_TIMELINES = """
{ incidents(first: 10) { edges { node { id openedBy { id }
  timeline(first: 5) { edges { node { kind actor { id } } } } } } } }
"""


async def test_listing_incidents_with_their_timelines_costs_the_same_for_one_or_many(
    runtime: Runtime, graphql: GraphQLClient, count_sql
) -> None:
    lead = await officer(runtime)
    await open_incident(graphql, lead.token)
    with count_sql() as one:
        listed_one = await graphql(LIST_WITH_TIMELINES, token=lead.token)
    for _ in range(4):
        await open_incident(graphql, lead.token)
    with count_sql() as five:
        listed_five = await graphql(LIST_WITH_TIMELINES, token=lead.token)

    assert len(listed_one.data["incidents"]["edges"]) == 1
    assert len(listed_five.data["incidents"]["edges"]) == 5
    assert five.count == one.count, five.statements


async def test_bad_input_is_a_typed_error_and_stores_nothing(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    lead = await officer(runtime)
    bad = {"title": "x", "severity": "SEV4", "description": "a\u0000b"}

    refused = await graphql(OPEN, {"input": bad}, token=lead.token)
    listed = await graphql(INCIDENTS, token=lead.token)

    assert refused.data["openIncident"]["errors"][0]["field"] == ["description"]
    assert listed.data["incidents"]["edges"] == []


async def test_an_unknown_incident_is_not_found(runtime: Runtime, graphql: GraphQLClient) -> None:
    lead = await officer(runtime)
    nowhere = to_global_id("Incident", uuid.uuid4())

    read = await graphql(
        "query($id: ID!) { incident(id: $id) { id } }", {"id": nowhere}, token=lead.token
    )
    moved = await step(graphql, lead.token, "acknowledgeIncident", nowhere)

    assert read.data == {"incident": None}
    assert moved["errors"][0]["code"] == "NOT_FOUND"


REQUIRED = {
    "mitigateIncident": {"note": "n"},
    "resolveIncident": {"summary": "s"},
    "closeIncident": {"postmortem": "p"},
    "recordRegulatorNotification": {"reference": "r"},
}
CUSTOMER_OPERATIONS = [
    (OPEN, {"input": {"title": "t", "severity": "SEV1", "description": "d"}}),
    *[(step_mutation(name), {"input": {"id": "x", **REQUIRED.get(name, {})}}) for name in STEPS],
    (ADD_ENTRY, {"input": {"id": "x", "body": "b"}}),
    ('{ incident(id: "x") { id } }', {}),
    ("{ incidents { edges { node { id } } } }", {}),
    ('{ transactionVolume(from: "2026-06-01", to: "2026-06-02") { groupBy } }', {}),
    ('{ incidentStats(from: "2026-06-01", to: "2026-06-02") { from } }', {}),
    ('{ kycFunnel(from: "2026-06-01", to: "2026-06-02") { submitted } }', {}),
]


@pytest.mark.parametrize(("query", "variables"), CUSTOMER_OPERATIONS)
async def test_a_customer_is_forbidden_every_incident_and_report_field(
    runtime: Runtime, graphql: GraphQLClient, query: str, variables: dict
) -> None:
    ada = await customer(runtime, graphql)

    answered = await graphql(query, variables, token=ada.token)
    anonymous = await graphql(query, variables)

    assert answered.error_codes == ["FORBIDDEN"], answered.body
    assert anonymous.error_codes == ["UNAUTHENTICATED"]
