"""Delivers outbox rows to handlers and publishes them to Redis, at least once."""

import asyncio
import contextlib
import random
from collections.abc import Awaitable, Callable, Sequence
from datetime import timedelta

import structlog
from sqlalchemy.ext.asyncio import AsyncSession

from domain.shared.clock import Clock
from persistence.db import SessionFactory
from persistence.outbox import OutboxMessage, OutboxRepository

log = structlog.get_logger(__name__)

OutboxHandler = Callable[[OutboxMessage], Awaitable[None]]

MAX_BACKOFF = timedelta(hours=1)


def backoff(attempts: int, jitter: float) -> timedelta:
    """2 s after the first failure, doubling, capped at an hour; `jitter` in [0, 1) adds
    up to 10%."""
    base = min(timedelta(seconds=2 ** min(attempts, 20)), MAX_BACKOFF)
    return base * (1 + jitter / 10)


class OutboxDispatcher:
    def __init__(
        self,
        session_factory: SessionFactory,
        handlers: Sequence[OutboxHandler],
        clock: Clock,
        *,
        batch_size: int = 100,
        max_attempts: int = 12,
        poll_interval_s: float = 0.5,
    ) -> None:
        self._session_factory = session_factory
        self._handlers = tuple(handlers)
        self._clock = clock
        self._batch_size = batch_size
        self._max_attempts = max_attempts
        self._poll_interval_s = poll_interval_s

    async def dispatch_once(self) -> int:
        """Handles one batch of due rows; returns how many were delivered."""
        async with self._session_factory() as session, session.begin():
            outbox = OutboxRepository(session)
            messages = await outbox.claim_due(self._clock.now(), self._batch_size)
            delivered = []
            for message in messages:
                if await self._deliver(session, outbox, message):
                    delivered.append(message.position)
            await outbox.mark_dispatched(delivered, self._clock.now())
        return len(delivered)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                delivered = await self.dispatch_once()
            except Exception:
                log.exception("outbox_dispatch_failed")
                delivered = 0
            if delivered < self._batch_size:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), timeout=self._poll_interval_s)

    async def _deliver(
        self, session: AsyncSession, outbox: OutboxRepository, message: OutboxMessage
    ) -> bool:
        try:
            async with session.begin_nested():
                for handler in self._handlers:
                    await handler(message)
        except Exception as error:
            attempts = message.attempts + 1
            now = self._clock.now()
            retry_at = (
                now + backoff(attempts, random.random()) if attempts < self._max_attempts else None
            )
            report = log.warning if retry_at is not None else log.error
            report(
                "outbox_delivery_failed",
                event_name=message.name,
                position=message.position,
                attempts=attempts,
                error=repr(error),
                gave_up=retry_at is None,
                exc_info=retry_at is None,
            )
            await outbox.mark_failed(message.position, repr(error), retry_at, now)
            return False
        return True
