"""The `/graphql` endpoint: strawberry's ASGI view with our context, auth and HTTP errors."""

from datetime import timedelta
from typing import Any

import orjson
from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Message, Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLRequestData
from strawberry.http.async_base_view import AsyncHTTPRequestAdapter
from strawberry.subscriptions import GRAPHQL_SSE_PROTOCOL, GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from auth.principal import ANONYMOUS
from schema.context import Context, Services
from schema.extensions import coded_or_masked
from server.csrf import check_csrf
from server.errors import RequestRejected, error_response
from server.graphql_ws import LimitedTransportWSHandler
from server.observability import request_state
from server.request_auth import authenticate
from server.request_limits import check_query_length, within_request_timeout
from server.trusted_documents import TrustedDocumentsPolicy, TrustedDocumentsWSHandler


class GraphQLWSHandler(LimitedTransportWSHandler, TrustedDocumentsWSHandler):  # type: ignore[misc]
    """graphql-transport-ws: size and subscription limits first, then trusted documents."""


JSON_TYPES = ("application/json", "application/graphql-response+json")


class GraphQLView(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = GraphQLWSHandler

    def __init__(self, schema: Any, services: Services) -> None:
        settings = services.settings
        super().__init__(
            schema,
            graphql_ide="graphiql" if settings.graphiql_enabled else None,
            allow_queries_via_get=True,
            multipart_uploads_enabled=False,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL, GRAPHQL_SSE_PROTOCOL),
            connection_init_wait_timeout=timedelta(seconds=settings.ws_init_timeout_s),
            max_subscriptions_per_connection=None,  # LimitedTransportWSHandler closes with 4429
        )
        self.services = services
        self.max_body_bytes = settings.max_body_bytes
        self.trusted_documents = TrustedDocumentsPolicy.from_settings(settings)
        self.max_query_bytes = settings.max_query_bytes
        self.request_timeout_s = settings.request_timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            _check_content_type(scope)
            check_csrf(scope)
            _check_declared_length(scope, self.max_body_bytes)
            http_request = Request(scope, receive=_limited(receive, self.max_body_bytes))
            response = await within_request_timeout(self.request_timeout_s, self.run(http_request))
        except RequestRejected as rejected:
            request_state(scope)["outcome"] = rejected.code
            response = error_response(
                rejected.status_code, rejected.message, rejected.code, rejected.headers
            )
        except HTTPException as error:
            request_state(scope)["outcome"] = "BAD_REQUEST"
            response = error_response(error.status_code, error.reason, "BAD_REQUEST")
        await response(scope, receive, send)

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        request_data = await super().parse_http_body(request)
        check_query_length(request_data, self.max_query_bytes)
        return request_data

    def encode_json(self, data: object) -> str:
        return orjson.dumps(data).decode()  # text: WebSocket frames must be text

    async def get_context(self, request: Request | WebSocket, response: Any) -> Context:
        state = request_state(request.scope)
        context = Context(
            services=self.services,
            principal=ANONYMOUS,
            request_id=state.get("request_id", ""),
            client_ip=request.client.host if request.client else None,
            request=request,
            response=response if isinstance(response, Response) else None,
        )
        if isinstance(request, Request):
            context.principal = await self._authenticate(request.headers.get("authorization"))
            state["principal"] = context.principal.audit_name
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType:
        params = context.connection_params or {}
        authorization = params.get("Authorization") or params.get("authorization")
        try:
            context.principal = await self._authenticate(
                authorization if isinstance(authorization, str) else None
            )
        except RequestRejected:
            raise ConnectionRejectionError from None
        return UNSET

    def should_render_graphql_ide(self, request: Any) -> bool:
        """Not for a persisted query over GET, which has `extensions` instead of `query`."""
        return super().should_render_graphql_ide(request) and (
            "extensions" not in request.query_params
        )

    async def execute_operation(  # type: ignore[override]
        self,
        request: Request,
        request_adapter: Any,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: Context,
        root_value: None,
        sub_response: Any,
    ) -> Any:
        """Trusted documents: a persisted-query hash becomes its registered document, and
        the policy refuses (RequestRejected) before anything executes."""
        for data in request_data if isinstance(request_data, list) else [request_data]:
            data.query = self.trusted_documents.resolve(
                data.query, data.extensions, context.principal
            )
        return await super().execute_operation(
            request=request,
            request_adapter=request_adapter,
            request_data=request_data,
            context=context,
            root_value=root_value,
            sub_response=sub_response,
        )

    async def process_result(self, request: Request, result: ExecutionResult) -> Any:
        state = request_state(request.scope)
        request_id = state.get("request_id")
        result.errors = [coded_or_masked(e, request_id) for e in result.errors or []] or None
        codes = [
            str((error.extensions or {}).get("code", "UNKNOWN")) for error in result.errors or []
        ]
        state["outcome"] = codes[0] if codes else "ok"
        state["error_codes"] = codes
        return await super().process_result(request, result)

    async def _authenticate(self, authorization: str | None) -> Any:
        return await authenticate(self.services, authorization)


def _check_content_type(scope: Scope) -> None:
    if scope["method"] != "POST":
        return
    headers = dict(scope["headers"])
    content_type = headers.get(b"content-type", b"").decode("latin-1").split(";")[0].strip()
    if content_type.lower() not in JSON_TYPES:
        raise RequestRejected(
            415, "POST /graphql needs `content-type: application/json`", "UNSUPPORTED_MEDIA_TYPE"
        )


def _check_declared_length(scope: Scope, limit: int) -> None:
    length = dict(scope["headers"]).get(b"content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise _too_large(limit)


def _too_large(limit: int) -> RequestRejected:
    return RequestRejected(413, f"Request body is larger than {limit} bytes", "PAYLOAD_TOO_LARGE")


def _limited(receive: Receive, limit: int) -> Receive:
    received = 0

    async def receive_within_limit() -> Message:
        nonlocal received
        message = await receive()
        if message["type"] == "http.request":
            received += len(message.get("body", b""))
            if received > limit:
                raise _too_large(limit)
        return message

    return receive_within_limit
