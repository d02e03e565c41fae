from datetime import datetime

from redis.asyncio import Redis

from domain.shared.clock import Clock


def denylist_key(token_id: str) -> str:
    return f"elcorp:denylist:jti:{token_id}"


class RedisAccessTokenRevoker:
    """Denylists an access token's jti until it would have expired anyway."""

    def __init__(self, redis: Redis, clock: Clock) -> None:
        self._redis = redis
        self._clock = clock

    async def revoke(self, token_id: str, until: datetime) -> None:
        seconds = max(1, int((until - self._clock.now()).total_seconds()) + 5)
        await self._redis.set(denylist_key(token_id), "1", ex=seconds)


class RedisChallengeLedger:
    """Makes an MFA challenge single-use: the first to consume its jti wins."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def consume(self, token_id: str, ttl_s: int) -> bool:
        return bool(
            await self._redis.set(f"elcorp:mfa:challenge:{token_id}", "1", nx=True, ex=ttl_s)
        )
