from collections.abc import AsyncIterator
from typing import Any

import orjson
from strawberry.types import Info

from adapters.event_publisher import user_channel


async def my_events(info: Info) -> AsyncIterator[dict[str, Any]]:
    """Events published for the signed-in user; authorization holds per event by channel."""
    subject_id = info.context.principal.subject_id
    pubsub = info.context.services.redis.pubsub()
    await pubsub.subscribe(user_channel(subject_id))
    try:
        async for message in pubsub.listen():
            if message["type"] == "message":
                yield orjson.loads(message["data"])
    finally:
        await pubsub.unsubscribe()
        await pubsub.aclose()
