"""Internal comments are for staff: no query, mutation payload or event hands one to the
customer, whatever the path."""

from sqlalchemy import select
from starlette.applications import Starlette

from adapters.event_publisher import user_channel
from persistence.shared.tables import OutboxEventRow
from schema.ids import from_global_id
from server.app import Runtime
from tests.support.governance import comment, in_progress, person, resolve
from tests.support.graphql import GraphQLClient
from tests.support.identity import deliver_outbox
from tests.support.websocket import graphql_ws, wait_for_listener

PARTS = (
    "comments { edges { node { body internal } } } history { edges { node { kind commentId } } }"
)
BY_ID = f"query($id: ID!) {{ serviceRequest(id: $id) {{ {PARTS} }} }}"
MINE = f"{{ myServiceRequests {{ edges {{ node {{ {PARTS} }} }} }} }}"
QUEUE = f"{{ serviceRequests {{ edges {{ node {{ {PARTS} }} }} }} }}"
NODE = f"query($id: ID!) {{ node(id: $id) {{ ... on ServiceRequest {{ {PARTS} }} }} }}"
REOPEN = f"mutation($id: ID!) {{ reopenServiceRequest(input: {{id: $id}}) {{ request {{ {PARTS} }} errors {{ code }} }} }}"
MY_EVENTS = "subscription { myEvents { name payload } }"
PUBLIC, NOTE = "We are looking into it.", "Customer looks like a fraud risk."


def bodies(request: dict) -> list[str]:
    return [edge["node"]["body"] for edge in request["comments"]["edges"]]


def commented(request: dict) -> int:
    return sum(edge["node"]["kind"] == "COMMENTED" for edge in request["history"]["edges"])


async def test_the_customer_sees_public_comments_only_through_every_query_path(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    request = await in_progress(graphql, customer, staff)
    await comment(graphql, staff, request["id"], PUBLIC)
    await comment(graphql, staff, request["id"], NOTE, internal=True)
    await resolve(graphql, staff, request["id"])

    by_id = (await graphql(BY_ID, {"id": request["id"]}, token=customer.token)).data
    mine = (await graphql(MINE, token=customer.token)).data["myServiceRequests"]["edges"]
    node = (await graphql(NODE, {"id": request["id"]}, token=customer.token)).data["node"]
    reopened = (await graphql(REOPEN, {"id": request["id"]}, token=customer.token)).data
    as_staff = (await graphql(BY_ID, {"id": request["id"]}, token=staff.token)).data
    queue = (await graphql(QUEUE, token=staff.token)).data["serviceRequests"]["edges"]

    seen_by_customer = [
        by_id["serviceRequest"],
        mine[0]["node"],
        node,
        reopened["reopenServiceRequest"]["request"],
    ]
    for seen in seen_by_customer:
        assert bodies(seen) == [PUBLIC]
        assert commented(seen) == 1
        assert {edge["node"]["internal"] for edge in seen["comments"]["edges"]} == {False}
    for seen in (as_staff["serviceRequest"], queue[0]["node"]):
        assert bodies(seen) == [PUBLIC, NOTE]
        assert commented(seen) == 2


async def test_customers_cannot_write_internal_notes(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    request = await in_progress(graphql, customer, staff)

    refused = await comment(graphql, customer, request["id"], "psst", internal=True)
    listed = (await graphql(BY_ID, {"id": request["id"]}, token=staff.token)).data

    assert refused.data["addServiceRequestComment"] == {
        "comment": None,
        "errors": [
            {
                "code": "FORBIDDEN",
                "field": ["internal"],
                "message": "Only staff write internal notes",
            }
        ],
    }
    assert bodies(listed["serviceRequest"]) == []


async def test_an_internal_notes_event_never_reaches_the_customer(
    runtime: Runtime, app: Starlette, graphql: GraphQLClient
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    request = await in_progress(graphql, customer, staff)
    await deliver_outbox(runtime)
    customer_id = from_global_id(customer.id)[1]

    async with graphql_ws(app) as ws:
        await ws.init({"Authorization": f"Bearer {customer.token}"})
        await ws.subscribe("events", MY_EVENTS)
        await wait_for_listener(runtime.redis, user_channel(customer_id))
        await comment(graphql, staff, request["id"], NOTE, internal=True)
        await comment(graphql, staff, request["id"], PUBLIC)
        await deliver_outbox(runtime)
        heard = await ws.receive()
    async with runtime.services.session_factory() as session:
        events = (
            await session.scalars(
                select(OutboxEventRow)
                .where(OutboxEventRow.name == "governance.service_request_commented")
                .order_by(OutboxEventRow.position)
            )
        ).all()

    assert heard["payload"]["data"]["myEvents"]["name"] == "governance.service_request_commented"
    assert heard["payload"]["data"]["myEvents"]["payload"]["internal"] is False
    note, public = events
    assert customer_id not in note.audience
    assert customer_id in public.audience
    assert NOTE not in str(note.payload)
    assert PUBLIC not in str(public.payload)


async def test_customers_may_not_follow_sla_alerts(
    runtime: Runtime, app: Starlette, graphql: GraphQLClient
) -> None:
    customer = await person(runtime, graphql, "customer")

    async with graphql_ws(app) as ws:
        await ws.init({"Authorization": f"Bearer {customer.token}"})
        await ws.subscribe("alerts", "subscription { slaAlerts { kind } }")
        refused = await ws.receive()

    errors = refused["payload"] if refused["type"] == "error" else refused["payload"]["errors"]
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"
