"""Payouts, gateway settlement, merchant payments, refunds and reversals, in memory."""

import asyncio
import contextlib
import uuid
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from domain.payments.errors import (
    InsufficientFunds,
    InvalidState,
    MerchantNotFound,
    RefundExceedsPayment,
    TransactionNotFound,
)
from domain.payments.ledger import fee_for
from domain.payments.merchants import MerchantPayment, MerchantService, Refund
from domain.payments.model import (
    AccountKind,
    LedgerTransaction,
    MerchantStatus,
    TransactionKind,
    TransactionStatus,
)
from domain.payments.service import (
    Deposit,
    GatewayNotice,
    PaymentsService,
    Reversal,
    Transfer,
    Withdrawal,
)
from domain.shared.clock import FixedClock
from domain.shared.errors import Conflict, DomainError, Forbidden, NotFound
from domain.shared.money import Currency, Money
from tests.unit.payments.fakes import NOW, FakePaymentsUnitOfWork, nad, setup, to, wallet

PENDING = 14  # cents the scripted gateway leaves for a callback


@dataclass
class World:
    payments: PaymentsService
    merchants: MerchantService
    uow: FakePaymentsUnitOfWork
    people: list[uuid.UUID]
    merchant_id: uuid.UUID


async def world(owners: int = 3) -> World:
    payments, uow, people = await setup(owners)
    merchants = MerchantService(FixedClock(NOW), fee_basis_points=150)
    staff = uuid.uuid4()
    merchant = await merchants.apply(uow, people[-1], "Kapana Corner")
    await merchants.decide(uow, merchant.id, staff, approve=True)
    return World(payments, merchants, uow, people, merchant.id)


async def fund(w: World, who: uuid.UUID, cents: int) -> None:
    account = await wallet(w.uow, who)
    await w.payments.deposit(w.uow, Deposit(who, account.id, nad(cents)))


def balances(uow: FakePaymentsUnitOfWork) -> dict[AccountKind, int]:
    totals: dict[AccountKind, int] = {}
    for account in uow.accounts.rows.values():
        totals[account.kind] = totals.get(account.kind, 0) + account.balance_minor
    return totals


@pytest.mark.parametrize(
    ("cents", "basis_points", "fee"),
    [
        (10_000, 150, 150),
        (10_100, 150, 152),  # 151.5 -> 152 (even)
        (10_300, 150, 154),  # 154.5 -> 154 (even)
        (33, 150, 0),  # 0.495 -> 0
        (34, 150, 1),  # 0.51 -> 1
        (100, 0, 0),
    ],
)
def test_fees_round_half_to_even(cents: int, basis_points: int, fee: int) -> None:
    assert fee_for(nad(cents), basis_points) == nad(fee)


@given(cents=st.integers(1, 10**12), basis_points=st.integers(0, 10_000))
def test_a_fee_is_within_half_a_cent_of_exact(cents: int, basis_points: int) -> None:
    fee = fee_for(nad(cents), basis_points).amount_minor
    assert abs(fee * 10_000 - cents * basis_points) <= 5_000
    assert 0 <= fee <= cents


async def test_a_payment_splits_into_merchant_and_fee_and_a_refund_keeps_the_fee() -> None:
    w = await world()
    payer = w.people[0]
    await fund(w, payer, 10_000)

    paid = await w.merchants.pay(w.uow, MerchantPayment(payer, w.merchant_id, nad(2_000), "x"))
    refunded = await w.merchants.refund(w.uow, Refund(w.people[-1], paid.id, nad(500)))

    assert paid.fee == nad(30)
    assert refunded.original_id == paid.id
    assert w.uow.ledger.transactions[paid.id].refunded_minor == 500
    assert balances(w.uow)[AccountKind.MERCHANT_SETTLEMENT] == 2_000 - 30 - 500
    assert balances(w.uow)[AccountKind.FEES] == 30
    assert (await wallet(w.uow, payer)).balance_minor == 8_500
    with pytest.raises(RefundExceedsPayment):
        await w.merchants.refund(w.uow, Refund(w.people[-1], paid.id, nad(1_501)))
    with pytest.raises(TransactionNotFound):
        await w.merchants.refund(w.uow, Refund(payer, paid.id, nad(1)))


async def test_merchant_decisions() -> None:
    _, uow, (owner, staff) = await setup(2)
    merchants = MerchantService(FixedClock(NOW), 150)
    merchant = await merchants.apply(uow, owner, "  Shop  ")

    with pytest.raises(Conflict):
        await merchants.apply(uow, owner, "Again")
    with pytest.raises(DomainError):
        await merchants.apply(uow, staff, "x")
    with pytest.raises(Forbidden):
        await merchants.decide(uow, merchant.id, owner, approve=True)
    with pytest.raises(MerchantNotFound):
        await merchants.pay(uow, MerchantPayment(staff, merchant.id, nad(1), ""))
    rejected = await merchants.decide(uow, merchant.id, staff, approve=False)
    with pytest.raises(InvalidState):
        await merchants.decide(uow, merchant.id, staff, approve=True)

    assert (merchant.trading_name, rejected.status) == ("Shop", MerchantStatus.REJECTED)
    assert uow.merchant_roles.merchants == []


