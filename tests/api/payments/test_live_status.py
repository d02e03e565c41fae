"""Live transaction status over graphql-transport-ws: in order, resumable without gaps or
repeats, authorized for every event."""

import pytest
from httpx_ws import WebSocketDisconnect
from starlette.applications import Starlette

from adapters.event_publisher import user_channel
from schema.ids import from_global_id
from server.app import Runtime
from tests.support.graphql import GraphQLClient
from tests.support.identity import deliver_outbox
from tests.support.money import gateway_callback, withdraw
from tests.support.payments import Customer, customer, transfer
from tests.support.websocket import GraphQLWebSocket, graphql_ws, wait_for_listener

FEED = """
subscription($after: String) { myTransactionEvents(after: $after) {
  cursor seq transactionSeq status transaction { amount { amountMinor } direction } } }
"""
STATUS = """
subscription($id: ID!) { transactionStatus(id: $id) { seq status transaction { kind status } } }
"""
POSITION = "{ me { id transactionFeedCursor } }"


async def position(graphql: GraphQLClient, who: Customer) -> tuple[str, str]:
    me = (await graphql(POSITION, token=who.token)).data["me"]
    return me["id"], me["transactionFeedCursor"]


async def next_events(ws: GraphQLWebSocket, count: int) -> list[dict]:
    messages = [await ws.receive() for _ in range(count)]
    assert [m["type"] for m in messages] == ["next"] * count, messages
    return [m["payload"]["data"]["myTransactionEvents"] for m in messages]


async def refusal(ws: GraphQLWebSocket, operation_id: str) -> list[str]:
    """The error codes of an operation refused when it started; it is then complete."""
    refused, complete = await ws.receive(), await ws.receive()
    assert refused["type"] == "next", refused
    assert refused["payload"]["data"] is None
    assert complete == {"id": operation_id, "type": "complete"}
    return [error["extensions"]["code"] for error in refused["payload"]["errors"]]


async def nothing_more(ws: GraphQLWebSocket) -> bool:
    try:
        await ws.receive(timeout=0.5)
    except TimeoutError:
        return True
    return False


def amounts(events: list[dict]) -> list[int]:
    return [event["transaction"]["amount"]["amountMinor"] for event in events]


async def test_the_feed_streams_live_then_resumes_with_exactly_what_was_missed(
    runtime: Runtime, app: Starlette, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql)
    bob_id, start = await position(graphql, bob)
    channel = user_channel(from_global_id(bob_id)[1])

    async with graphql_ws(app) as ws:
        await ws.init({"Authorization": f"Bearer {bob.token}"})
        await ws.subscribe("feed", FEED, {"after": start})
        await wait_for_listener(runtime.redis, channel)
        for cents in (100, 200):
            await transfer(graphql, ada, bob, cents)
        await deliver_outbox(runtime)
        live = await next_events(ws, 2)
    for cents in (300, 400):
        await transfer(graphql, ada, bob, cents)
    await deliver_outbox(runtime)
    async with graphql_ws(app) as ws:
        await ws.init({"Authorization": f"Bearer {bob.token}"})
        await ws.subscribe("feed", FEED, {"after": live[-1]["cursor"]})
        missed = await next_events(ws, 2)
        await wait_for_listener(runtime.redis, channel)
        await transfer(graphql, ada, bob, 500)
        await deliver_outbox(runtime)
        after_reconnect = await next_events(ws, 1)
        quiet = await nothing_more(ws)

    assert amounts(live) == [100, 200]
    assert amounts(missed) == [300, 400]
    assert amounts(after_reconnect) == [500]
    assert [e["seq"] for e in live + missed + after_reconnect] == [1, 2, 3, 4, 5]
    assert {e["status"] for e in live + missed} == {"COMPLETED"}
    assert {e["transaction"]["direction"] for e in live} == {"IN"}
    assert quiet


async def test_a_payout_streams_its_status_until_the_gateway_settles_it(
    runtime: Runtime, app: Starlette, graphql: GraphQLClient, http
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    payout = (await withdraw(graphql, ada, 1_014)).data["withdraw"]["transaction"]  # pending
    _, raw_id = from_global_id(payout["id"])

    async with graphql_ws(app) as ws:
        await ws.init({"Authorization": f"Bearer {ada.token}"})
        await ws.subscribe("status", STATUS, {"id": payout["id"]})
        processing = await ws.receive()
        await wait_for_listener(runtime.redis, f"elcorp:events:transaction:{raw_id}")
        settled = await gateway_callback(
            http,
            runtime,
            {"id": "evt_1", "type": "transaction.succeeded", "reference": f"sandbox_po_{raw_id}"},
        )
        await deliver_outbox(runtime)
        completed = await ws.receive()
        done = await ws.receive()

    assert settled.status_code == 200
    assert processing["payload"]["data"]["transactionStatus"] == {
        "seq": 1,
        "status": "PROCESSING",
        "transaction": {"kind": "WITHDRAWAL", "status": "PROCESSING"},
    }
    assert completed["payload"]["data"]["transactionStatus"]["seq"] == 2
    assert completed["payload"]["data"]["transactionStatus"]["status"] == "COMPLETED"
    assert done == {"id": "status", "type": "complete"}


async def test_nobody_follows_a_transaction_they_may_not_see(
    runtime: Runtime, app: Starlette, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql)
    mallory = await customer(runtime, graphql)
    sent = (await transfer(graphql, ada, bob, 100)).data["transfer"]["transaction"]

    async with graphql_ws(app) as ws:
        await ws.init({"Authorization": f"Bearer {mallory.token}"})
        await ws.subscribe("status", STATUS, {"id": sent["id"]})
        refused = await refusal(ws, "status")

    assert refused == ["NOT_FOUND"]


async def test_a_session_revoked_while_streaming_closes_the_socket_with_4403(
    runtime: Runtime, app: Starlette, graphql: GraphQLClient
) -> None:
    bob = await customer(runtime, graphql)
    bob_id, start = await position(graphql, bob)

    async with graphql_ws(app) as ws:
        await ws.init({"Authorization": f"Bearer {bob.token}"})
        await ws.subscribe("feed", FEED, {"after": start})
        await wait_for_listener(runtime.redis, user_channel(from_global_id(bob_id)[1]))
        logged_out = await graphql("mutation { logout { ok } }", token=bob.token)
        await deliver_outbox(runtime)  # the revocation event wakes the stream
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.receive()

    assert logged_out.data == {"logout": {"ok": True}}
    assert closed.value.code == 4403


async def test_a_cursor_that_is_not_from_the_feed_is_refused(
    runtime: Runtime, app: Starlette, graphql: GraphQLClient
) -> None:
    bob = await customer(runtime, graphql)

    async with graphql_ws(app) as ws:
        await ws.init({"Authorization": f"Bearer {bob.token}"})
        await ws.subscribe("bogus", FEED, {"after": "not-a-cursor"})
        bogus = await refusal(ws, "bogus")
        await ws.subscribe("future", FEED, {"after": "ZmVlZDo5OTk="})  # feed:999
        future = await refusal(ws, "future")

    assert bogus == future == ["BAD_USER_INPUT"]
