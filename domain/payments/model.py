from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.payments.errors import InvalidState
from domain.shared.money import Currency, Money


class AccountKind(StrEnum):
    CUSTOMER_WALLET = "customer_wallet"
    MERCHANT_SETTLEMENT = "merchant_settlement"
    GATEWAY_CLEARING = "gateway_clearing"
    FEES = "fees"
    SUSPENSE = "suspense"

    @property
    def may_go_negative(self) -> bool:
        """Only system accounts: clearing mirrors money held outside the ledger."""
        return self in (AccountKind.GATEWAY_CLEARING, AccountKind.SUSPENSE)


class TransactionKind(StrEnum):
    DEPOSIT = "deposit"
    WITHDRAWAL = "withdrawal"
    TRANSFER = "transfer"
    PAYMENT = "payment"
    REFUND = "refund"
    REVERSAL = "reversal"


OUTFLOW_KINDS = frozenset(
    {TransactionKind.TRANSFER, TransactionKind.PAYMENT, TransactionKind.WITHDRAWAL}
)
"""Kinds that take money out of the sender's wallet: they count towards the daily limit."""

REVERSIBLE_KINDS = frozenset(
    {TransactionKind.DEPOSIT, TransactionKind.TRANSFER, TransactionKind.PAYMENT}
)
"""Payouts have left the ledger and refunds are themselves corrections: neither reverses."""


class TransactionStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    REVERSED = "reversed"


TRANSITIONS: dict[TransactionStatus, frozenset[TransactionStatus]] = {
    TransactionStatus.PENDING: frozenset(
        {TransactionStatus.PROCESSING, TransactionStatus.COMPLETED, TransactionStatus.FAILED}
    ),
    TransactionStatus.PROCESSING: frozenset(
        {TransactionStatus.COMPLETED, TransactionStatus.FAILED}
    ),
    TransactionStatus.COMPLETED: frozenset({TransactionStatus.REVERSED}),
    TransactionStatus.FAILED: frozenset(),
    TransactionStatus.REVERSED: frozenset(),
}


@dataclass(frozen=True, kw_only=True)
class Account:
    id: UUID
    owner_id: UUID | None
    kind: AccountKind
    currency: Currency
    balance_minor: int
    created_at: datetime
    held_minor: int = 0

    @property
    def balance(self) -> Money:
        return Money(self.balance_minor, self.currency)

    @property
    def available_minor(self) -> int:
        """What may still be spent: the balance less payouts awaiting the gateway."""
        return self.balance_minor - self.held_minor


@dataclass(frozen=True)
class Posting:
    """One entry: a signed amount on one account (debits negative, credits positive)."""

    account_id: UUID
    amount: Money


@dataclass(frozen=True, kw_only=True)
class LedgerTransaction:
    id: UUID
    kind: TransactionKind
    status: TransactionStatus
    amount: Money
    from_account_id: UUID | None
    to_account_id: UUID | None
    reference: str
    initiated_by: UUID | None
    created_at: datetime
    postings: tuple[Posting, ...] = ()
    failure_reason: str | None = None
    fee: Money | None = None
    merchant_id: UUID | None = None
    original_id: UUID | None = None
    refunded_minor: int = 0
    gateway: str | None = None
    gateway_reference: str | None = None
    updated_at: datetime | None = None

    def moved_to(
        self, status: TransactionStatus, at: datetime, failure_reason: str | None = None
    ) -> "LedgerTransaction":
        if status not in TRANSITIONS[self.status]:
            raise InvalidState(f"A {self.status.value} transaction cannot become {status.value}")
        return replace(
            self,
            status=status,
            updated_at=at,
            postings=(),
            failure_reason=failure_reason or self.failure_reason,
        )

    @property
    def endpoints(self) -> tuple[UUID, UUID]:
        """(from, to) account ids; every recorded transaction has both."""
        if self.from_account_id is None or self.to_account_id is None:
            raise ValueError(f"transaction {self.id} lacks an account")
        return self.from_account_id, self.to_account_id

    @property
    def refundable_minor(self) -> int:
        return self.amount.amount_minor - self.refunded_minor


class MerchantStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    SUSPENDED = "suspended"


@dataclass(frozen=True, kw_only=True)
class Merchant:
    id: UUID
    owner_id: UUID
    trading_name: str
    status: MerchantStatus
    created_at: datetime
    settlement_account_id: UUID | None = None
    decided_at: datetime | None = None
    decided_by: UUID | None = None
