"""What every money movement shares: limit checks, recording, status changes and events."""

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from uuid import UUID

from domain.payments.errors import InsufficientFunds, LimitExceeded
from domain.payments.ledger import check_balanced
from domain.payments.model import Account, LedgerTransaction, Posting, TransactionStatus
from domain.payments.ports import PaymentsUnitOfWork
from domain.shared.calendar import NAMIBIA
from domain.shared.clock import Clock
from domain.shared.events import DomainEvent
from domain.shared.money import Money

TRANSACTION_RECORDED = "payments.transaction_recorded"
TRANSACTION_STATUS_CHANGED = "payments.transaction_status_changed"


def day_start(at: datetime) -> datetime:
    """Midnight in Namibia (UTC+2, no daylight saving), as a UTC instant."""
    local = at.astimezone(NAMIBIA)
    return local.replace(hour=0, minute=0, second=0, microsecond=0).astimezone(UTC)


def parties(accounts: Iterable[Account | None]) -> tuple[UUID, ...]:
    """The users whose feeds hear about a transaction: the owners of its accounts."""
    return tuple(sorted({a.owner_id for a in accounts if a is not None and a.owner_id}))


def require_available(account: Account, amount: Money, message: str) -> None:
    if account.available_minor < amount.amount_minor:
        raise InsufficientFunds(message, field="amount")


class Bookkeeper:
    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    async def check_outflow(self, uow: PaymentsUnitOfWork, source: Account, amount: Money) -> None:
        """Called with the source locked, so concurrent sends see each other's outflow."""
        assert source.owner_id is not None
        limits = await uow.limits.for_owner(source.owner_id)
        if amount.amount_minor > limits.per_transaction.amount_minor:
            raise LimitExceeded(
                f"A single payment may be at most {limits.per_transaction.display()}",
                field="amount",
            )
        sent_today = await uow.ledger.outflow_since(source.id, day_start(self.clock.now()))
        if sent_today + amount.amount_minor > limits.daily_outflow.amount_minor:
            raise LimitExceeded(
                f"This would pass your daily limit of {limits.daily_outflow.display()}",
                field="amount",
            )

    async def check_balance_cap(
        self, uow: PaymentsUnitOfWork, account: Account, amount: Money
    ) -> None:
        if account.owner_id is None:
            return
        limits = await uow.limits.for_owner(account.owner_id)
        if account.balance_minor + amount.amount_minor > limits.max_balance.amount_minor:
            raise LimitExceeded(
                f"The wallet may hold at most {limits.max_balance.display()}", field="amount"
            )

    async def record(
        self, uow: PaymentsUnitOfWork, transaction: LedgerTransaction, accounts: Sequence[Account]
    ) -> LedgerTransaction:
        if transaction.postings:
            check_balanced(transaction.postings)
        audience = parties(accounts)
        seq = await uow.ledger.record(transaction, audience)
        uow.record(_event(TRANSACTION_RECORDED, transaction, seq, audience, transaction.created_at))
        return transaction

    async def transition(
        self,
        uow: PaymentsUnitOfWork,
        transaction: LedgerTransaction,
        status: TransactionStatus,
        accounts: Sequence[Account],
        postings: Sequence[Posting] = (),
        holds: Mapping[UUID, int] | None = None,
        failure_reason: str | None = None,
    ) -> LedgerTransaction:
        if postings:
            check_balanced(postings)
        now = self.clock.now()
        changed = transaction.moved_to(status, now, failure_reason)
        audience = parties(accounts)
        seq = await uow.ledger.transition(changed, audience, postings, holds)
        uow.record(_event(TRANSACTION_STATUS_CHANGED, changed, seq, audience, now))
        return changed


def _event(
    name: str,
    transaction: LedgerTransaction,
    seq: int,
    audience: tuple[UUID, ...],
    at: datetime,
) -> DomainEvent:
    return DomainEvent(
        name=name,
        aggregate_type="Transaction",
        aggregate_id=transaction.id,
        occurred_at=at,
        payload={
            "kind": transaction.kind.value,
            "status": transaction.status.value,
            "seq": seq,
            "amount_minor": transaction.amount.amount_minor,
            "currency": transaction.amount.currency.value,
            **({"merchant_id": str(transaction.merchant_id)} if transaction.merchant_id else {}),
        },
        audience=audience,
    )
