"""Fans events out through Redis so every server instance can feed its subscriptions."""

import orjson
from redis.asyncio import Redis

from persistence.outbox import OutboxMessage

ALL_EVENTS_CHANNEL = "elcorp:events"


def user_channel(user_id: object) -> str:
    return f"elcorp:events:user:{user_id}"


def aggregate_channel(aggregate_type: str, aggregate_id: object) -> str:
    return f"elcorp:events:{aggregate_type.lower()}:{aggregate_id}"


class RedisEventPublisher:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def __call__(self, message: OutboxMessage) -> None:
        if not message.broadcast:
            return
        body = orjson.dumps(message.as_json())
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.publish(ALL_EVENTS_CHANNEL, body)
            pipe.publish(aggregate_channel(message.aggregate_type, message.aggregate_id), body)
            for user_id in message.audience:
                pipe.publish(user_channel(user_id), body)
            await pipe.execute()
