from collections.abc import AsyncIterator
from typing import Any

import orjson
from strawberry.types import Info

from adapters.event_publisher import user_channel
from resolvers.live import reauthorize, recheck_interval


async def my_events(info: Info) -> AsyncIterator[dict[str, Any]]:
    """Events published for the signed-in user, each after the listener is re-checked."""
    channel = user_channel(info.context.principal.subject_id)
    async with info.context.services.live_events.listen([channel]) as listener:
        while True:
            message = await listener.next(recheck_interval(info))
            await reauthorize(info)
            if message is not None:
                yield orjson.loads(message)
