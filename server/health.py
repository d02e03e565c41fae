import asyncio

from redis.asyncio import Redis
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine
from starlette.requests import Request

from server.responses import ORJSONResponse

CHECK_TIMEOUT_S = 2.0


async def healthz(_: Request) -> ORJSONResponse:
    return ORJSONResponse({"status": "ok"})


async def check_postgres(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        await connection.execute(text("SELECT 1"))


async def check_redis(redis: Redis) -> None:
    await redis.ping()


async def readiness(engine: AsyncEngine, redis: Redis) -> ORJSONResponse:
    checks = {"postgres": check_postgres(engine), "redis": check_redis(redis)}
    results = await asyncio.gather(
        *(asyncio.wait_for(check, CHECK_TIMEOUT_S) for check in checks.values()),
        return_exceptions=True,
    )
    status = {
        name: "ok" if not isinstance(result, BaseException) else f"failed: {type(result).__name__}"
        for name, result in zip(checks, results, strict=True)
    }
    ready = all(value == "ok" for value in status.values())
    return ORJSONResponse(
        {"status": "ready" if ready else "unavailable", "checks": status},
        status_code=200 if ready else 503,
    )
