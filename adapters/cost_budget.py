"""Per-principal query-cost budgets: a token bucket in Redis (one hash per principal),
refilled continuously at `restore_rate` per second up to `maximum`. An operation reserves
its requested cost before it runs (refused, untouched, when the bucket holds less) and gets
back what it did not use once its actual cost is known, so concurrent requests can never
spend more than the bucket holds. Both steps are one Lua script each: atomic."""

import math
from dataclasses import dataclass

from redis.asyncio import Redis

PREFIX = "elcorp:cost-budget"
_SCRIPT = """
local maximum = tonumber(ARGV[1])
local rate = tonumber(ARGV[2])
local now = tonumber(ARGV[3])
local amount = tonumber(ARGV[4])
local reserve = ARGV[5] == "reserve"
local stored = redis.call("HMGET", KEYS[1], "level", "at")
local level = tonumber(stored[1]) or maximum
local at = tonumber(stored[2]) or now
level = math.min(maximum, level + math.max(0, now - at) * rate)
local granted = 1
if reserve then
  if amount > level then granted = 0 else level = level - amount end
else
  level = math.min(maximum, level + amount)
end
redis.call("HSET", KEYS[1], "level", tostring(level), "at", tostring(now))
redis.call("EXPIRE", KEYS[1], math.ceil(maximum / rate) + 60)
return {granted, tostring(level)}
"""


@dataclass(frozen=True)
class Bucket:
    maximum: int
    restore_rate: int


@dataclass(frozen=True)
class Reservation:
    granted: bool
    available: float
    """What the bucket holds after the reservation (or before it, when refused)."""

    def retry_after_s(self, cost: int, bucket: Bucket) -> int:
        """When the bucket will hold `cost`, in whole seconds (at least 1)."""
        return max(1, math.ceil((cost - self.available) / bucket.restore_rate))


class CostBudgets:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._script = redis.register_script(_SCRIPT)

    async def reserve(self, key: str, bucket: Bucket, cost: int, now: float) -> Reservation:
        granted, level = await self._run(key, bucket, cost, now, "reserve")
        return Reservation(granted=bool(granted), available=float(level))

    async def refund(self, key: str, bucket: Bucket, amount: int, now: float) -> Reservation:
        _, level = await self._run(key, bucket, max(0, amount), now, "refund")
        return Reservation(granted=True, available=float(level))

    async def _run(
        self, key: str, bucket: Bucket, amount: int, now: float, mode: str
    ) -> tuple[int, bytes]:
        granted, level = await self._script(
            keys=[f"{PREFIX}:{key}"],
            args=[bucket.maximum, bucket.restore_rate, repr(now), amount, mode],
        )
        return int(granted), level