async def test_a_pending_payout_holds_then_settles_once() -> None:
    w = await world()
    ada = w.people[0]
    await fund(w, ada, 10_000)
    account = await wallet(w.uow, ada)

    payout = await w.payments.withdraw(w.uow, Withdrawal(ada, account.id, nad(4_000 + PENDING), ""))
    held = await wallet(w.uow, ada)
    with pytest.raises(InsufficientFunds):
        await w.payments.withdraw(w.uow, Withdrawal(ada, account.id, nad(6_000), ""))
    assert payout.gateway_reference is not None
    settled = await w.payments.settle(w.uow, GatewayNotice(payout.gateway_reference, True))
    replayed = await w.payments.settle(w.uow, GatewayNotice(payout.gateway_reference, False))

    assert (held.balance_minor, held.available_minor) == (10_000, 10_000 - 4_014)
    assert (settled, replayed) == (True, False)
    after = await wallet(w.uow, ada)
    assert (after.balance_minor, after.held_minor) == (10_000 - 4_014, 0)
    assert w.uow.ledger.transactions[payout.id].status is TransactionStatus.COMPLETED
    feed = [(transaction, seq) for transaction, seq, _ in w.uow.ledger.feeds[ada]]
    assert [seq for transaction, seq in feed if transaction == payout.id] == [1, 2]


async def test_a_failed_deposit_callback_moves_nothing() -> None:
    w = await world()
    ada = w.people[0]
    account = await wallet(w.uow, ada)
    deposit = await w.payments.deposit(w.uow, Deposit(ada, account.id, nad(PENDING)))
    assert deposit.gateway_reference is not None

    await w.payments.settle(w.uow, GatewayNotice(deposit.gateway_reference, False, "nope"))

    failed = w.uow.ledger.transactions[deposit.id]
    assert (failed.status, failed.failure_reason) == (TransactionStatus.FAILED, "nope")
    assert w.uow.ledger.entries[deposit.id] == []
    with pytest.raises(TransactionNotFound):
        await w.payments.settle(w.uow, GatewayNotice("unknown", True))


async def test_reversals() -> None:
    w = await world()
    ada, bob, _ = w.people
    staff = uuid.uuid4()
    await fund(w, ada, 10_000)
    source, target = await wallet(w.uow, ada), await wallet(w.uow, bob)
    sent = await w.payments.transfer(w.uow, Transfer(ada, source.id, to(target.id), nad(900), ""))

    with pytest.raises(DomainError, match="Say why"):
        await w.payments.reverse(w.uow, Reversal(staff, sent.id, "  "))
    reversal = await w.payments.reverse(w.uow, Reversal(staff, sent.id, "disputed"))
    with pytest.raises(InvalidState):
        await w.payments.reverse(w.uow, Reversal(staff, sent.id, "again"))
    with pytest.raises(InvalidState, match="reversal cannot"):
        await w.payments.reverse(w.uow, Reversal(staff, reversal.id, "undo"))
    with pytest.raises(TransactionNotFound):
        await w.payments.reverse(w.uow, Reversal(staff, uuid.uuid4(), "x"))

    assert w.uow.ledger.transactions[sent.id].status is TransactionStatus.REVERSED
    assert (await wallet(w.uow, ada)).balance_minor == 10_000


def test_transitions_follow_the_state_machine() -> None:
    pending = LedgerTransaction(
        id=uuid.uuid4(),
        kind=TransactionKind.DEPOSIT,
        status=TransactionStatus.PENDING,
        amount=nad(1),
        from_account_id=None,
        to_account_id=None,
        reference="",
        initiated_by=None,
        created_at=NOW,
    )
    failed = pending.moved_to(TransactionStatus.FAILED, NOW, "declined")

    assert failed.failure_reason == "declined"
    for status in TransactionStatus:
        with pytest.raises(InvalidState):
            failed.moved_to(status, NOW)
    with pytest.raises(InvalidState):
        pending.moved_to(TransactionStatus.REVERSED, NOW)
    with pytest.raises(ValueError, match="lacks an account"):
        _ = pending.endpoints


