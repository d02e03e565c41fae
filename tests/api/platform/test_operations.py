"""/healthz, /readyz and /metrics, including readiness while PostgreSQL is away."""

import httpx

from server.app import Runtime, create_app
from server.settings import Settings
from tests.support.proxy import CuttableProxy, proxied_url


async def test_healthz_says_the_process_is_alive(http: httpx.AsyncClient) -> None:
    response = await http.get("/healthz")

    assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_readyz_is_200_when_postgres_and_redis_answer(http: httpx.AsyncClient) -> None:
    response = await http.get("/readyz")

    assert response.status_code == 200
    assert response.json()["checks"] == {"postgres": "ok", "redis": "ok"}


async def test_readyz_names_postgres_while_it_is_away_and_recovers(
    settings: Settings, database_url: str
) -> None:
    proxy = CuttableProxy(database_url)
    await proxy.start()
    runtime = Runtime(
        settings.model_copy(update={"database_url": proxied_url(database_url, proxy.port)})
    )
    app = create_app(settings, runtime=runtime)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            before = await http.get("/readyz")
            await proxy.cut()
            during = await http.get("/readyz")
            still_alive = await http.get("/healthz")
            await proxy.start()
            after = await http.get("/readyz")
    finally:
        await proxy.cut()
        await runtime.stop()

    assert before.status_code == 200
    assert during.status_code == 503
    assert during.json()["checks"]["postgres"].startswith("failed")
    assert during.json()["checks"]["redis"] == "ok"
    assert still_alive.status_code == 200
    assert after.status_code == 200


async def test_metrics_count_requests_by_operation_and_outcome(http: httpx.AsyncClient) -> None:
    await http.post("/graphql", json={"query": "query Ping { __typename }"})
    await http.post("/graphql", json={"query": "query Broken { nope }"})

    metrics = (await http.get("/metrics")).text

    assert 'elcorp_requests_total{operation="Ping",outcome="ok",path="/graphql"} 1.0' in metrics
    assert 'outcome="GRAPHQL_VALIDATION_FAILED"' in metrics
    assert "elcorp_request_duration_seconds_bucket" in metrics
    assert "elcorp_db_pool_connections_in_use" in metrics
    assert 'elcorp_graphql_errors_total{code="GRAPHQL_VALIDATION_FAILED"} 1.0' in metrics
