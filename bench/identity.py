"""Login latency and per-request credential checks, beside a raw asyncpg baseline.

make bench            (embedded servers, or DATABASE_URL / REDIS_URL)
"""

import asyncio
import os
import uuid
from pathlib import Path

import asyncpg
import httpx

from auth.passwords import Argon2PasswordHasher
from bench.cache import run as cache_bench
from bench.payments import run as payments_bench
from bench.settings import UNTHROTTLED, bench_settings
from bench.timing import report, time_async, time_sync
from persistence.migrate import upgrade
from server.app import Runtime, create_app
from server.embedded import servers
from server.logging import configure_logging
from tests.support.factories import PASSWORD, create_user, token_for

DATA = Path(".data/bench")
LOGIN = """mutation($e: String!, $p: String!) {
  login(input: {email: $e, password: $p, device: {id: "bench", name: "bench"}}) { errors { code } }
}"""


async def run(database_url: str, redis_url: str) -> None:
    settings = bench_settings(
        DATA,
        database_url,
        redis_url,
        login_ip_limit_per_minute=10**6,
        query_limits_user=UNTHROTTLED,
    )
    await asyncio.to_thread(upgrade, database_url)
    runtime = Runtime(settings)
    app = create_app(settings, runtime=runtime)
    services = runtime.services
    hasher = Argon2PasswordHasher(
        time_cost=settings.password_time_cost,
        memory_kib=settings.password_memory_kib,
        parallelism=settings.password_parallelism,
    )
    stored = hasher.hash(PASSWORD)
    print(
        f"argon2id: time_cost={settings.password_time_cost} "
        f"memory={settings.password_memory_kib} KiB parallelism={settings.password_parallelism}"
    )
    report(
        "argon2id verify (the cost of every login)",
        time_sync(lambda: hasher.verify(stored, PASSWORD), 30),
    )

    user = await create_user(services, email=f"bench-{uuid.uuid4().hex[:8]}@example.na")
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as http:

        async def login() -> None:
            response = await http.post(
                "/graphql", json={"query": LOGIN, "variables": {"e": user.email, "p": PASSWORD}}
            )
            assert response.json()["data"]["login"]["errors"] == [], response.text

        report("login mutation end to end (in-process ASGI)", await time_async(login, 30))

        token = await token_for(services, user)
        report(
            "access token signature + claims check",
            time_sync(lambda: services.tokens.verify(token), 2000),
        )
        report(
            "authenticate a request (JWT, Redis denylist, grant)",
            await time_async(lambda: services.authenticator.authenticate(f"Bearer {token}"), 500),
        )

        async def me() -> None:
            response = await http.post(
                "/graphql",
                json={"query": "{ me { id } }"},
                headers={"authorization": f"Bearer {token}"},
            )
            assert "errors" not in response.json()

        report("{ me { id } } end to end (in-process ASGI)", await time_async(me, 300))

    claims = services.tokens.verify(token)
    connection = await asyncpg.connect(database_url.replace("+asyncpg", ""))
    grant_sql = """
        SELECT (SELECT coalesce(array_agg(role), '{}') FROM role_assignments WHERE user_id = u.id),
               EXISTS (SELECT 1 FROM sessions s WHERE s.id = $2 AND s.user_id = u.id
                       AND s.revoked_at IS NULL AND s.expires_at > now())
        FROM users u WHERE u.id = $1 AND u.status = 'active'"""
    statement = await connection.prepare(grant_sql)
    report(
        "baseline: the grant query on raw asyncpg",
        await time_async(
            lambda: statement.fetchrow(claims.subject_id, uuid.UUID(claims.session_id)), 500
        ),
    )
    await connection.close()
    await runtime.stop()
    await payments_bench(settings, database_url)
    await cache_bench(settings)


def main() -> None:
    configure_logging("WARNING", json=False)
    with servers(DATA, os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")) as urls:
        asyncio.run(run(urls.database_url, urls.redis_url))


if __name__ == "__main__":
    main()
