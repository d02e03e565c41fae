"""Live transaction status. Each stream listens on Redis first, then reads PostgreSQL from
the client's position, and reads again whenever Redis says something happened (or, at the
latest, every `live_recheck_s`): events come in order, without gaps or repeats, whichever
server process committed or published them."""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar
from uuid import UUID

from strawberry.types import Info

from adapters.event_publisher import aggregate_channel, user_channel
from domain.payments.reads import StatusChange, is_final
from persistence.payments.feeds import FeedQueries
from resolvers.live import reauthorize, recheck_interval
from schema.errors import BadUserInput, NotFound

BATCH = 100
T = TypeVar("T")


async def my_transaction_events(info: Info, after: int | None) -> AsyncIterator[StatusChange]:
    """The signed-in user's feed after `after` (None: from now on)."""
    user = info.context.principal.subject_id
    async with info.context.services.live_events.listen([user_channel(user)]) as listener:
        head = await _read(info, lambda feeds: feeds.head(user))
        if after is not None and not 0 <= after <= head:
            raise BadUserInput("This cursor is not from your feed", field="after")
        last = head if after is None else after
        while True:
            await reauthorize(info)
            batch = await _read(
                info, lambda feeds, after=last: feeds.feed_after(user, after, BATCH)
            )
            await info.context.loaders.transaction_by_id.load_many(
                [change.transaction_id for change in batch]
            )
            for change in batch:
                yield change
                last = change.feed_seq or last
            if len(batch) < BATCH:
                await listener.next(recheck_interval(info))
                listener.drain()


async def transaction_status(
    info: Info, transaction_id: UUID, after: int
) -> AsyncIterator[StatusChange]:
    """The transaction's changes after its `after`-th, until nothing more can change."""
    channels = [
        aggregate_channel("Transaction", transaction_id),
        user_channel(info.context.principal.subject_id),  # hears of revoked sessions
    ]
    async with info.context.services.live_events.listen(channels) as listener:
        last = after
        while True:
            await reauthorize(info)
            transaction = await info.context.loaders.transaction_by_id.load(transaction_id)
            if transaction is None:
                raise NotFound("No such transaction")
            changes = await _read(
                info, lambda feeds, after=last: feeds.changes_after(transaction_id, after)
            )
            for change in changes:
                yield change
                last = change.seq
            if is_final(transaction.kind, transaction.status):
                return
            await listener.next(recheck_interval(info))
            listener.drain()


async def _read(info: Info, query: Callable[[FeedQueries], Awaitable[T]]) -> T:
    async with info.context.services.session_factory() as session:
        return await query(FeedQueries(session))
