"""An in-memory ledger behind the payments ports, for domain tests."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from uuid import UUID

from domain.payments.model import (
    OUTFLOW_KINDS,
    Account,
    AccountKind,
    LedgerTransaction,
    TransactionStatus,
)
from domain.payments.ports import GatewayResult, Limits
from domain.shared.events import AuditRecord, DomainEvent
from domain.shared.money import Currency, Money


class InMemoryAccounts:
    def __init__(self) -> None:
        self.rows: dict[UUID, Account] = {}

    async def lock(self, account_ids: Sequence[UUID]) -> dict[UUID, Account]:
        return {i: self.rows[i] for i in sorted(set(account_ids)) if i in self.rows}

    async def get(self, account_id: UUID) -> Account | None:
        return self.rows.get(account_id)

    async def wallet_of(self, owner_id: UUID, currency: Currency) -> Account | None:
        return next(
            (
                a
                for a in self.rows.values()
                if a.owner_id == owner_id
                and a.currency is currency
                and a.kind is AccountKind.CUSTOMER_WALLET
            ),
            None,
        )

    async def system(self, kind: AccountKind, currency: Currency) -> Account:
        return next(
            a
            for a in self.rows.values()
            if a.owner_id is None and a.kind is kind and a.currency is currency
        )

    async def open(self, account: Account) -> bool:
        if any(
            a.owner_id == account.owner_id
            and a.kind is account.kind
            and a.currency is account.currency
            for a in self.rows.values()
        ):
            return False
        self.rows[account.id] = account
        return True


class InMemoryLedger:
    def __init__(self, accounts: InMemoryAccounts) -> None:
        self.accounts = accounts
        self.transactions: list[LedgerTransaction] = []

    async def outflow_since(self, account_id: UUID, since: datetime) -> int:
        return sum(
            t.amount.amount_minor
            for t in self.transactions
            if t.from_account_id == account_id
            and t.status is TransactionStatus.COMPLETED
            and t.kind in OUTFLOW_KINDS
            and t.created_at >= since
        )

    async def record(self, transaction: LedgerTransaction) -> None:
        self.transactions.append(transaction)
        for posting in transaction.postings:
            account = self.accounts.rows[posting.account_id]
            balance = account.balance_minor + posting.amount.amount_minor
            assert balance >= 0 or account.kind.may_go_negative, "the database CHECK would refuse"
            self.accounts.rows[account.id] = replace(account, balance_minor=balance)


class FixedLimits:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    async def for_owner(self, owner_id: UUID) -> Limits:
        return self.limits


class FakePaymentsUnitOfWork:
    def __init__(self, limits: Limits) -> None:
        self.limits = FixedLimits(limits)
        self.accounts = InMemoryAccounts()
        self.ledger = InMemoryLedger(self.accounts)
        self.events: list[DomainEvent] = []

    def record(self, event: DomainEvent) -> None:
        self.events.append(event)

    def audit(self, record: AuditRecord) -> None:
        pass


class ScriptedGateway:
    async def charge(self, reference: str, amount: Money) -> GatewayResult:
        if amount.amount_minor % 100 == 13:
            return GatewayResult(False, f"gw_{reference}", "card_declined")
        return GatewayResult(True, f"gw_{reference}")
