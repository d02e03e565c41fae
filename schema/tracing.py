"""OpenTelemetry spans for GraphQL operations and resolvers, only in requests whose trace is
sampled: other requests get an extension with no hooks, so strawberry adds no resolver
middleware and tracing costs nothing there."""

from collections.abc import Generator
from contextvars import ContextVar
from typing import Any

from graphql import GraphQLResolveInfo
from opentelemetry import trace
from strawberry.extensions import LifecycleStep, SchemaExtension
from strawberry.extensions.tracing import OpenTelemetryExtension

TRACER_PROVIDER: ContextVar[trace.TracerProvider | None] = ContextVar(
    "elcorp_tracer_provider", default=None
)
"""Set by the server's tracing middleware for the requests it traces."""


class Untraced(SchemaExtension):
    """Implements no hook."""


class SampledOpenTelemetry(OpenTelemetryExtension):
    """strawberry's spans (operation, parsing, validation, every resolver but the trivial
    attribute ones) without the query text and arguments, which can carry personal data."""

    def __init__(self, provider: trace.TracerProvider) -> None:
        super().__init__(tracer_provider=provider)

    def on_operation(self) -> Generator[None, None, None]:
        span = self._tracer.start_span("GraphQL operation")
        span.set_attribute("component", "graphql")
        self._span_holder[LifecycleStep.OPERATION] = span
        yield
        name = self.execution_context.operation_name
        if name:
            span.update_name(f"GraphQL {name}")
            span.set_attribute("graphql.operation.name", name)
        span.end()

    def filter_resolver_args(
        self, args: dict[str, Any], info: GraphQLResolveInfo[Any]
    ) -> dict[str, Any]:
        return {}


def traced_operation() -> SchemaExtension:
    """The per-request extension factory for the schema's extension list."""
    provider = TRACER_PROVIDER.get()
    if provider is None or not trace.get_current_span().is_recording():
        return Untraced()
    return SampledOpenTelemetry(provider)
