"""A webhook receiver on 127.0.0.1 (a real server, as a merchant would run), the receivers'
verification helper from `clients/`, and GraphQL calls for endpoints."""

import asyncio
import contextlib
import importlib.util
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from tests.support.servers import free_port

ROOT = Path(__file__).resolve().parents[2]
CREATE = """
mutation($merchant: ID!, $url: String!, $events: [WebhookEventType!]!) {
  createWebhookEndpoint(input: {merchantId: $merchant, url: $url, events: $events}) {
    endpoint { id url status events } secret errors { code field message } } }
"""
DELIVERIES = """
query($endpoint: ID!) { webhookDeliveries(endpointId: $endpoint) { edges { node {
  id eventId eventType status attemptCount deliveredAt body
  attempts { statusCode latencyMs error responseExcerpt } } } } }
"""


def signature_helper() -> ModuleType:
    """`clients/webhooks/verify_signature.py`, exactly as receivers copy it."""
    path = ROOT / "clients" / "webhooks" / "verify_signature.py"
    spec = importlib.util.spec_from_file_location("verify_signature", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes


@dataclass
class Receiver:
    """Answers `failing_status` to the first `failures` posts, then 200."""

    failures: int = 0
    failing_status: int = 500
    received: list[Received] = field(default_factory=list)

    async def hook(self, request: Request) -> Response:
        self.received.append(Received(dict(request.headers), await request.body()))
        if len(self.received) <= self.failures:
            return PlainTextResponse("receiver is down", status_code=self.failing_status)
        return PlainTextResponse("thanks")


@contextlib.asynccontextmanager
async def receiving(receiver: Receiver) -> AsyncIterator[str]:
    """Serves the receiver on 127.0.0.1; yields its URL."""
    app = Starlette(routes=[Route("/hook", receiver.hook, methods=["POST"])])
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    for _ in range(1_000):
        if server.started:
            break
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}/hook"
    finally:
        server.should_exit = True
        await task


def deliveries(body: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in body["data"]["webhookDeliveries"]["edges"]]
