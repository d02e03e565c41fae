"""Outbox events reach Redis at least once, even across a crash, and failures retry."""

import asyncio
from datetime import timedelta

import orjson
from redis.asyncio import Redis
from sqlalchemy import select

from adapters.event_publisher import ALL_EVENTS_CHANNEL, RedisEventPublisher, user_channel
from domain.identity.commands import CreateUser
from domain.shared.clock import FixedClock, SystemClock
from persistence.db import create_engine, create_session_factory
from persistence.outbox import OutboxMessage
from persistence.shared.tables import OutboxEventRow
from persistence.uow import SYSTEM
from server.app import Runtime
from server.dispatcher import OutboxDispatcher
from tests.support.sentry import captured_sentry_events


async def create_user(runtime: Runtime, email: str = "ada@example.na"):  # type: ignore[no-untyped-def]
    services = runtime.services
    async with services.unit_of_work(SYSTEM) as uow:
        return await services.users.create_user(uow, CreateUser(email, "Ada"))


async def next_message(pubsub, timeout: float = 5.0) -> dict:  # type: ignore[no-untyped-def]
    async def wait() -> dict:  # type: ignore[type-arg]
        async for message in pubsub.listen():
            if message["type"] == "message":
                return orjson.loads(message["data"])  # type: ignore[no-any-return]
        raise AssertionError("subscription closed")

    return await asyncio.wait_for(wait(), timeout)


async def outbox_rows(runtime: Runtime) -> list[OutboxEventRow]:
    async with runtime.services.session_factory() as session:
        return list(await session.scalars(select(OutboxEventRow).order_by(OutboxEventRow.position)))


async def test_an_event_committed_before_a_crash_is_delivered_after_restart(
    runtime: Runtime, database_url: str, redis_url: str
) -> None:
    user = await create_user(runtime)  # committed; the process "dies" before dispatching
    await runtime.stop()

    engine = create_engine(database_url)
    redis = Redis.from_url(redis_url)
    pubsub = redis.pubsub()
    await pubsub.subscribe(user_channel(user.id))
    try:
        restarted = OutboxDispatcher(
            create_session_factory(engine), [RedisEventPublisher(redis)], SystemClock()
        )
        delivered = await restarted.dispatch_once()
        message = await next_message(pubsub)
        again = await restarted.dispatch_once()
    finally:
        await pubsub.aclose()
        await redis.aclose()
        await engine.dispose()

    assert delivered == 1
    assert again == 0
    assert message["name"] == "identity.user_created"
    assert message["aggregateId"] == str(user.id)


async def test_a_failing_handler_is_retried_with_back_off(runtime: Runtime) -> None:
    await create_user(runtime)
    clock = FixedClock(SystemClock().now())
    attempts: list[str] = []

    async def flaky(message: OutboxMessage) -> None:
        attempts.append(message.name)
        if len(attempts) < 3:
            raise ConnectionError("receiver down")

    dispatcher = OutboxDispatcher(runtime.services.session_factory, [flaky], clock)

    assert await dispatcher.dispatch_once() == 0
    assert await dispatcher.dispatch_once() == 0  # not due yet: backing off
    clock.advance(timedelta(seconds=3))
    assert await dispatcher.dispatch_once() == 0
    clock.advance(timedelta(seconds=5))
    assert await dispatcher.dispatch_once() == 1

    (row,) = await outbox_rows(runtime)
    assert len(attempts) == 3
    assert row.attempts == 3
    assert row.dispatched_at is not None
    assert "receiver down" in (row.last_error or "")


async def test_a_handler_that_always_fails_is_abandoned_after_max_attempts(
    runtime: Runtime,
) -> None:
    await create_user(runtime)
    clock = FixedClock(SystemClock().now())

    async def broken(_: OutboxMessage) -> None:
        raise ValueError("poison message")

    dispatcher = OutboxDispatcher(runtime.services.session_factory, [broken], clock, max_attempts=3)
    with captured_sentry_events() as sentry:
        for _ in range(5):
            await dispatcher.dispatch_once()
            clock.advance(timedelta(hours=2))

    (row,) = await outbox_rows(runtime)
    assert row.attempts == 3
    assert row.abandoned_at is not None
    assert row.dispatched_at is None
    (reported,) = sentry.events()  # retries are warnings; giving up is reported once
    assert reported["tags"]["log_event"] == "outbox_delivery_failed"
    assert reported["exception"]["values"][0]["value"] == "poison message"


async def test_concurrent_dispatchers_deliver_each_event_once(runtime: Runtime) -> None:
    for index in range(20):
        await create_user(runtime, f"user{index}@example.na")
    seen: list[str] = []

    async def record(message: OutboxMessage) -> None:
        await asyncio.sleep(0.001)
        seen.append(str(message.event_id))

    dispatchers = [
        OutboxDispatcher(runtime.services.session_factory, [record], SystemClock(), batch_size=5)
        for _ in range(4)
    ]
    while sum(await asyncio.gather(*(d.dispatch_once() for d in dispatchers))):
        pass

    assert len(seen) == 20
    assert len(set(seen)) == 20


async def test_every_event_is_also_published_on_the_all_events_channel(
    runtime: Runtime, redis_url: str
) -> None:
    redis = Redis.from_url(redis_url)
    pubsub = redis.pubsub()
    await pubsub.subscribe(ALL_EVENTS_CHANNEL)
    try:
        await create_user(runtime)
        dispatcher = OutboxDispatcher(
            runtime.services.session_factory, [RedisEventPublisher(redis)], SystemClock()
        )
        await dispatcher.dispatch_once()
        message = await next_message(pubsub)
    finally:
        await pubsub.aclose()
        await redis.aclose()

    assert message["name"] == "identity.user_created"
