"""Live transaction status over graphql-transport-ws and GraphQL over SSE."""

from collections.abc import AsyncGenerator
from datetime import datetime
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain.payments.reads import StatusChange
from resolvers.payments import subscriptions
from schema.ids import from_global_id
from schema.pagination import decode_feed_cursor, encode_feed_cursor
from schema.payments_accounts import Transaction, TransactionStatus
from schema.permissions import authenticated


@strawberry.interface(description="A change of a transaction's status.")
class TransactionChange:
    status: TransactionStatus
    occurred_at: datetime
    transaction_id: strawberry.Private[UUID]

    @strawberry.field(description="The transaction as it is now.")
    async def transaction(self, info: Info) -> Transaction | None:
        found = await info.context.loaders.transaction_by_id.load(self.transaction_id)
        return None if found is None else Transaction.from_domain(found)


@strawberry.type(description="`seq` counts the transaction's changes from 1.")
class TransactionStatusEvent(TransactionChange):
    seq: int


@strawberry.type(description="A change to one of your transactions, numbered in your own feed.")
class TransactionFeedEvent(TransactionChange):
    cursor: str = strawberry.field(
        description="Resume after this event: `myTransactionEvents(after: cursor)`."
    )
    seq: int = strawberry.field(description="Your feed's number for it: 1, 2, 3, … no gaps.")
    transaction_seq: int = strawberry.field(description="The transaction's own change number.")

    @classmethod
    def from_domain(cls, change: StatusChange) -> "TransactionFeedEvent":
        assert change.feed_seq is not None
        return cls(
            cursor=encode_feed_cursor(change.feed_seq),
            seq=change.feed_seq,
            transaction_seq=change.seq,
            status=change.status,
            occurred_at=change.occurred_at,
            transaction_id=change.transaction_id,
        )


@strawberry.type(name="Subscription")
class PaymentsSubscription:
    @strawberry.subscription(
        extensions=authenticated(),
        description="A transaction you may see: its changes after `afterSeq` (all of them "
        "by default), then each new one live; completes once nothing more can change.",
    )
    async def transaction_status(
        self, info: Info, id: strawberry.ID, after_seq: int = 0
    ) -> AsyncGenerator[TransactionStatusEvent, None]:
        _, transaction_id = from_global_id(id, "Transaction")
        async for change in subscriptions.transaction_status(info, transaction_id, after_seq):
            yield TransactionStatusEvent(
                seq=change.seq,
                status=change.status,
                occurred_at=change.occurred_at,
                transaction_id=change.transaction_id,
            )

    @strawberry.subscription(
        extensions=authenticated(),
        description="Changes to your transactions: after `after` (a cursor from an earlier "
        "event) first what you missed, then each new one live; without `after`, from now on.",
    )
    async def my_transaction_events(
        self, info: Info, after: str | None = None
    ) -> AsyncGenerator[TransactionFeedEvent, None]:
        position = None if after is None else decode_feed_cursor(after)
        async for change in subscriptions.my_transaction_events(info, position):
            yield TransactionFeedEvent.from_domain(change)
