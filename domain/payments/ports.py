from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.payments.model import Account, AccountKind, LedgerTransaction
from domain.shared.money import Currency, Money
from domain.shared.ports import EventRecorder


class AccountRepository(Protocol):
    async def lock(self, account_ids: Sequence[UUID]) -> dict[UUID, Account]:
        """Row-locks the accounts in id order (so concurrent postings never deadlock)."""

    async def get(self, account_id: UUID) -> Account | None: ...

    async def wallet_of(self, owner_id: UUID, currency: Currency) -> Account | None: ...

    async def system(self, kind: AccountKind, currency: Currency) -> Account: ...

    async def open(self, account: Account) -> bool:
        """False when the owner already has that account."""


class LedgerRepository(Protocol):
    async def record(self, transaction: LedgerTransaction) -> None:
        """Writes the transaction, its entries, the new balances and its first event."""

    async def outflow_since(self, account_id: UUID, since: datetime) -> int:
        """Minor units that completed transactions took out of the account since then."""


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
    def limits(self) -> LimitsProvider:
        """Read in the command's own transaction: one connection per command."""


@dataclass(frozen=True)
class GatewayResult:
    succeeded: bool
    gateway_reference: str
    failure_reason: str | None = None


class PaymentGateway(Protocol):
    async def charge(self, reference: str, amount: Money) -> GatewayResult: ...
