"""Real PostgreSQL and Redis for every test: the machine's when DATABASE_URL/REDIS_URL are
set, otherwise embedded ones under `.data/test/`. Each test gets a fresh clone of a migrated
template database and an empty Redis database."""

import logging
import os
import sys
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx
import pytest
from hypothesis import HealthCheck
from hypothesis import settings as settings_profiles
from redis.asyncio import Redis
from starlette.applications import Starlette

from server.app import Runtime, create_app
from server.embedded import ServerUrls, servers
from server.logging import configure_logging
from server.settings import Environment, Settings
from tests.support.databases import TestDatabases
from tests.support.graphql import GraphQLClient
from tests.support.sql import StatementCounter, count_statements

ROOT = Path(__file__).resolve().parents[1]
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
"""pytest-xdist's worker ("gw0", "gw1", …): each gets its own embedded servers, or its
own template database and Redis database on the machine's servers."""
TEST_DATA = ROOT / ".data" / "test" / WORKER


settings_profiles.register_profile(
    "elcorp", suppress_health_check=[HealthCheck.too_slow], deadline=None
)
settings_profiles.load_profile("elcorp")  # outcomes must not depend on the machine's speed


@pytest.fixture(scope="session", autouse=True)
def json_logs() -> Iterator[None]:
    """As the server logs: one JSON line per event, tracebacks as plain text (the console
    renderer's highlighted tracebacks cost seconds each under load)."""
    configure_logging("INFO", json=True)
    yield
    # what logs at interpreter exit (embedded Redis) must not write to pytest's closed capture
    logging.basicConfig(level=logging.WARNING, stream=sys.__stderr__, force=True)


def own_database(redis_url: str) -> str:
    """The worker's own Redis database number on a shared server (tests flush theirs)."""
    parts = urlsplit(redis_url)
    if not WORKER or parts.scheme not in ("redis", "rediss"):
        return redis_url
    return urlunsplit(parts._replace(path=f"/{int(WORKER.removeprefix('gw'))}"))


@pytest.fixture(scope="session")
def server_urls() -> Iterator[ServerUrls]:
    redis_url = os.environ.get("REDIS_URL")
    with servers(
        TEST_DATA, os.environ.get("DATABASE_URL"), redis_url and own_database(redis_url)
    ) as urls:
        yield urls


@pytest.fixture(scope="session")
async def test_databases(server_urls: ServerUrls) -> TestDatabases:
    databases = TestDatabases(server_urls.database_url, f"_{WORKER}" if WORKER else "")
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
