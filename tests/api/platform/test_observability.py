"""Traces (request, GraphQL and SQL spans), the slow-query log, and per-operation metrics."""

import os
from collections.abc import AsyncIterator

import httpx
import pytest
import structlog
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from starlette.types import Receive, Scope, Send

from server.app import METRICS_WORKER_HEADER, Runtime, create_app
from server.observability import Metrics, ObservabilityMiddleware, request_state
from server.settings import Settings

VIN_CHECK = "query VinCheck($vin: String!) { vinStatus(vin: $vin) { vin registered } }"
UNREGISTERED_VIN = "11111111111111111"


async def client_for(runtime: Runtime) -> AsyncIterator[httpx.AsyncClient]:
    await runtime.start()
    app = create_app(runtime.settings, runtime=runtime)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as client:
            yield client
    finally:
        await runtime.stop()


async def vin_check(http: httpx.AsyncClient) -> httpx.Response:
    return await http.post(
        "/graphql", json={"query": VIN_CHECK, "variables": {"vin": UNREGISTERED_VIN}}
    )


@pytest.fixture
def spans() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
async def traced(
    settings: Settings, spans: InMemorySpanExporter
) -> AsyncIterator[httpx.AsyncClient]:
    runtime = Runtime(settings.model_copy(update={"trace_sample_ratio": 1.0}), span_exporter=spans)
    async for client in client_for(runtime):
        yield client


@pytest.fixture
async def slow_logged(settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    async for client in client_for(Runtime(settings.model_copy(update={"slow_query_ms": 0}))):
        yield client


async def test_a_sampled_request_traces_graphql_and_sql_under_the_request_span(
    traced: httpx.AsyncClient, spans: InMemorySpanExporter
) -> None:
    response = await vin_check(traced)

    assert response.json()["data"]["vinStatus"]["registered"] is False
    finished = spans.get_finished_spans()
    (request,) = [span for span in finished if span.parent is None]
    trace_id = request.context.trace_id
    assert all(span.context.trace_id == trace_id for span in finished)
    assert request.attributes["graphql.operation.name"] == "VinCheck"
    assert request.attributes["elcorp.request_id"] == response.headers["x-request-id"]
    names = {span.name for span in finished}
    (operation,) = [span for span in finished if span.name == "GraphQL VinCheck"]
    assert operation.parent is not None
    assert operation.parent.span_id == request.context.span_id
    assert "GraphQL Resolving: vinStatus" in names
    statements = [span for span in finished if span.kind.name == "CLIENT"]
    assert statements, names
    assert not any(UNREGISTERED_VIN in str(span.attributes) for span in finished)


async def test_an_unsampled_request_records_no_span(
    settings: Settings, spans: InMemorySpanExporter
) -> None:
    runtime = Runtime(settings.model_copy(update={"trace_sample_ratio": 0.0}), span_exporter=spans)
    async for http in client_for(runtime):
        response = await vin_check(http)

    assert response.status_code == 200
    assert spans.get_finished_spans() == ()


def test_without_an_otlp_endpoint_no_tracing_is_installed(settings: Settings) -> None:
    from server.tracing import Tracing

    assert Tracing.from_settings(settings) is None


async def test_a_slow_statement_is_logged_with_its_operation_and_request_but_no_values(
    slow_logged: httpx.AsyncClient,
) -> None:
    with structlog.testing.capture_logs() as logs:
        response = await vin_check(slow_logged)

    slow = [entry for entry in logs if entry["event"] == "slow_query"]
    assert slow, logs
    issued = [entry for entry in slow if entry["operation"] == "VinCheck"]
    assert issued
    assert {entry["request_id"] for entry in issued} == {response.headers["x-request-id"]}
    assert all(entry["log_level"] == "warning" and entry["duration_ms"] >= 0 for entry in issued)
    assert not any(UNREGISTERED_VIN in entry["statement"] for entry in slow)
    metrics = (await slow_logged.get("/metrics")).text
    assert 'elcorp_slow_queries_total{operation="VinCheck"}' in metrics
    assert "elcorp_sql_duration_seconds_count" in metrics


async def test_statements_under_the_threshold_are_timed_but_not_logged(
    http: httpx.AsyncClient,
) -> None:
    with structlog.testing.capture_logs() as logs:
        await vin_check(http)

    assert not [entry for entry in logs if entry["event"] == "slow_query"]
    metrics = (await http.get("/metrics")).text
    count = next(
        line
        for line in metrics.splitlines()
        if line.startswith("elcorp_sql_duration_seconds_count")
    )
    assert float(count.split()[-1]) > 0


async def test_metrics_name_the_worker_process_that_answered(http: httpx.AsyncClient) -> None:
    """Each uvicorn worker has its own counters: a scraper adds up what each one said."""
    response = await http.get("/metrics")

    assert response.headers[METRICS_WORKER_HEADER] == str(os.getpid())


async def scrape(metrics: Metrics, state: dict[str, object]) -> str:
    """Serves one request whose state (as the GraphQL view leaves it) is `state`."""

    async def endpoint(scope: Scope, receive: Receive, send: Send) -> None:
        request_state(scope).update(state)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"{}"})

    app = ObservabilityMiddleware(endpoint, metrics)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://t"
    ) as http:
        await http.post("/graphql")
    from prometheus_client import generate_latest

    return generate_latest(metrics.registry).decode()


async def test_the_cost_the_analysis_reports_is_observed_by_operation_and_principal() -> None:
    text = await scrape(
        Metrics(),
        {
            "operation": "Dashboard",
            "principal": "user:123",
            "cost": {"requested": 40, "actual": 12},
        },
    )

    assert (
        'elcorp_graphql_operation_cost_sum{measure="requested",operation="Dashboard",principal="user"} 40.0'
        in text
    )
    assert (
        'elcorp_graphql_operation_cost_sum{measure="actual",operation="Dashboard",principal="user"} 12.0'
        in text
    )


async def test_without_a_cost_nothing_is_observed_and_operation_labels_stay_bounded() -> None:
    metrics = Metrics()
    metrics.operation_label = type(metrics.operation_label)(limit=1)

    await scrape(metrics, {"operation": "First"})
    await scrape(metrics, {"operation": "Second"})
    text = await scrape(metrics, {"operation": "bad name!"})

    assert "elcorp_graphql_operation_cost_count" not in text
    assert 'operation="First"' in text
    assert 'operation="other"' in text
    assert 'operation="Second"' not in text
    assert 'operation="invalid_name"' in text