class MoneyMachine(RuleBasedStateMachine):
    """Any mix of deposits, payouts, callbacks, transfers, payments, refunds and reversals
    conserves money per currency and never takes a customer below zero available."""

    @initialize()
    def start(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.w = self.loop.run_until_complete(world())
        self.completed: list[uuid.UUID] = []
        self.payments: list[uuid.UUID] = []
        self.in_flight: list[str] = []

    def teardown(self) -> None:
        self.loop.close()

    def run(self, work):  # type: ignore[no-untyped-def]
        with contextlib.suppress(DomainError):
            return self.loop.run_until_complete(work)
        return None

    def account(self, who: int) -> uuid.UUID:
        return self.loop.run_until_complete(wallet(self.w.uow, self.w.people[who])).id

    @rule(who=st.integers(0, 1), cents=st.integers(1, 50_000))
    def deposit(self, who: int, cents: int) -> None:
        owner = self.w.people[who]
        done = self.run(
            self.w.payments.deposit(self.w.uow, Deposit(owner, self.account(who), nad(cents)))
        )
        self.track(done)

    @rule(who=st.integers(0, 2), cents=st.integers(1, 30_000))
    def withdraw(self, who: int, cents: int) -> None:
        owner = self.w.people[who]
        command = Withdrawal(owner, self.account(who), nad(cents), "")
        self.track(self.run(self.w.payments.withdraw(self.w.uow, command)))

    @rule(index=st.integers(0, 50), succeeded=st.booleans())
    def callback(self, index: int, succeeded: bool) -> None:
        if self.in_flight:
            reference = self.in_flight[index % len(self.in_flight)]
            self.run(self.w.payments.settle(self.w.uow, GatewayNotice(reference, succeeded)))

    @rule(sender=st.integers(0, 2), recipient=st.integers(0, 2), cents=st.integers(1, 60_000))
    def transfer(self, sender: int, recipient: int, cents: int) -> None:
        owner = self.w.people[sender]
        command = Transfer(owner, self.account(sender), to(self.account(recipient)), nad(cents), "")
        self.track(self.run(self.w.payments.transfer(self.w.uow, command)))

    @rule(payer=st.integers(0, 1), cents=st.integers(1, 40_000))
    def pay(self, payer: int, cents: int) -> None:
        command = MerchantPayment(self.w.people[payer], self.w.merchant_id, nad(cents), "")
        paid = self.run(self.w.merchants.pay(self.w.uow, command))
        self.track(paid)
        if paid is not None:
            self.payments.append(paid.id)

    @rule(index=st.integers(0, 50), cents=st.integers(1, 40_000))
    def refund(self, index: int, cents: int) -> None:
        if self.payments:
            payment = self.payments[index % len(self.payments)]
            command = Refund(self.w.people[-1], payment, nad(cents))
            self.run(self.w.merchants.refund(self.w.uow, command))

    @rule(index=st.integers(0, 50))
    def reverse(self, index: int) -> None:
        if self.completed:
            original = self.completed[index % len(self.completed)]
            self.run(self.w.payments.reverse(self.w.uow, Reversal(uuid.uuid4(), original, "check")))

    def track(self, transaction: LedgerTransaction | None) -> None:
        if transaction is None:
            return
        if transaction.status is TransactionStatus.COMPLETED:
            self.completed.append(transaction.id)
        if transaction.status is TransactionStatus.PROCESSING and transaction.gateway_reference:
            self.in_flight.append(transaction.gateway_reference)

    @invariant()
    def money_is_conserved_and_customers_never_negative(self) -> None:
        accounts = list(self.w.uow.accounts.rows.values())
        assert sum(a.balance_minor for a in accounts if a.currency is Currency.NAD) == 0
        for account in accounts:
            if not account.kind.may_go_negative:
                assert account.available_minor >= 0
                assert account.held_minor >= 0
        for transaction in self.w.uow.ledger.transactions.values():
            assert transaction.refunded_minor <= transaction.amount.amount_minor
            if transaction.status in (TransactionStatus.FAILED, TransactionStatus.PROCESSING):
                assert self.w.uow.ledger.entries[transaction.id] == []


MoneyMachine.TestCase.settings = settings(max_examples=60, stateful_step_count=30, deadline=None)
TestMoneyMachine = MoneyMachine.TestCase


def test_money_display_is_exact() -> None:
    assert Money(123_456_789, Currency.NAD).display() == "N$1,234,567.89"


async def test_the_owner_manages_who_acts_for_the_merchant() -> None:
    w = await world()
    owner, clerk = w.people[-1], w.people[0]
    w.uow.recipients.emails["clerk@kapana.na"] = clerk

    merchant, added = await w.merchants.add_user(w.uow, owner, "Clerk@Kapana.na")
    with pytest.raises(Conflict):
        await w.merchants.add_user(w.uow, owner, "clerk@kapana.na")
    with pytest.raises(NotFound):
        await w.merchants.add_user(w.uow, owner, "nobody@kapana.na")
    with pytest.raises(MerchantNotFound):
        await w.merchants.add_user(w.uow, clerk, "clerk@kapana.na")
    with pytest.raises(Forbidden):
        await w.merchants.remove_user(w.uow, owner, owner)
    await w.merchants.remove_user(w.uow, owner, clerk)
    with pytest.raises(NotFound):
        await w.merchants.remove_user(w.uow, owner, clerk)

    assert (merchant.id, added) == (w.merchant_id, clerk)
    assert w.uow.merchant_roles.merchants == [owner, clerk]
