"""One Redis pub/sub connection per process, shared by every live subscription.

A channel is subscribed while anyone listens to it; each listener gets the messages of its
channels in a small queue of its own. Redis only wakes readers up: what they stream comes
from PostgreSQL, so a message lost while Redis was away costs latency, never an event."""

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable

import structlog
from redis.asyncio import Redis
from redis.asyncio.client import PubSub
from redis.exceptions import RedisError

log = structlog.get_logger(__name__)

LISTENER_CAPACITY = 256
RECONNECT_PAUSE_S = 0.5


class Listener:
    def __init__(self, capacity: int = LISTENER_CAPACITY) -> None:
        self._messages: asyncio.Queue[bytes] = asyncio.Queue(capacity)

    def deliver(self, data: bytes) -> None:
        """A slow listener loses its oldest messages, never blocks the others."""
        if self._messages.full():
            self._messages.get_nowait()
        self._messages.put_nowait(data)

    async def next(self, within_s: float | None = None) -> bytes | None:
        """The next message, or None once `within_s` seconds pass without one."""
        getter = asyncio.ensure_future(self._messages.get())
        try:
            # asyncio.wait never turns the stream's own cancellation into a timeout (3.11's
            # wait_for and timeout() can, when both happen at once, leaving it running)
            await asyncio.wait({getter}, timeout=within_s)
        finally:
            if not getter.done():
                getter.cancel()
        return getter.result() if getter.done() and not getter.cancelled() else None

    def drain(self) -> None:
        while not self._messages.empty():
            self._messages.get_nowait()


class LiveEventHub:
    def __init__(self, redis: Redis) -> None:
        self._redis = redis
        self._pubsub: PubSub | None = None
        self._reader: asyncio.Task[None] | None = None
        self._listeners: dict[str, set[Listener]] = {}
        self._confirmed: dict[str, asyncio.Event] = {}
        self._lock = asyncio.Lock()

    @contextlib.asynccontextmanager
    async def listen(self, channels: Iterable[str]) -> AsyncIterator[Listener]:
        """Returns once Redis confirmed every channel: anything published afterwards
        reaches the listener."""
        listener, wanted = Listener(), sorted(set(channels))
        await self._add(listener, wanted)
        try:
            yield listener
        finally:
            await self._remove(listener, wanted)

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
        if self._pubsub is not None:
            await self._pubsub.aclose()

    async def _add(self, listener: Listener, channels: list[str]) -> None:
        async with self._lock:
            pubsub = await self._connected()
            new = [channel for channel in channels if channel not in self._listeners]
            for channel in channels:
                self._listeners.setdefault(channel, set()).add(listener)
            for channel in new:
                self._confirmed[channel] = asyncio.Event()
            if new:
                await pubsub.subscribe(*new)
            waiting = [self._confirmed[channel].wait() for channel in channels]
        async with asyncio.timeout(5):  # not wait_for: on 3.11 it can swallow a cancellation
            await asyncio.gather(*waiting)

    async def _remove(self, listener: Listener, channels: list[str]) -> None:
        async with self._lock:
            idle = []
            for channel in channels:
                listeners = self._listeners.get(channel, set())
                listeners.discard(listener)
                if not listeners:
                    self._listeners.pop(channel, None)
                    self._confirmed.pop(channel, None)
                    idle.append(channel)
            if idle and self._pubsub is not None:
                with contextlib.suppress(RedisError, OSError):
                    await self._pubsub.unsubscribe(*idle)

    async def _connected(self) -> PubSub:
        if self._pubsub is None:
            self._pubsub = self._redis.pubsub()
            await self._pubsub.connect()
            self._reader = asyncio.create_task(self._read(self._pubsub))
        return self._pubsub

    async def _read(self, pubsub: PubSub) -> None:
        while True:
            try:
                message = await pubsub.get_message(timeout=1.0)
            except (RedisError, OSError):
                log.warning("live_events_reconnecting", exc_info=True)
                await asyncio.sleep(RECONNECT_PAUSE_S)
                continue
            if message is not None:
                self._dispatch(message)

    def _dispatch(self, message: dict[str, object]) -> None:
        channel = message["channel"]
        name = channel.decode() if isinstance(channel, bytes) else str(channel)
        if message["type"] == "subscribe" and name in self._confirmed:
            self._confirmed[name].set()
        elif message["type"] == "message" and isinstance(message["data"], bytes):
            for listener in self._listeners.get(name, ()):
                listener.deliver(message["data"])
