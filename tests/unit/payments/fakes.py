"""An in-memory ledger behind the payments ports, for domain tests."""

import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID

from domain.payments.model import (
    OUTFLOW_KINDS,
    Account,
    AccountKind,
    LedgerTransaction,
    Merchant,
    Posting,
    TransactionStatus,
)
from domain.payments.ports import GatewayOutcome, GatewayResult, Limits
from domain.payments.service import PaymentsService, Recipient
from domain.shared.clock import FixedClock
from domain.shared.events import AuditRecord, DomainEvent
from domain.shared.ids import new_id
from domain.shared.money import Currency, Money


class InMemoryAccounts:
    def __init__(self) -> None:
        self.rows: dict[UUID, Account] = {}

    async def lock(self, account_ids: Sequence[UUID]) -> dict[UUID, Account]:
        return {i: self.rows[i] for i in sorted(set(account_ids)) if i in self.rows}

    async def get(self, account_id: UUID) -> Account | None:
        return self.rows.get(account_id)

    async def wallet_of(self, owner_id: UUID, currency: Currency) -> Account | None:
        return await self.owned(owner_id, AccountKind.CUSTOMER_WALLET, currency)

    async def owned(self, owner_id: UUID, kind: AccountKind, currency: Currency) -> Account | None:
        return next(
            (
                a
                for a in self.rows.values()
                if a.owner_id == owner_id and a.currency is currency and a.kind is kind
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

    def change(self, account_id: UUID, balance: int = 0, held: int = 0) -> None:
        account = self.rows[account_id]
        changed = replace(
            account,
            balance_minor=account.balance_minor + balance,
            held_minor=account.held_minor + held,
        )
        assert changed.held_minor >= 0
        assert changed.available_minor >= 0 or changed.kind.may_go_negative, "CHECK would refuse"
        self.rows[account_id] = changed


class InMemoryLedger:
    def __init__(self, accounts: InMemoryAccounts) -> None:
        self.accounts = accounts
        self.transactions: dict[UUID, LedgerTransaction] = {}
        self.entries: dict[UUID, list[Posting]] = defaultdict(list)
        self.feeds: dict[UUID, list[tuple[UUID, int, TransactionStatus]]] = defaultdict(list)
        self.events: dict[UUID, int] = {}

    async def outflow_since(self, account_id: UUID, since: datetime) -> int:
        return sum(
            t.amount.amount_minor
            for t in self.transactions.values()
            if t.from_account_id == account_id
            and t.status in (TransactionStatus.COMPLETED, TransactionStatus.PROCESSING)
            and t.kind in OUTFLOW_KINDS
            and t.created_at >= since
        )

    async def record(self, transaction: LedgerTransaction, parties: Sequence[UUID]) -> int:
        self.transactions[transaction.id] = replace(transaction, postings=())
        self._post(transaction.id, transaction.postings, {})
        return self._append(transaction, parties)

    async def transition(
        self,
        transaction: LedgerTransaction,
        parties: Sequence[UUID],
        postings: Sequence[Posting] = (),
        holds: Mapping[UUID, int] | None = None,
    ) -> int:
        self.transactions[transaction.id] = transaction
        self._post(transaction.id, postings, holds or {})
        return self._append(transaction, parties)

    async def hold(self, account_id: UUID, amount_minor: int) -> None:
        self.accounts.change(account_id, held=amount_minor)

    async def lock_transaction(self, transaction_id: UUID) -> LedgerTransaction | None:
        return self.transactions.get(transaction_id)

    async def lock_by_gateway_reference(
        self, gateway: str, gateway_reference: str
    ) -> LedgerTransaction | None:
        return next(
            (
                t
                for t in self.transactions.values()
                if (t.gateway, t.gateway_reference) == (gateway, gateway_reference)
            ),
            None,
        )

    async def postings_of(self, transaction_id: UUID) -> tuple[Posting, ...]:
        return tuple(self.entries[transaction_id])

    async def add_refund(self, payment_id: UUID, amount_minor: int) -> None:
        payment = self.transactions[payment_id]
        refunded = payment.refunded_minor + amount_minor
        assert refunded <= payment.amount.amount_minor, "CHECK would refuse"
        self.transactions[payment_id] = replace(payment, refunded_minor=refunded)

    def _post(
        self, transaction_id: UUID, postings: Sequence[Posting], holds: Mapping[UUID, int]
    ) -> None:
        self.entries[transaction_id].extend(postings)
        for posting in postings:
            self.accounts.change(posting.account_id, balance=posting.amount.amount_minor)
        for account_id, delta in holds.items():
            self.accounts.change(account_id, held=delta)

    def _append(self, transaction: LedgerTransaction, parties: Sequence[UUID]) -> int:
        seq = self.events.get(transaction.id, 0) + 1
        self.events[transaction.id] = seq
        for party in parties:
            self.feeds[party].append((transaction.id, seq, transaction.status))
        return seq


class InMemoryMerchants:
    def __init__(self) -> None:
        self.rows: dict[UUID, Merchant] = {}
        self.members: set[tuple[UUID, UUID]] = set()

    async def get(self, merchant_id: UUID, *, lock: bool = False) -> Merchant | None:
        return self.rows.get(merchant_id)

    async def of_owner(self, owner_id: UUID) -> Merchant | None:
        return next((m for m in self.rows.values() if m.owner_id == owner_id), None)

    async def add(self, merchant: Merchant) -> bool:
        if await self.of_owner(merchant.owner_id) is not None:
            return False
        self.rows[merchant.id] = merchant
        return True

    async def save(self, merchant: Merchant) -> None:
        self.rows[merchant.id] = merchant

    async def add_member(self, merchant_id: UUID, user_id: UUID, role: str) -> None:
        self.members.add((merchant_id, user_id))

    async def remove_member(self, merchant_id: UUID, user_id: UUID) -> bool:
        if (merchant_id, user_id) not in self.members:
            return False
        self.members.remove((merchant_id, user_id))
        return True

    async def is_member(self, merchant_id: UUID, user_id: UUID) -> bool:
        return (merchant_id, user_id) in self.members


class RecordedRoles:
    def __init__(self) -> None:
        self.merchants: list[UUID] = []

    async def grant_merchant(self, user_id: UUID) -> None:
        self.merchants.append(user_id)


class Directory:
    def __init__(self) -> None:
        self.emails: dict[str, UUID] = {}
        self.phones: dict[str, UUID] = {}

    async def by_email(self, email: str) -> UUID | None:
        return self.emails.get(email.lower())

    async def by_phone(self, phone: str) -> UUID | None:
        return self.phones.get(phone)


class FixedLimits:
    def __init__(self, limits: Limits) -> None:
        self.limits = limits

    async def for_owner(self, owner_id: UUID) -> Limits:
        return self.limits


class EveryoneActive:
    def __init__(self) -> None:
        self.gone: set[UUID] = set()

    async def exists(self, user_id: UUID) -> bool:
        return user_id not in self.gone


class FakePaymentsUnitOfWork:
    def __init__(self, limits: Limits) -> None:
        self.limits = FixedLimits(limits)
        self.accounts = InMemoryAccounts()
        self.ledger = InMemoryLedger(self.accounts)
        self.merchants = InMemoryMerchants()
        self.merchant_roles = RecordedRoles()
        self.recipients = Directory()
        self.active_users = EveryoneActive()
        self.events: list[DomainEvent] = []

    def record(self, event: DomainEvent) -> None:
        self.events.append(event)

    def audit(self, record: AuditRecord) -> None:
        pass


class ScriptedGateway:
    """Cents .13 fail, .14 wait for a callback, the rest succeed (like the sandbox)."""

    name = "scripted"

    async def charge(self, reference: str, amount: Money) -> GatewayResult:
        return self._outcome(f"ch_{reference}", amount)

    async def payout(self, reference: str, amount: Money) -> GatewayResult:
        return self._outcome(f"po_{reference}", amount)

    def _outcome(self, gateway_reference: str, amount: Money) -> GatewayResult:
        cents = amount.amount_minor % 100
        if cents == 13:
            return GatewayResult(GatewayOutcome.FAILED, gateway_reference, "card_declined")
        if cents == 14:
            return GatewayResult(GatewayOutcome.PENDING, gateway_reference)
        return GatewayResult(GatewayOutcome.SUCCEEDED, gateway_reference)


NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UTC)


def to(account_id: uuid.UUID) -> Recipient:
    return Recipient(account_id=account_id)


def nad(cents: int) -> Money:
    return Money(cents, Currency.NAD)


GENEROUS = Limits(nad(10**11), nad(10**11), nad(10**11))
TIGHT = Limits(max_balance=nad(10_000), daily_outflow=nad(3_000), per_transaction=nad(2_000))


async def setup(
    owners: int = 2, limits: Limits = GENEROUS
) -> tuple[PaymentsService, FakePaymentsUnitOfWork, list[uuid.UUID]]:
    service = PaymentsService(FixedClock(NOW), ScriptedGateway())
    uow = FakePaymentsUnitOfWork(limits)
    for kind in (AccountKind.GATEWAY_CLEARING, AccountKind.FEES, AccountKind.SUSPENSE):
        await uow.accounts.open(
            Account(
                id=new_id(),
                owner_id=None,
                kind=kind,
                currency=Currency.NAD,
                balance_minor=0,
                created_at=NOW,
            )
        )
    people = [uuid.uuid4() for _ in range(owners)]
    for person in people:
        assert await service.open_wallet(uow, person)
    return service, uow, people


async def wallet(uow: FakePaymentsUnitOfWork, owner: uuid.UUID) -> Account:
    found = await uow.accounts.wallet_of(owner, Currency.NAD)
    assert found is not None
    return found
