"""Subscriptions over graphql-transport-ws: authenticated in connection_init, fed by the outbox."""

import pytest
from httpx_ws import WebSocketDisconnect
from starlette.applications import Starlette

from adapters.event_publisher import user_channel
from server.app import Runtime
from server.bootstrap import build_dispatcher
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient
from tests.support.identity import stepped_up_token
from tests.support.websocket import graphql_ws, wait_for_listener

MY_EVENTS = "subscription { myEvents { name aggregateType payload } }"


async def test_my_events_delivers_a_committed_change_live(
    runtime: Runtime, app: Starlette, graphql: GraphQLClient
) -> None:
    user = await create_user(runtime.services)
    token = await token_for(runtime.services, user)
    dispatcher = build_dispatcher(runtime.services)
    while await dispatcher.dispatch_once():  # sign-up and its wallet go out before anyone listens
        pass

    async with graphql_ws(app) as ws:
        ack = await ws.init({"Authorization": f"Bearer {token}"})
        await ws.subscribe("1", MY_EVENTS)
        await wait_for_listener(runtime.redis, user_channel(user.id))
        await graphql(
            'mutation { updateMyProfile(input: {fullName: "Ada L"}) { errors { code } } }',
            token=token,
        )
        await dispatcher.dispatch_once()
        message = await ws.receive()

    assert ack == {"type": "connection_ack"}
    assert message["type"] == "next"
    assert message["payload"]["data"]["myEvents"]["name"] == "identity.profile_updated"
    assert message["payload"]["data"]["myEvents"]["payload"] == {"changed": ["full_name"]}


async def test_an_invalid_token_in_connection_init_closes_with_4403(
    app: Starlette,
) -> None:
    async with graphql_ws(app) as ws:
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.init({"Authorization": "Bearer forged"})

    assert closed.value.code == 4403


async def test_an_anonymous_subscription_closes_the_socket_with_4403(
    app: Starlette,
) -> None:
    async with graphql_ws(app) as ws:
        await ws.init()
        await ws.subscribe("1", MY_EVENTS)
        with pytest.raises(WebSocketDisconnect) as closed:
            await ws.receive()

    assert closed.value.code == 4403


async def test_an_api_key_authenticates_a_websocket(
    runtime: Runtime, app: Starlette, graphql: GraphQLClient
) -> None:
    admin = await stepped_up_token(runtime, graphql, roles=["admin"])
    created = await graphql(
        'mutation { createApiKey(input: {name: "ws", scopes: ["roles:read"]}) { secret } }',
        token=admin,
    )

    async with graphql_ws(app) as ws:
        ack = await ws.init({"Authorization": f"ApiKey {created.data['createApiKey']['secret']}"})

    assert ack == {"type": "connection_ack"}
