"""The ASGI application factory."""

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator

import structlog
from opentelemetry.sdk.trace.export import SpanExporter
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from redis.asyncio import Redis
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route, WebSocketRoute

from domain.shared.clock import Clock
from schema import composed_schema, subgraph_schema
from schema.context import Services
from server.bootstrap import (
    build_dispatcher,
    build_engine,
    build_redis,
    build_scheduler,
    build_services,
    build_webhook_dispatcher,
)
from server.error_reporting import init_sentry
from server.gateway_callbacks import gateway_callback
from server.graphql_view import GraphQLView
from server.health import healthz, readiness
from server.observability import Metrics, ObservabilityMiddleware
from server.privacy_http import personal_data_download
from server.reconciliation_http import import_statement, statement_report
from server.reports_http import report_csv
from server.responses import ORJSONResponse
from server.secrets import ensure_secrets
from server.settings import Settings
from server.sql_observer import SqlObserver
from server.tracing import Tracing, TracingMiddleware

log = structlog.get_logger(__name__)

METRICS_WORKER_HEADER = "x-elcorp-worker"
"""Each uvicorn worker process counts on its own: /metrics names the one that answered."""


class Runtime:
    """The process's connections and services; started and stopped with the app."""

    def __init__(
        self,
        settings: Settings,
        clock: Clock | None = None,
        *,
        span_exporter: SpanExporter | None = None,
    ) -> None:
        """`span_exporter` (tests) receives every span, in place of OTLP."""
        self.settings = ensure_secrets(settings)
        init_sentry(self.settings)
        self.engine: AsyncEngine = build_engine(self.settings)
        self.redis: Redis = build_redis(self.settings)
        self.metrics = Metrics()
        SqlObserver(self.metrics, self.settings.slow_query_ms).watch(self.engine)
        self.tracing = Tracing.from_settings(self.settings, span_exporter)
        if self.tracing is not None:
            self.tracing.instrument(self.engine)
        self.services: Services = build_services(
            self.settings, self.engine, self.redis, clock, self.metrics
        )
        self.metrics.watch_pool(self.engine)
        self._stop = asyncio.Event()
        self._background: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        if self.settings.runs_in_process_dispatcher:
            self._background = [
                asyncio.create_task(build_dispatcher(self.services).run(self._stop)),
                asyncio.create_task(build_webhook_dispatcher(self.services).run(self._stop)),
                asyncio.create_task(build_scheduler(self.engine, self.services).run(self._stop)),
            ]
            log.info("in_process_dispatcher_started")

    async def stop(self) -> None:
        self._stop.set()
        await asyncio.gather(*self._background)
        await self.services.live_events.close()
        await self.redis.aclose()
        await self.engine.dispose()
        if self.tracing is not None:
            self.tracing.shutdown()


def create_app(
    settings: Settings, *, subgraph: str | None = None, runtime: Runtime | None = None
) -> Starlette:
    runtime = runtime or Runtime(settings)
    schema = subgraph_schema(subgraph) if subgraph else composed_schema()
    graphql = GraphQLView(schema, runtime.services)

    async def ready(_: Request) -> ORJSONResponse:
        return await readiness(runtime.engine, runtime.redis)

    async def metrics(_: Request) -> Response:
        return Response(
            generate_latest(runtime.metrics.registry),
            media_type=CONTENT_TYPE_LATEST,
            headers={METRICS_WORKER_HEADER: str(os.getpid())},
        )

    async def jwks(_: Request) -> ORJSONResponse:
        return ORJSONResponse(runtime.services.tokens.public_jwks)

    async def callback(request: Request) -> Response:
        return await gateway_callback(request, runtime.services)

    async def statements(request: Request) -> Response:
        return await import_statement(request, runtime.services)

    async def report(request: Request) -> Response:
        return await statement_report(request, runtime.services)

    async def csv_report(request: Request) -> Response:
        return await report_csv(request, runtime.services)

    async def personal_data(request: Request) -> Response:
        return await personal_data_download(request, runtime.services)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await runtime.start()
        try:
            yield
        finally:
            await runtime.stop()

    app = Starlette(
        routes=[
            Route("/graphql", graphql),
            WebSocketRoute("/graphql", graphql),
            Route("/healthz", healthz),
            Route("/readyz", ready),
            Route("/metrics", metrics),
            Route("/.well-known/jwks.json", jwks),
            Route("/gateway/callbacks/{gateway}", callback, methods=["POST"]),
            Route("/reconciliation/statements", statements, methods=["POST"]),
            Route("/reconciliation/statements/{statement_id}/report.csv", report, methods=["GET"]),
            Route("/reports/{name}.csv", csv_report, methods=["GET"]),
            Route("/privacy/export", personal_data, methods=["GET"]),
        ],
        lifespan=lifespan,
    )
    app.add_middleware(ObservabilityMiddleware, metrics=runtime.metrics)
    if runtime.tracing is not None:
        app.add_middleware(TracingMiddleware, provider=runtime.tracing.provider)
    app.state.runtime = runtime
    return app
