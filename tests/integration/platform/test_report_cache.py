"""The Redis cache's version stamps: an entry is served only under the version it was
computed under, so an event dispatched during a computation is never lost."""

from redis.asyncio import Redis

from adapters.report_cache import ReportCache
from server.observability import Metrics


async def test_an_entry_computed_across_an_invalidation_is_not_served(redis_url: str) -> None:
    redis = Redis.from_url(redis_url)
    metrics = Metrics()
    cache = ReportCache(redis, 60, metrics.cache_hits, metrics.cache_misses)
    computed: list[int] = []

    async def compute() -> int:
        computed.append(len(computed))
        if len(computed) == 1:
            await cache.invalidate("numbers")  # the event arrives mid-computation
        return computed[-1]

    try:
        answers = [
            await cache.get_or_compute("count", "numbers", {"n": 1}, int, compute) for _ in range(3)
        ]
    finally:
        await redis.aclose()

    assert answers == [0, 1, 1]
    counted = [
        metrics.registry.get_sample_value(f"elcorp_cache_{kind}_total", {"cache": "count"})
        for kind in ("hits", "misses")
    ]
    assert counted == [1, 2]
