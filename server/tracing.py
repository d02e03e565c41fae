"""OpenTelemetry tracing: a span per request (OpenTelemetry's ASGI middleware), GraphQL
operation and resolver spans (schema/tracing.py) and a span per SQL statement, exported over
OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set. Unset, nothing is installed.

The provider is this runtime's own, passed explicitly (never the global one), so apps and
tests do not share it."""

import os
from collections.abc import Sequence

from opentelemetry.context import Context
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.instrumentation.sqlalchemy.engine import EngineTracer
from opentelemetry.metrics import NoOpMeterProvider
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor, SpanExporter
from opentelemetry.sdk.trace.sampling import (
    Decision,
    ParentBased,
    Sampler,
    SamplingResult,
    TraceIdRatioBased,
)
from opentelemetry.trace import Link, SpanKind
from opentelemetry.trace.span import TraceState
from opentelemetry.util.types import Attributes
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.types import ASGIApp, Receive, Scope, Send

from schema.tracing import TRACER_PROVIDER
from server.settings import Settings

UNTRACED_PATHS = "healthz,readyz,metrics"
_NO_METERS = NoOpMeterProvider()


class RequestsOnly(Sampler):
    """Starts traces at requests only (a share of them); the background work's SQL (outbox
    polling, scheduled jobs) starts none."""

    def __init__(self, ratio: float) -> None:
        self._ratio = TraceIdRatioBased(ratio)

    def should_sample(
        self,
        parent_context: Context | None,
        trace_id: int,
        name: str,
        kind: SpanKind | None = None,
        attributes: Attributes = None,
        links: Sequence[Link] | None = None,
        trace_state: TraceState | None = None,
    ) -> SamplingResult:
        if kind is not SpanKind.SERVER:
            return SamplingResult(Decision.DROP)
        return self._ratio.should_sample(
            parent_context, trace_id, name, kind, attributes, links, trace_state
        )

    def get_description(self) -> str:
        return f"RequestsOnly{{{self._ratio.get_description()}}}"


class Tracing:
    def __init__(self, settings: Settings, processor: SpanProcessor) -> None:
        resource = {"deployment.environment.name": settings.env.value}
        if "OTEL_SERVICE_NAME" not in os.environ:
            resource["service.name"] = "elcorp"
        if settings.release:
            resource["service.version"] = settings.release
        self.provider = TracerProvider(
            sampler=ParentBased(RequestsOnly(settings.trace_sample_ratio)),
            resource=Resource.create(resource),
        )
        self.provider.add_span_processor(processor)

    @classmethod
    def from_settings(
        cls, settings: Settings, exporter: SpanExporter | None = None
    ) -> "Tracing | None":
        """`exporter` (tests) is exported to synchronously; else OTLP when configured."""
        if exporter is not None:
            return cls(settings, SimpleSpanProcessor(exporter))
        endpoint = settings.otel_exporter_otlp_endpoint
        if not endpoint:
            return None
        otlp = OTLPSpanExporter(endpoint=f"{endpoint.rstrip('/')}/v1/traces")
        return cls(settings, BatchSpanProcessor(otlp))

    def instrument(self, engine: AsyncEngine) -> None:
        connections = _NO_METERS.get_meter(__name__).create_up_down_counter("db.connections")
        tracer = self.provider.get_tracer("elcorp.sql")
        EngineTracer(tracer, engine.sync_engine, connections)  # type: ignore[no-untyped-call]

    def shutdown(self) -> None:
        self.provider.shutdown()


class TracingMiddleware:
    """The request's span; and the provider, for the GraphQL extension, while it runs."""

    def __init__(self, app: ASGIApp, provider: TracerProvider) -> None:
        self._app = app
        self._provider = provider
        self._traced = OpenTelemetryMiddleware(
            self._with_provider,
            excluded_urls=UNTRACED_PATHS,
            tracer_provider=provider,
            meter_provider=_NO_METERS,
            exclude_spans=["receive", "send"],
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self._traced(scope, receive, send)

    async def _with_provider(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = TRACER_PROVIDER.set(self._provider)
        try:
            await self._app(scope, receive, send)
        finally:
            TRACER_PROVIDER.reset(token)
