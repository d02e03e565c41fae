"""Real PostgreSQL and Redis for every test: the machine's when DATABASE_URL/REDIS_URL are
set, otherwise embedded ones under `.data/test/`. Each test gets a fresh clone of a migrated
template database and an empty Redis database."""

import os
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis
from starlette.applications import Starlette

from server.app import Runtime, create_app
from server.embedded import ServerUrls, servers
from server.settings import Environment, Settings
from tests.support.databases import TestDatabases
from tests.support.graphql import GraphQLClient
from tests.support.sql import StatementCounter, count_statements

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT / ".data" / "test"


@pytest.fixture(scope="session")
def server_urls() -> Iterator[ServerUrls]:
    with servers(TEST_DATA, os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")) as urls:
        yield urls


@pytest.fixture(scope="session")
async def test_databases(server_urls: ServerUrls) -> TestDatabases:
    databases = TestDatabases(server_urls.database_url)
    await databases.create_template()
    return databases


@pytest.fixture
async def database_url(test_databases: TestDatabases) -> AsyncIterator[str]:
    url = await test_databases.clone()
    yield url
    await test_databases.drop(url)


@pytest.fixture
async def redis_url(server_urls: ServerUrls) -> str:
    client = Redis.from_url(server_urls.redis_url)
    await client.flushdb()
    await client.aclose()
    return server_urls.redis_url


@pytest.fixture
def settings(database_url: str, redis_url: str) -> Settings:
    return Settings(
        env=Environment.TEST,
        data_dir=TEST_DATA,
        database_url=database_url,
        redis_url=redis_url,
        in_process_dispatcher=False,
        log_json=True,
        password_time_cost=1,
        password_memory_kib=8192,
        password_parallelism=1,
    )


@pytest.fixture
async def runtime(settings: Settings) -> AsyncIterator[Runtime]:
    runtime = Runtime(settings)
    await runtime.start()
    yield runtime
    await runtime.stop()


@pytest.fixture
def count_sql(runtime: Runtime) -> Callable[[], AbstractContextManager[StatementCounter]]:
    """`with count_sql() as counted:` counts the statements the app's engine runs."""
    return lambda: count_statements(runtime.engine)


@pytest.fixture
def app(settings: Settings, runtime: Runtime) -> Starlette:
    return create_app(settings, runtime=runtime)


@pytest.fixture
async def http(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


@pytest.fixture
def graphql(http: httpx.AsyncClient) -> GraphQLClient:
    return GraphQLClient(http)
