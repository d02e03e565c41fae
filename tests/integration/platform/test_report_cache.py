"""The Redis cache's entries: served only under the version they were computed under (an
event dispatched during a computation is never lost) and only if this service sealed them."""

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from adapters.report_cache import ReportCache
from server.observability import Metrics


@pytest.fixture
async def redis(redis_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(redis_url)
    yield client
    await client.aclose()


def counted(metrics: Metrics) -> list[float | None]:
    return [
        metrics.registry.get_sample_value(f"elcorp_cache_{kind}_total", {"cache": "count"})
        for kind in ("hits", "misses")
    ]


async def test_an_entry_computed_across_an_invalidation_is_not_served(redis: Redis) -> None:
    metrics = Metrics()
    cache = ReportCache(redis, 60, metrics.cache_hits, metrics.cache_misses, b"k" * 32)
    computed: list[int] = []

    async def compute() -> int:
        computed.append(len(computed))
        if len(computed) == 1:
            await cache.invalidate("numbers")  # the event arrives mid-computation
        return computed[-1]

    answers = [
        await cache.get_or_compute("count", "numbers", {"n": 1}, int, compute) for _ in range(3)
    ]

    assert answers == [0, 1, 1]
    assert counted(metrics) == [1, 2]


async def test_an_entry_not_sealed_by_this_service_is_a_miss(redis: Redis) -> None:
    metrics = Metrics()
    cache = ReportCache(redis, 60, metrics.cache_hits, metrics.cache_misses, b"k" * 32)
    impostor = ReportCache(redis, 60, Metrics().cache_hits, Metrics().cache_misses, b"x" * 32)

    async def seven() -> int:
        return 7

    async def ninety_nine() -> int:
        return 99

    await impostor.get_or_compute("count", "numbers", None, int, ninety_nine)
    over_a_forged_entry = await cache.get_or_compute("count", "numbers", None, int, seven)
    sealed = await cache.get_or_compute("count", "numbers", None, int, seven)
    (key,) = await redis.keys("elcorp:cache:count:*")
    entry = await redis.get(key)
    await redis.set(key, entry[:-1] + b"8")  # type: ignore[index]
    over_an_edited_entry = await cache.get_or_compute("count", "numbers", None, int, seven)

    assert (over_a_forged_entry, sealed, over_an_edited_entry) == (7, 7, 7)
    assert counted(metrics) == [1, 2]
