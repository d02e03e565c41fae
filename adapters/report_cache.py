"""Reports cached in Redis for a short while. Each report family has a version number that
an outbox handler bumps when a relevant event passes; keys carry the version, so a bump
makes every older entry unreachable at once (they expire on their own)."""

import functools
import hashlib
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

import structlog
from prometheus_client import Counter
from pydantic import TypeAdapter
from redis.asyncio import Redis
from redis.exceptions import RedisError

from persistence.outbox import OutboxMessage

log = structlog.get_logger(__name__)

R = TypeVar("R")
PREFIX = "elcorp:reports"


def version_key(family: str) -> str:
    return f"{PREFIX}:version:{family}"


class ReportCache:
    def __init__(self, redis: Redis, ttl_s: int, hits: Counter, misses: Counter) -> None:
        self._redis = redis
        self._ttl_s = ttl_s
        self._hits = hits
        self._misses = misses

    async def get_or_compute(
        self,
        report: str,
        family: str,
        params: object,
        result_type: type[R],
        compute: Callable[[], Awaitable[R]],
    ) -> R:
        """A cache that is down costs time, never an answer: the report is computed."""
        codec: TypeAdapter[R] = _codec(result_type)
        try:
            version = int(await self._redis.get(version_key(family)) or 0)
            key = f"{PREFIX}:{report}:v{version}:{_digest(params)}"
            cached = await self._redis.get(key)
        except RedisError:
            log.warning("cache_unavailable", cache=report, exc_info=True)
            self._misses.labels(report).inc()
            return await compute()
        if cached is not None:
            self._hits.labels(report).inc()
            return codec.validate_json(cached)
        self._misses.labels(report).inc()
        result = await compute()
        try:
            await self._redis.set(key, codec.dump_json(result), ex=self._ttl_s)
        except RedisError:
            log.warning("cache_unavailable", cache=report, exc_info=True)
        return result

    async def invalidate(self, family: str) -> None:
        await self._redis.incr(version_key(family))


@functools.cache
def _codec(value_type: type[Any]) -> TypeAdapter[Any]:
    """Building an adapter costs more than using one: one per report type and process."""
    return TypeAdapter(value_type)


def _digest(params: object) -> str:
    return hashlib.sha256(_codec(type(params)).dump_json(params)).hexdigest()[:32]


class ReportCacheInvalidation:
    """An outbox handler: an event a report family counts makes its cached reports stale."""

    def __init__(self, cache: ReportCache, families_by_event: Mapping[str, frozenset[str]]) -> None:
        self._cache = cache
        self._families_by_event = families_by_event

    async def __call__(self, message: OutboxMessage) -> None:
        for family in sorted(self._families_by_event.get(message.name, ())):
            await self._cache.invalidate(family)
