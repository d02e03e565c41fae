"""Reports and other derived reads cached in Redis for a short while. Each cache family has
a version number that an outbox handler bumps when a relevant event passes; an entry
carries the version it was computed under, so a bump makes every older entry stale at
once, and one MGET reads the version and the entry together.

Entries are sealed with an HMAC under a key Redis never sees: what the cache holds (a
role's permissions above all) is never taken from whoever can write to Redis alone."""

import functools
import hashlib
import hmac
from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any, TypeVar

import structlog
from prometheus_client import Counter
from pydantic import TypeAdapter
from redis.asyncio import Redis
from redis.exceptions import RedisError

from persistence.outbox import OutboxMessage

log = structlog.get_logger(__name__)

R = TypeVar("R")
PREFIX = "elcorp:cache"


def version_key(family: str) -> str:
    return f"{PREFIX}:version:{family}"


async def bump_version(redis: Redis, family: str) -> None:
    """Makes every cached entry of the family stale."""
    await redis.incr(version_key(family))


SEAL_BYTES = hashlib.sha256().digest_size


class ReportCache:
    def __init__(
        self, redis: Redis, ttl_s: int, hits: Counter, misses: Counter, seal_key: bytes
    ) -> None:
        self._redis = redis
        self._ttl_s = ttl_s
        self._hits = hits
        self._misses = misses
        self._seal_key = seal_key

    async def get_or_compute(
        self,
        name: str,
        family: str,
        params: object,
        result_type: type[R],
        compute: Callable[[], Awaitable[R]],
    ) -> R:
        """A cache that is down costs time, never an answer: the value is computed. An
        entry computed under an older version (even one written after a bump) is a miss."""
        codec: TypeAdapter[R] = _codec(result_type)
        key = f"{PREFIX}:{name}:{_digest(params)}"
        try:
            version, cached = await self._redis.mget(version_key(family), key)
        except RedisError:
            log.warning("cache_unavailable", cache=name, exc_info=True)
            self._misses.labels(name).inc()
            return await compute()
        stamp = b"v%d:" % int(version or 0)
        body = self._opened(key, stamp, cached)
        if body is not None:
            self._hits.labels(name).inc()
            return codec.validate_json(body)
        self._misses.labels(name).inc()
        result = await compute()
        body = codec.dump_json(result)
        try:
            await self._redis.set(key, stamp + self._seal(key, stamp, body) + body, ex=self._ttl_s)
        except RedisError:
            log.warning("cache_unavailable", cache=name, exc_info=True)
        return result

    async def invalidate(self, family: str) -> None:
        await bump_version(self._redis, family)

    def _seal(self, key: str, stamp: bytes, body: bytes) -> bytes:
        return hmac.digest(self._seal_key, key.encode() + b"\0" + stamp + body, "sha256")

    def _opened(self, key: str, stamp: bytes, cached: bytes | None) -> bytes | None:
        """The body of an entry computed under `stamp` and sealed by this service; else None."""
        if cached is None or not cached.startswith(stamp):
            return None
        sealed = cached[len(stamp) :]
        seal, body = sealed[:SEAL_BYTES], sealed[SEAL_BYTES:]
        if not hmac.compare_digest(seal, self._seal(key, stamp, body)):
            log.warning("cache_entry_unsealed", key=key)
            return None
        return body


@functools.cache
def _codec(value_type: type[Any]) -> TypeAdapter[Any]:
    """Building an adapter costs more than using one: one per cached type and process."""
    return TypeAdapter(value_type)


def _digest(params: object) -> str:
    return hashlib.sha256(_codec(type(params)).dump_json(params)).hexdigest()[:32]


FamiliesOf = Callable[[OutboxMessage], Iterable[str]]
"""The cache families an outbox message makes stale."""


def by_event_name(families_by_event: Mapping[str, frozenset[str]]) -> FamiliesOf:
    return lambda message: families_by_event.get(message.name, ())


class ReportCacheInvalidation:
    """An outbox handler: an event a cache family counts makes its cached entries stale."""

    def __init__(self, cache: ReportCache, families_of: FamiliesOf) -> None:
        self._cache = cache
        self._families_of = families_of

    async def __call__(self, message: OutboxMessage) -> None:
        for family in sorted(set(self._families_of(message))):
            await self._cache.invalidate(family)
