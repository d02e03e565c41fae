"""A graphql-transport-ws client over httpx-ws: to the ASGI app in-process, or to a URL;
and a GraphQL-over-SSE reader."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
from httpx_ws import AsyncWebSocketSession, aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport
from redis.asyncio import Redis
from starlette.types import ASGIApp

PROTOCOL = "graphql-transport-ws"


class GraphQLWebSocket:
    def __init__(self, session: AsyncWebSocketSession) -> None:
        self.session = session

    async def init(self, payload: dict[str, Any] | None = None) -> dict[str, Any]:
        await self.session.send_json({"type": "connection_init", "payload": payload or {}})
        return await self.receive()

    async def subscribe(
        self, operation_id: str, query: str, variables: dict[str, Any] | None = None
    ) -> None:
        await self.session.send_json(
            {
                "id": operation_id,
                "type": "subscribe",
                "payload": {"query": query, "variables": variables or {}},
            }
        )

    async def receive(self, timeout: float = 5.0) -> dict[str, Any]:
        return await asyncio.wait_for(self.session.receive_json(), timeout)  # type: ignore[no-any-return]


@contextlib.asynccontextmanager
async def graphql_ws(app: ASGIApp) -> AsyncIterator[GraphQLWebSocket]:
    """Opened and closed in the test's own task (the transport's task group requires it)."""
    async with (
        ASGIWebSocketTransport(app=app) as transport,
        httpx.AsyncClient(transport=transport, base_url="http://testserver") as http,
        _connected(http) as ws,
    ):
        yield ws


@contextlib.asynccontextmanager
async def graphql_ws_to(base_url: str) -> AsyncIterator[GraphQLWebSocket]:
    """To a server listening on a real socket."""
    async with httpx.AsyncClient(base_url=base_url) as http, _connected(http) as ws:
        yield ws


@contextlib.asynccontextmanager
async def _connected(http: httpx.AsyncClient) -> AsyncIterator[GraphQLWebSocket]:
    async with aconnect_ws("/graphql", http, subprotocols=[PROTOCOL]) as session:
        yield GraphQLWebSocket(session)


async def wait_for_listener(redis: Redis, channel: str) -> None:
    """Until a server listens on the Redis channel: what is published next reaches it."""
    for _ in range(250):
        counts = dict(await redis.pubsub_numsub(channel))
        if counts.get(channel.encode(), 0) > 0:
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"nobody listens on {channel}")


async def sse_events(
    http: httpx.AsyncClient, query: str, variables: dict[str, Any], token: str
) -> AsyncIterator[tuple[str, Any]]:
    """(event, data) pairs of a GraphQL-over-SSE stream (distinct connections mode)."""
    headers = {"accept": "text/event-stream", "authorization": f"Bearer {token}"}
    body = {"query": query, "variables": variables}
    async with http.stream("POST", "/graphql", json=body, headers=headers) as response:
        assert response.status_code == 200, await response.aread()
        event = "message"
        async for line in response.aiter_lines():
            if line.startswith("event:"):
                event = line.removeprefix("event:").strip()
            elif line.startswith("data:"):
                data = line.removeprefix("data:").strip()
                yield event, orjson.loads(data) if data else None
