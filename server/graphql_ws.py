"""graphql-transport-ws with our limits: a document too long is refused before it is
parsed, more than `ws_max_subscriptions` operations at once close the socket with 4429,
and an anonymous connection subscribing to what needs authentication is closed with 4403
(the protocol's "Forbidden"), as a revoked session closes it (resolvers/live.py)."""

from typing import Any

from graphql import GraphQLError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    Message,
    SubscribeMessage,
)

from domain.shared.errors import ErrorCode
from schema.context import Context
from server.request_limits import query_too_long

FORBIDDEN_CLOSE_CODE = 4403
TOO_MANY_CLOSE_CODE = 4429


class LimitedTransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    closed = False

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        settings = self.context.services.settings
        if self.connection_acknowledged and len(self.operations) >= settings.ws_max_subscriptions:
            await self._close(TOO_MANY_CLOSE_CODE, "Too many subscriptions on this connection")
            return
        reason = query_too_long(message.get("payload", {}).get("query"), settings.max_query_bytes)
        if self.connection_acknowledged and reason is not None:
            error = GraphQLError(reason, extensions={"code": "PAYLOAD_TOO_LARGE"})
            await self.send_message(
                {"id": message["id"], "type": "error", "payload": [error.formatted]}
            )
            return
        await super().handle_subscribe(message)

    async def send_message(self, message: Message) -> None:
        if self.closed:
            return
        if self._refuses_anonymous(message):
            await self._close(FORBIDDEN_CLOSE_CODE, "Authentication required")
            return
        await super().send_message(message)

    def _refuses_anonymous(self, message: Message) -> bool:
        """The whole operation refused (no data) because nobody signed in."""
        if self.context.principal.is_authenticated:
            return False
        payload: Any = message.get("payload")
        if message["type"] == "error":
            errors = payload
        elif message["type"] == "next" and payload.get("data") is None:
            errors = payload.get("errors")
        else:
            return False
        unauthenticated = ErrorCode.UNAUTHENTICATED.value
        return any((e.get("extensions") or {}).get("code") == unauthenticated for e in errors or [])

    async def _close(self, code: int, reason: str) -> None:
        self.closed = True
        await self.websocket.close(code=code, reason=reason)
