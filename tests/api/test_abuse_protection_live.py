"""Abuse protection for what holds the server's time: WebSocket connections (close codes of
graphql-transport-ws) and requests that run too long (OWASP GraphQL cheat sheet: timeouts)."""

import asyncio

import asyncpg
import pytest
from httpx_ws import WebSocketDisconnect
from starlette.applications import Starlette

from domain.shared.ids import global_id
from schema.ids import from_global_id
from server.settings import Settings
from tests.support.apps import app_with
from tests.support.databases import plain_url
from tests.support.factories import create_user, token_for
from tests.support.payments import balance_of, customer, deposit, transfer
from tests.support.websocket import graphql_ws

MY_EVENTS = "subscription { myTransactionEvents { seq status } }"
STATUS = "subscription($id: ID!) { transactionStatus(id: $id) { seq status } }"
VIN_STATUS = '{ vinStatus(vin: "1HGCM82633A004352") { registered } }'


async def test_a_websocket_that_never_sends_connection_init_closes_with_4408(
    settings: Settings,
) -> None:
    async with app_with(settings, ws_init_timeout_s=0.2) as served, graphql_ws(served.app) as ws:
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.receive(timeout=5)

    assert closed.value.code == 4408


async def test_an_anonymous_subscribe_to_a_transaction_closes_with_4403(app: Starlette) -> None:
    unknown = global_id("Transaction", "0192f0c4-0000-7000-8000-000000000000")

    async with graphql_ws(app) as ws:
        await ws.init()
        await ws.subscribe("1", STATUS, {"id": unknown})
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.receive()

    assert closed.value.code == 4403


async def test_more_subscriptions_than_allowed_on_one_connection_close_with_4429(
    settings: Settings,
) -> None:
    async with app_with(settings, ws_max_subscriptions=2) as served:
        user = await create_user(served.runtime.services)
        token = await token_for(served.runtime.services, user)
        async with graphql_ws(served.app) as ws:
            await ws.init({"Authorization": f"Bearer {token}"})
            for operation_id in ("1", "2", "3"):
                await ws.subscribe(operation_id, MY_EVENTS)
            with pytest.raises(WebSocketDisconnect) as closed:
                await ws.receive()

    assert closed.value.code == 4429


async def test_an_oversized_subscribe_is_refused_before_parsing(
    app: Starlette, settings: Settings
) -> None:
    unparsable = "subscription {" + " " * settings.max_query_bytes

    async with graphql_ws(app) as ws:
        await ws.init()
        await ws.subscribe("1", unparsable)
        refused = await ws.receive()

    assert refused["type"] == "error"
    assert refused["payload"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_a_request_running_past_the_timeout_is_cancelled_with_503(
    settings: Settings, database_url: str
) -> None:
    async with app_with(settings, request_timeout_s=0.5) as served:
        ada = await customer(served.runtime, served.graphql, 5_000)
        bob = await customer(served.runtime, served.graphql)
        holder = await asyncpg.connect(plain_url(database_url))
        try:
            async with holder.transaction():  # the transfer queues on Ada's account
                await holder.execute(
                    "SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE",
                    from_global_id(ada.account_id)[1],
                )
                refused = await transfer(served.graphql, ada, bob, 1_000)
        finally:
            await holder.close()
        balances = (await balance_of(served.graphql, ada), await balance_of(served.graphql, bob))

    assert refused.status_code == 503
    assert refused.error_codes == ["SERVICE_UNAVAILABLE"]
    assert "0.5 s" in refused.errors[0]["message"]
    assert "Traceback" not in str(refused.body)
    assert balances == (5_000, 0)


async def test_a_statement_hitting_the_statement_timeout_is_service_unavailable(
    settings: Settings, database_url: str
) -> None:
    async with app_with(settings, db_statement_timeout_ms=200) as served:
        holder = await asyncpg.connect(plain_url(database_url))
        try:
            async with holder.transaction():  # every read of vehicles now waits
                await holder.execute("LOCK TABLE vehicles IN ACCESS EXCLUSIVE MODE")
                timed_out = await served.graphql(VIN_STATUS)
        finally:
            await holder.close()
        afterwards = await served.graphql(VIN_STATUS)

    assert timed_out.status_code == 200
    assert timed_out.error_codes == ["SERVICE_UNAVAILABLE"]
    assert timed_out.errors[0]["extensions"]["retryAfter"] == 1
    assert afterwards.data == {"vinStatus": {"registered": False}}


async def test_a_subscription_outlives_the_request_timeout(settings: Settings) -> None:
    async with app_with(settings, request_timeout_s=0.3, live_recheck_s=0.1) as served:
        ada = await customer(served.runtime, served.graphql)
        async with graphql_ws(served.app) as ws:
            await ws.init({"Authorization": f"Bearer {ada.token}"})
            await ws.subscribe("1", MY_EVENTS)
            await asyncio.sleep(0.6)  # longer than any query or mutation may run
            funded = await deposit(served.graphql, ada.token, ada.account_id, 1_000)
            event = await ws.receive()

    assert funded.data["deposit"]["errors"] == []
    assert event["type"] == "next"
    assert event["payload"]["data"]["myTransactionEvents"] == {"seq": 1, "status": "COMPLETED"}
