"""Request ids, one structured log line per request, and Prometheus metrics."""

import re
import time
import uuid
from contextvars import ContextVar
from typing import Any

import structlog
from opentelemetry import trace
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = structlog.get_logger("elcorp.request")

REQUEST_ID_HEADER = b"x-request-id"
SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
SAFE_OPERATION = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


PRINCIPAL_KINDS = frozenset({"anonymous", "user", "api_key"})
COST_MEASURES = ("requested", "actual")

_current_request: ContextVar[dict[str, Any] | None] = ContextVar(
    "elcorp_current_request", default=None
)


def request_state(scope: Scope) -> dict[str, Any]:
    state: dict[str, Any] = scope.setdefault("state", {})
    return state


def current_request_state() -> dict[str, Any] | None:
    """The state of the request this task serves (request id, operation), if any."""
    return _current_request.get()


class OperationLabels:
    """Operation names as metric labels: well-formed ones, at most `limit` distinct names
    (clients choose them); the rest share a fixed label, so cardinality stays bounded."""

    def __init__(self, limit: int = 500) -> None:
        self._seen: set[str] = set()
        self._limit = limit

    def __call__(self, name: str | None) -> str:
        if not name:
            return "anonymous"
        if name in self._seen:
            return name
        if not SAFE_OPERATION.match(name):
            return "invalid_name"
        if len(self._seen) >= self._limit:
            return "other"
        self._seen.add(name)
        return name


class Metrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry or CollectorRegistry()
        self.operation_label = OperationLabels()
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
        self.cache_hits = Counter(
            "elcorp_cache_hits",
            "Reads served from a Redis cache, by what is cached",
            ["cache"],
            registry=self.registry,
        )
        self.cache_misses = Counter(
            "elcorp_cache_misses",
            "Reads a Redis cache did not hold (computed afresh), by what is cached",
            ["cache"],
            registry=self.registry,
        )
        self.operation_cost = Histogram(
            "elcorp_graphql_operation_cost",
            "GraphQL cost (requested: the static estimate; actual: what execution used)",
            ["operation", "principal", "measure"],
            buckets=(1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000),
            registry=self.registry,
        )
        self.sql_duration = Histogram(
            "elcorp_sql_duration_seconds",
            "SQL statement latency",
            buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 5),
            registry=self.registry,
        )
        self.slow_queries = Counter(
            "elcorp_slow_queries",
            "SQL statements slower than ELCORP_SLOW_QUERY_MS, by the operation that issued them",
            ["operation"],
            registry=self.registry,
        )

    def observe_cost(self, operation: str, state: dict[str, Any]) -> None:
        """Records `state["cost"]` ({"requested": int, "actual": int}) when the cost
        analysis put it there."""
        cost = state.get("cost")
        if not isinstance(cost, dict):
            return
        principal = str(state.get("principal", "anonymous")).split(":", 1)[0]
        principal = principal if principal in PRINCIPAL_KINDS else "other"
        for measure in COST_MEASURES:
            value = cost.get(measure)
            if isinstance(value, int | float):
                self.operation_cost.labels(operation, principal, measure).observe(value)

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
                _annotate_span(request_id, state)
                status["code"] = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (REQUEST_ID_HEADER, request_id.encode()),
                ]
            await send(message)

        token = _current_request.set(state)
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            _current_request.reset(token)
            self._record(scope, state, status["code"], time.perf_counter() - started)

    def _record(self, scope: Scope, state: dict[str, Any], status: int, duration: float) -> None:
        path = scope["path"] if scope["path"] in KNOWN_PATHS else "other"
        if path in QUIET_PATHS:
            return
        operation = self.metrics.operation_label(state.get("operation"))
        outcome = state.get("outcome") or ("ok" if status < 400 else f"http_{status}")
        self.metrics.requests.labels(path, operation, outcome).inc()
        self.metrics.latency.labels(path, operation, outcome).observe(duration)
        self.metrics.observe_cost(operation, state)
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


def _annotate_span(request_id: str, state: dict[str, Any]) -> None:
    """The request's span (when traced) ends with its response: name it before."""
    span = trace.get_current_span()
    if span.is_recording():
        span.set_attribute("elcorp.request_id", request_id)
        operation = state.get("operation")
        if operation and SAFE_OPERATION.match(operation):
            span.set_attribute("graphql.operation.name", operation)
        if "outcome" in state:
            span.set_attribute("elcorp.outcome", state["outcome"])


def _incoming_request_id(scope: Scope) -> str | None:
    for name, value in scope.get("headers", []):
        if name == REQUEST_ID_HEADER:
            candidate = value.decode("latin-1")
            return candidate if SAFE_REQUEST_ID.match(candidate) else None
    return None
