"""A fixed one-minute window per key in Redis: cheap, and enough to blunt scraping."""

import time

from redis.asyncio import Redis

from domain.shared.errors import RateLimited


class PerMinuteLimit:
    def __init__(self, redis: Redis, prefix: str, limit: int) -> None:
        self._redis = redis
        self._prefix = prefix
        self._limit = limit

    async def hit(self, key: str, message: str) -> None:
        """Counts one use; raises RateLimited beyond the limit until the minute is over."""
        minute = int(time.time() // 60)
        counter = f"{self._prefix}:{key}:{minute}"
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.incr(counter)
            pipe.expire(counter, 120)
            count, _ = await pipe.execute()
        if count > self._limit:
            raise RateLimited(message, retry_after_s=60 - int(time.time()) % 60)
