"""Brute-force protection in Redis: per-account lockout (the window, doubling with each
lockout in a day) and a per-IP rate per minute. One locked account leaves others alone."""

import hashlib
import time

from redis.asyncio import Redis

from auth.rate_limit import PerMinuteLimit
from domain.shared.errors import RateLimited

MAX_LOCK_S = 24 * 3600


class RedisLoginThrottle:
    def __init__(
        self,
        redis: Redis,
        *,
        max_failures: int = 5,
        window_s: int = 15 * 60,
        ip_limit_per_minute: int = 30,
    ) -> None:
        self._redis = redis
        self._max_failures = max_failures
        self._window_s = window_s
        self._per_ip = PerMinuteLimit(redis, "elcorp:login:ip", ip_limit_per_minute)

    async def check(self, email: str, ip: str | None) -> None:
        locked_for = await self._redis.ttl(self._key("lock", email))
        if locked_for > 0:
            raise RateLimited("Too many failed sign-ins; try again later", retry_after_s=locked_for)
        if ip is not None:
            await self._per_ip.hit(ip, "Too many sign-in attempts from this address")

    async def record_failure(self, email: str) -> bool:
        failures_key = self._key("failures", email)
        now = time.time()
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zremrangebyscore(failures_key, 0, now - self._window_s)
            pipe.zadd(failures_key, {f"{now}": now})
            pipe.zcard(failures_key)
            pipe.expire(failures_key, self._window_s)
            _, _, failures, _ = await pipe.execute()
        if failures < self._max_failures:
            return False
        lockouts = await self._redis.incr(self._key("lockouts", email))
        await self._redis.expire(self._key("lockouts", email), MAX_LOCK_S)
        lock_s = min(self._window_s * 2 ** (lockouts - 1), MAX_LOCK_S)
        await self._redis.set(self._key("lock", email), "1", ex=lock_s)
        await self._redis.delete(failures_key)
        return True

    async def record_success(self, email: str) -> None:
        await self._redis.delete(self._key("failures", email), self._key("lockouts", email))

    def _key(self, kind: str, email: str) -> str:
        digest = hashlib.sha256(email.encode()).hexdigest()[:32]
        return f"elcorp:login:{kind}:{digest}"
