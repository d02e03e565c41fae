"""Request ids, one structured log line per request, and Prometheus metrics."""

import re
import time
import uuid
from typing import Any

import structlog
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("elcorp.request")

REQUEST_ID_HEADER = b"x-request-id"
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
SAFE_OPERATION = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


def request_state(scope: Scope) -> dict[str, Any]:
    state: dict[str, Any] = scope.setdefault("state", {})
    return state


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.requests = Counter(
            "elcorp_requests",
            "Requests by operation and outcome",
            ["path", "operation", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "elcorp_request_duration_seconds",
            "Request latency by operation and outcome",
            ["path", "operation", "outcome"],
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2.5, 5, 10),
            registry=self.registry,
        )
        self.errors = Counter(
            "elcorp_graphql_errors", "GraphQL errors by code", ["code"], registry=self.registry
        )
        self.db_pool_in_use = Gauge(
            "elcorp_db_pool_connections_in_use", "Checked-out connections", registry=self.registry
        )
        self.db_pool_size = Gauge(
            "elcorp_db_pool_size", "Connections the pool keeps", registry=self.registry
        )
        self.report_cache_hits = Counter(
            "elcorp_report_cache_hits",
            "Reports served from the cache",
            ["report"],
            registry=self.registry,
        )
        self.report_cache_misses = Counter(
            "elcorp_report_cache_misses",
            "Reports computed afresh",
            ["report"],
            registry=self.registry,
        )

    def watch_pool(self, engine: AsyncEngine) -> None:
        pool: Any = engine.sync_engine.pool
        self.db_pool_in_use.set_function(lambda: float(pool.checkedout()))
        self.db_pool_size.set_function(lambda: float(pool.size()))


class ObservabilityMiddleware:
    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        state = request_state(scope)
        request_id = _incoming_request_id(scope) or uuid.uuid4().hex
        state["request_id"] = request_id
        started = time.perf_counter()
        status = {"code": 101 if scope["type"] == "websocket" else 500}

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (REQUEST_ID_HEADER, request_id.encode()),
                ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            self._record(scope, state, status["code"], time.perf_counter() - started)

    def _record(self, scope: Scope, state: dict[str, Any], status: int, duration: float) -> None:
        path = scope["path"] if scope["path"] in KNOWN_PATHS else "other"
        if path in QUIET_PATHS:
            return
        operation = state.get("operation") or "anonymous"
        if not SAFE_OPERATION.match(operation):
            operation = "invalid_name"
        outcome = state.get("outcome") or ("ok" if status < 400 else f"http_{status}")
        self.metrics.requests.labels(path, operation, outcome).inc()
        self.metrics.latency.labels(path, operation, outcome).observe(duration)
        for code in state.get("error_codes", ()):
            self.metrics.errors.labels(code).inc()
        log.info(
            "request",
            request_id=state["request_id"],
            method=scope.get("method", "WS"),
            path=path,
            status=status,
            operation=operation,
            principal=state.get("principal", "anonymous"),
            outcome=outcome,
            duration_ms=round(duration * 1000, 2),
        )


KNOWN_PATHS = frozenset({"/graphql", "/healthz", "/readyz", "/metrics", "/.well-known/jwks.json"})
QUIET_PATHS = frozenset({"/healthz", "/metrics"})


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == REQUEST_ID_HEADER:
            candidate = value.decode("latin-1")
            return candidate if SAFE_REQUEST_ID.match(candidate) else None
    return None
