"""One context served alone as a federation subgraph; GraphiQL only outside production."""

import httpx

from server.app import Runtime, create_app
from server.settings import Environment, Settings


async def post(app, query: str) -> dict:  # type: ignore[no-untyped-def,type-arg]
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as http:
        return (await http.post("/graphql", json={"query": query})).json()  # type: ignore[no-any-return]


async def test_a_context_serves_alone_as_a_subgraph(settings: Settings, runtime: Runtime) -> None:
    app = create_app(settings, subgraph="governance", runtime=runtime)

    body = await post(app, "{ _service { sdl } }")

    sdl = body["data"]["_service"]["sdl"]
    assert '@link(url: "https://specs.apollo.dev/federation/v2.9"' in sdl
    assert 'type User @key(fields: "id")' in sdl
    assert "supportedCurrencies" not in sdl


async def test_the_composed_schema_has_no_federation_internals(
    settings: Settings, runtime: Runtime
) -> None:
    body = await post(create_app(settings, runtime=runtime), "{ _service { sdl } }")

    assert body["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"


async def test_graphiql_is_served_outside_production_only(
    settings: Settings, runtime: Runtime
) -> None:
    html = {"accept": "text/html"}
    development = create_app(settings, runtime=runtime)
    production_settings = runtime.settings.model_copy(update={"env": Environment.PRODUCTION})
    production_runtime = Runtime(production_settings)
    production = create_app(production_settings, runtime=production_runtime)
    try:
        async with (
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=development), base_url="http://t"
            ) as dev,
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=production), base_url="http://t"
            ) as prod,
        ):
            in_development = await dev.get("/graphql", headers=html)
            in_production = await prod.get("/graphql", headers=html)
    finally:
        await production_runtime.stop()

    assert in_development.status_code == 200
    assert "graphiql" in in_development.text.lower()
    assert in_production.status_code == 404
