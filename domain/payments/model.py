from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from uuid import UUID

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


class TransactionStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    REVERSED = "reversed"


@dataclass(frozen=True, kw_only=True)
class Account:
    id: UUID
    owner_id: UUID | None
    kind: AccountKind
    currency: Currency
    balance_minor: int
    created_at: datetime

    @property
    def balance(self) -> Money:
        return Money(self.balance_minor, self.currency)


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
