"""Drives service requests and role administration the way clients would."""

from dataclasses import dataclass, replace
from typing import Any

from domain.identity.model import User
from server.app import Runtime
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient, GraphQLResponse

REQUEST_FIELDS = """id status priority title resolution assignee { id } customer { id }
  sla { firstResponseDueAt resolutionDueAt firstRespondedAt resolvedAt paused breached }"""
OPEN = f"""
mutation($input: OpenServiceRequestInput!) {{
  openServiceRequest(input: $input) {{ request {{ {REQUEST_FIELDS} }} errors {{ code field message }} }}
}}
"""
ASSIGN = f"""
mutation($id: ID!, $assignee: ID!) {{
  assignServiceRequest(input: {{id: $id, assigneeId: $assignee}}) {{
    request {{ {REQUEST_FIELDS} }} errors {{ code field message }} }}
}}
"""
RESOLVE = f"""
mutation($id: ID!, $resolution: String!) {{
  resolveServiceRequest(input: {{id: $id, resolution: $resolution}}) {{
    request {{ {REQUEST_FIELDS} }} errors {{ code field message }} }}
}}
"""
COMMENT = """
mutation($id: ID!, $body: String!, $internal: Boolean!) {
  addServiceRequestComment(input: {requestId: $id, body: $body, internal: $internal}) {
    comment { id body internal author { id } } errors { code field message } }
}
"""
ME = "{ me { id } }"


def act_mutation(name: str) -> str:
    """start, waitOnCustomer, resume, close, cancel, reopen: all take `{id}`."""
    return f"""
mutation($id: ID!) {{ {name}(input: {{id: $id}}) {{
  request {{ {REQUEST_FIELDS} }} errors {{ code field message }} }} }}
"""


@dataclass
class Person:
    token: str
    id: str
    """The user's global id."""
    user: User

    async def signed_in_again(self, runtime: Runtime) -> "Person":
        """A fresh access token, e.g. once an injected clock has moved past the last one."""
        return replace(self, token=await token_for(runtime.services, self.user))


async def person(runtime: Runtime, graphql: GraphQLClient, *roles: str) -> Person:
    user = await create_user(runtime.services, roles=roles or ("customer",))
    token = await token_for(runtime.services, user)
    return Person(token, (await graphql(ME, token=token)).data["me"]["id"], user)


async def open_request(
    graphql: GraphQLClient,
    customer: Person,
    priority: str = "HIGH",
    title: str = "My card payment failed",
    request_type: str = "PAYMENT",
) -> dict[str, Any]:
    variables = {
        "input": {
            "type": request_type,
            "title": title,
            "description": "I was charged but the shop says it did not arrive.",
            "priority": priority,
        }
    }
    opened = await graphql(OPEN, variables, token=customer.token)
    payload = opened.data["openServiceRequest"]
    assert payload["errors"] == [], opened.body
    return payload["request"]  # type: ignore[no-any-return]


async def act(graphql: GraphQLClient, who: Person, name: str, request_id: str) -> dict[str, Any]:
    """The mutation's payload: `request` and `errors`."""
    response = await graphql(act_mutation(name), {"id": request_id}, token=who.token)
    assert response.errors == [], response.body
    return response.data[name]  # type: ignore[no-any-return]


async def assign(
    graphql: GraphQLClient, staff: Person, request_id: str, assignee: Person | None = None
) -> dict[str, Any]:
    response = await graphql(
        ASSIGN, {"id": request_id, "assignee": (assignee or staff).id}, token=staff.token
    )
    return response.data["assignServiceRequest"]  # type: ignore[no-any-return]


async def resolve(
    graphql: GraphQLClient, staff: Person, request_id: str, resolution: str = "Refunded."
) -> dict[str, Any]:
    response = await graphql(
        RESOLVE, {"id": request_id, "resolution": resolution}, token=staff.token
    )
    return response.data["resolveServiceRequest"]  # type: ignore[no-any-return]


async def comment(
    graphql: GraphQLClient, who: Person, request_id: str, body: str, internal: bool = False
) -> GraphQLResponse:
    return await graphql(
        COMMENT, {"id": request_id, "body": body, "internal": internal}, token=who.token
    )


async def in_progress(
    graphql: GraphQLClient, customer: Person, staff: Person, priority: str = "HIGH"
) -> dict[str, Any]:
    """A request of the customer's, assigned to and started by the member of staff."""
    opened = await open_request(graphql, customer, priority)
    assert (await assign(graphql, staff, opened["id"]))["errors"] == []
    started = await act(graphql, staff, "startServiceRequest", opened["id"])
    assert started["errors"] == [], started
    return started["request"]  # type: ignore[no-any-return]
