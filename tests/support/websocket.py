"""A graphql-transport-ws client over httpx-ws, speaking to the ASGI app in-process."""

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

import httpx
from httpx_ws import AsyncWebSocketSession, aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport
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
        aconnect_ws("/graphql", http, subprotocols=[PROTOCOL]) as session,
    ):
        yield GraphQLWebSocket(session)
