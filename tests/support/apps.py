"""An app whose settings differ from the test's (production mode, tight limits), with its
own runtime on the test's database and Redis."""

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.applications import Starlette

from server.app import Runtime, create_app
from server.secrets import ensure_secrets
from server.settings import Settings
from tests.support.graphql import GraphQLClient


@dataclass
class ServedApp:
    runtime: Runtime
    app: Starlette
    http: httpx.AsyncClient
    graphql: GraphQLClient


@contextlib.asynccontextmanager
async def app_with(settings: Settings, **changes: Any) -> AsyncIterator[ServedApp]:
    """`changes` override settings; secrets come from the test's (also for production)."""
    runtime = Runtime(ensure_secrets(settings).model_copy(update=changes))
    await runtime.start()
    app = create_app(runtime.settings, subgraph=runtime.settings.subgraph, runtime=runtime)
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield ServedApp(runtime, app, http, GraphQLClient(http))
    finally:
        await runtime.stop()
