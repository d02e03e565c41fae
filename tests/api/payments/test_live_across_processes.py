"""Two `elcorp serve` processes sharing PostgreSQL and Redis: a subscriber on one hears,
in order, what is done through the other, over graphql-transport-ws and over SSE."""

import contextlib
from collections.abc import AsyncIterator

import httpx
import pytest

from schema.pagination import encode_feed_cursor
from server.app import Runtime
from server.settings import Settings
from tests.support.graphql import GraphQLClient
from tests.support.payments import Customer, customer, transfer
from tests.support.servers import serve_processes
from tests.support.websocket import GraphQLWebSocket, graphql_ws_to, sse_events

FEED = """
subscription($after: String) { myTransactionEvents(after: $after) {
  cursor seq status transaction { amount { amountMinor } } } }
"""
POSITION = "{ me { transactionFeedCursor } }"
EVENT_WAIT_S = 20.0  # well under the servers' re-check interval: Redis must wake them


@pytest.fixture
async def two_servers(settings: Settings) -> AsyncIterator[list[str]]:
    env = {
        "ELCORP_ENV": "test",
        "ELCORP_DATA_DIR": str(settings.data_dir),  # the same secrets as the test's runtime
        "DATABASE_URL": settings.resolved_database_url,
        "REDIS_URL": settings.resolved_redis_url,
        "ELCORP_IN_PROCESS_DISPATCHER": "true",
        "ELCORP_LIVE_RECHECK_S": "300",
        "ELCORP_LOG_LEVEL": "WARNING",
    }
    async with serve_processes(env, 2) as urls:
        yield urls


@contextlib.asynccontextmanager
async def subscribed(url: str, who: Customer, after: str) -> AsyncIterator[GraphQLWebSocket]:
    async with graphql_ws_to(url) as ws:
        assert await ws.init({"Authorization": f"Bearer {who.token}"}) == {"type": "connection_ack"}
        await ws.subscribe("feed", FEED, {"after": after})
        yield ws


async def received(ws: GraphQLWebSocket, count: int) -> list[tuple[int, int]]:
    """(feed seq, amount) of the next `count` events."""
    events = []
    for _ in range(count):
        message = await ws.receive(timeout=EVENT_WAIT_S)
        assert message["type"] == "next", message
        event = message["payload"]["data"]["myTransactionEvents"]
        events.append((event["seq"], event["transaction"]["amount"]["amountMinor"]))
    return events


async def test_a_subscriber_on_one_process_hears_transfers_made_through_the_other(
    runtime: Runtime, graphql: GraphQLClient, two_servers: list[str]
) -> None:
    first, second = two_servers
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql)
    start = (await graphql(POSITION, token=bob.token)).data["me"]["transactionFeedCursor"]

    async with httpx.AsyncClient(base_url=second) as http:
        through_second = GraphQLClient(http)
        async with subscribed(first, bob, start) as ws:
            for cents in (100, 200, 300):
                sent = await transfer(through_second, ada, bob, cents)
                assert sent.data["transfer"]["errors"] == [], sent.body
            live = await received(ws, 3)
        for cents in (400, 500):
            await transfer(through_second, ada, bob, cents)
        async with subscribed(second, bob, encode_feed_cursor(live[-1][0])) as ws:
            missed = await received(ws, 2)
            await transfer(through_second, ada, bob, 600)
            then = await received(ws, 1)
            with pytest.raises(TimeoutError):
                await ws.receive(timeout=1.0)

    assert live == [(1, 100), (2, 200), (3, 300)]
    assert missed == [(4, 400), (5, 500)]
    assert then == [(6, 600)]


async def test_an_sse_subscriber_hears_a_transfer_made_through_the_other_process(
    runtime: Runtime, graphql: GraphQLClient, two_servers: list[str]
) -> None:
    first, second = two_servers
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql)
    start = (await graphql(POSITION, token=bob.token)).data["me"]["transactionFeedCursor"]

    async with (
        httpx.AsyncClient(base_url=first, timeout=EVENT_WAIT_S) as listening,
        httpx.AsyncClient(base_url=second) as sending,
    ):
        stream = sse_events(listening, FEED, {"after": start}, bob.token)
        await transfer(GraphQLClient(sending), ada, bob, 700)
        event, data = await anext(stream)
        await stream.aclose()

    assert event == "next"
    assert data["data"]["myTransactionEvents"]["seq"] == 1
    assert data["data"]["myTransactionEvents"]["transaction"]["amount"] == {"amountMinor": 700}
