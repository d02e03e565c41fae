from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from domain.payments.model import Account, AccountKind, LedgerTransaction, Merchant, Posting
from domain.shared.money import Currency, Money
from domain.shared.ports import EventRecorder


class AccountRepository(Protocol):
    async def lock(self, account_ids: Sequence[UUID]) -> dict[UUID, Account]:
        """Row-locks the accounts in id order (so concurrent postings never deadlock)."""

    async def get(self, account_id: UUID) -> Account | None: ...

    async def wallet_of(self, owner_id: UUID, currency: Currency) -> Account | None: ...

    async def owned(
        self, owner_id: UUID, kind: AccountKind, currency: Currency
    ) -> Account | None: ...

    async def system(self, kind: AccountKind, currency: Currency) -> Account: ...

    async def open(self, account: Account) -> bool:
        """False when the owner already has that account."""


class LedgerRepository(Protocol):
    async def record(self, transaction: LedgerTransaction, parties: Sequence[UUID]) -> int:
        """Writes the transaction, its entries and balances, and its first event (seq 1)
        into each party's feed. Returns the event's sequence number."""

    async def transition(
        self,
        transaction: LedgerTransaction,
        parties: Sequence[UUID],
        postings: Sequence[Posting] = (),
        holds: Mapping[UUID, int] | None = None,
    ) -> int:
        """Stores the new status, posts the entries, moves holds, appends the next event."""

    async def hold(self, account_id: UUID, amount_minor: int) -> None:
        """Sets money aside (negative releases it); the account must be locked."""

    async def lock_transaction(self, transaction_id: UUID) -> LedgerTransaction | None: ...

    async def lock_by_gateway_reference(
        self, gateway: str, gateway_reference: str
    ) -> LedgerTransaction | None: ...

    async def postings_of(self, transaction_id: UUID) -> tuple[Posting, ...]: ...

    async def add_refund(self, payment_id: UUID, amount_minor: int) -> None: ...

    async def outflow_since(self, account_id: UUID, since: datetime) -> int:
        """Minor units that completed or in-flight transactions took out since then."""


class MerchantRepository(Protocol):
    async def get(self, merchant_id: UUID, *, lock: bool = False) -> Merchant | None: ...

    async def of_owner(self, owner_id: UUID) -> Merchant | None: ...

    async def add(self, merchant: Merchant) -> bool:
        """False when the owner already has a merchant profile."""

    async def save(self, merchant: Merchant) -> None: ...

    async def add_member(self, merchant_id: UUID, user_id: UUID, role: str) -> None: ...

    async def remove_member(self, merchant_id: UUID, user_id: UUID) -> bool:
        """False when the user was not a member."""

    async def is_member(self, merchant_id: UUID, user_id: UUID) -> bool: ...


class MerchantRoles(Protocol):
    async def grant_merchant(self, user_id: UUID) -> None:
        """Gives the user the `merchant` role (governance owns roles)."""


class ActiveUsers(Protocol):
    async def exists(self, user_id: UUID) -> bool:
        """An active user: not locked, not erased."""


class Recipients(Protocol):
    """Finds the customer behind an email or a (KYC-verified) phone number."""

    async def by_email(self, email: str) -> UUID | None: ...

    async def by_phone(self, phone: str) -> UUID | None: ...


@dataclass(frozen=True)
class Limits:
    max_balance: Money
    daily_outflow: Money
    per_transaction: Money


class LimitsProvider(Protocol):
    async def for_owner(self, owner_id: UUID) -> Limits:
        """The owner's limits by KYC tier (identity decides the tier)."""


class PaymentsUnitOfWork(EventRecorder, Protocol):
    @property
    def accounts(self) -> AccountRepository: ...

    @property
    def ledger(self) -> LedgerRepository: ...

    @property
    def merchants(self) -> MerchantRepository: ...

    @property
    def merchant_roles(self) -> MerchantRoles: ...

    @property
    def recipients(self) -> Recipients: ...

    @property
    def active_users(self) -> ActiveUsers: ...

    @property
    def limits(self) -> LimitsProvider:
        """Read in the command's own transaction: one connection per command."""


class GatewayOutcome(StrEnum):
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    PENDING = "pending"
    """Accepted; the gateway's signed callback decides later."""


@dataclass(frozen=True)
class GatewayResult:
    outcome: GatewayOutcome
    gateway_reference: str
    failure_reason: str | None = None


class PaymentGateway(Protocol):
    @property
    def name(self) -> str: ...

    async def charge(self, reference: str, amount: Money) -> GatewayResult: ...

    async def payout(self, reference: str, amount: Money) -> GatewayResult: ...
