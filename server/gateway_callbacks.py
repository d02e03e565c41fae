"""`POST /gateway/callbacks/<gateway>`: a gateway's signed word on a deposit or payout.

Verified (HMAC over the body, timestamp within tolerance) before anything is read; each
event id is applied once, so a replayed callback is acknowledged and changes nothing."""

from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from adapters.gateway_signature import HEADER, SignatureRejected, verify
from domain.payments.service import GatewayNotice
from domain.shared.errors import NotFound
from persistence.payments.gateway_callbacks import GatewayCallbackLog
from persistence.uow import Actor
from schema.context import Services
from server.errors import RequestRejected, error_response
from server.observability import request_state
from server.responses import ORJSONResponse

MAX_BODY = 16_384
OUTCOMES = {"transaction.succeeded": True, "transaction.failed": False}


async def gateway_callback(request: Request, services: Services) -> Response:
    gateway = request.path_params["gateway"]
    try:
        event_id, notice = await _verified(request, services, gateway)
    except RequestRejected as rejected:
        return error_response(rejected.status_code, rejected.message, rejected.code)
    actor = Actor(f"gateway:{gateway}", request_state(request.scope).get("request_id"), None)
    try:
        async with services.unit_of_work(actor) as uow:
            log = GatewayCallbackLog(uow.session)
            if not await log.claim(
                gateway, event_id, notice.gateway_reference, services.clock.now()
            ):
                return ORJSONResponse({"status": "duplicate"})
            applied = await services.payments.settle(uow, notice)
    except NotFound:
        return error_response(404, "No transaction has that gateway reference", "NOT_FOUND")
    return ORJSONResponse({"status": "applied" if applied else "already_settled"})


async def _verified(
    request: Request, services: Services, gateway: str
) -> tuple[str, GatewayNotice]:
    settings = services.settings
    if gateway != services.payments.gateway_name or settings.gateway_callback_secret is None:
        raise RequestRejected(404, f"No gateway called {gateway[:40]!r}", "NOT_FOUND")
    body = await request.body()
    if len(body) > MAX_BODY:
        raise RequestRejected(413, f"Callbacks are at most {MAX_BODY} bytes", "PAYLOAD_TOO_LARGE")
    try:
        verify(
            settings.gateway_callback_secret.get_secret_value().encode(),
            request.headers.get(HEADER),
            body,
            int(services.clock.now().timestamp()),
            settings.gateway_callback_tolerance_s,
        )
    except SignatureRejected as rejected:
        raise RequestRejected(401, rejected.message, rejected.code) from None
    event = _parse(body)
    if event is None:
        raise RequestRejected(
            400,
            'The body must be JSON: {"id", "type": "transaction.succeeded" | '
            '"transaction.failed", "reference", "reason"?}',
            "BAD_REQUEST",
        )
    event_id, succeeded, reference, reason = event
    return event_id, GatewayNotice(reference, succeeded, reason)


def _parse(body: bytes) -> tuple[str, bool, str, str | None] | None:
    try:
        event: Any = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(event, dict):
        return None
    event_id, kind, reference = event.get("id"), event.get("type"), event.get("reference")
    reason = event.get("reason")
    if not (isinstance(event_id, str) and 0 < len(event_id) <= 200):
        return None
    if kind not in OUTCOMES or not (isinstance(reference, str) and 0 < len(reference) <= 200):
        return None
    if reason is not None and not (isinstance(reason, str) and len(reason) <= 200):
        return None
    return event_id, OUTCOMES[kind], reference, reason
