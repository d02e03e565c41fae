"""GraphQL calls for incidents and reports, as a compliance officer would make them."""

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from domain.identity.model import User
from domain.shared.clock import Clock
from server.app import Runtime
from server.settings import Settings
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient

INCIDENT_FIELDS = """
id title severity status description personalDataBreach affected { entityType entityId }
openedAt openedBy { id } acknowledgedAt acknowledgedBy { id } mitigatedAt resolvedAt
resolutionSummary closedAt postmortem breachFlaggedAt regulatorNotificationDueAt
regulatorNotifiedAt regulatorReference
"""
OPEN = f"""
mutation($input: OpenIncidentInput!) {{
  openIncident(input: $input) {{ incident {{ {INCIDENT_FIELDS} }} errors {{ code field message }} }}
}}
"""
STEPS = {
    "acknowledgeIncident": "IncidentIdInput",
    "mitigateIncident": "MitigateIncidentInput",
    "resolveIncident": "ResolveIncidentInput",
    "closeIncident": "CloseIncidentInput",
    "markPersonalDataBreach": "IncidentIdInput",
    "recordRegulatorNotification": "RecordRegulatorNotificationInput",
}
ADD_ENTRY = """
mutation($input: AddIncidentTimelineEntryInput!) {
  addIncidentTimelineEntry(input: $input) {
    entry { kind body actor { id } occurredAt } errors { code field message } } }
"""
TIMELINE = """
query($id: ID!, $first: Int! = 50, $after: String) { incident(id: $id) { status
  timeline(first: $first, after: $after) {
    edges { cursor node { kind body actor { id } fromStatus toStatus occurredAt } }
    pageInfo { hasNextPage endCursor } } } }
"""


def step_mutation(name: str) -> str:
    return f"""
mutation($input: {STEPS[name]}!) {{
  {name}(input: $input) {{ incident {{ {INCIDENT_FIELDS} }} errors {{ code field message }} }}
}}
"""


@dataclass
class Officer:
    user: User
    token: str


async def officer(runtime: Runtime, role: str = "compliance_officer") -> Officer:
    user = await create_user(runtime.services, roles=(role,))
    return Officer(user, await token_for(runtime.services, user))


async def signed_in_again(runtime: Runtime, who: Officer) -> Officer:
    """A new session's token: after the test's clock moved past the old one's 10 minutes."""
    return Officer(who.user, await token_for(runtime.services, who.user))


@contextlib.asynccontextmanager
async def runtime_on(settings: Settings, clock: Clock) -> AsyncIterator[Runtime]:
    """The whole process on the test's clock."""
    runtime = Runtime(settings, clock)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


async def open_incident(graphql: GraphQLClient, token: str, **fields: Any) -> dict[str, Any]:
    """The opened incident; fields override a SEV2 without affected entities."""
    given = {"title": "Card payments time out", "severity": "SEV2", "description": "Gateway"}
    response = await graphql(OPEN, {"input": {**given, **fields}}, token=token)
    payload = response.data["openIncident"]
    assert payload["errors"] == [], response.body
    return payload["incident"]  # type: ignore[no-any-return]


async def step(
    graphql: GraphQLClient, token: str, name: str, incident_id: str, **fields: Any
) -> dict[str, Any]:
    """The mutation's payload: `incident` and `errors`."""
    response = await graphql(
        step_mutation(name), {"input": {"id": incident_id, **fields}}, token=token
    )
    assert response.errors == [], response.body
    return response.data[name]  # type: ignore[no-any-return]


async def timeline(graphql: GraphQLClient, token: str, incident_id: str) -> list[dict[str, Any]]:
    response = await graphql(TIMELINE, {"id": incident_id}, token=token)
    assert response.errors == [], response.body
    return [edge["node"] for edge in response.data["incident"]["timeline"]["edges"]]
