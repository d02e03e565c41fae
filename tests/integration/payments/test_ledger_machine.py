"""A hypothesis state machine moving money through the real services and database:
after every step money is conserved per currency, every balance equals its entries, and
no customer or merchant account is below zero available."""

import asyncio
import contextlib
import uuid
from collections.abc import Awaitable
from typing import TypeVar

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import text

from domain.payments.merchants import MerchantPayment, Refund
from domain.payments.model import LedgerTransaction, TransactionStatus
from domain.payments.service import (
    Deposit,
    GatewayNotice,
    Recipient,
    Reversal,
    Transfer,
    Withdrawal,
)
from domain.shared.errors import DomainError
from domain.shared.money import Currency, Money
from server.app import Runtime
from server.settings import Settings
from tests.support.factories import create_user

T = TypeVar("T")
PEOPLE = 3  # the last one owns the merchant

CHECKS = {
    "money is not conserved": "SELECT currency, sum(balance_minor) FROM accounts "
    "GROUP BY currency HAVING sum(balance_minor) <> 0",
    "entries do not sum to zero": "SELECT currency, sum(amount_minor) FROM ledger_entries "
    "GROUP BY currency HAVING sum(amount_minor) <> 0",
    "a balance differs from its entries": "SELECT a.id FROM accounts a LEFT JOIN ledger_entries e "
    "ON e.account_id = a.id GROUP BY a.id HAVING a.balance_minor <> coalesce(sum(e.amount_minor), 0)",
    "an account is overdrawn": "SELECT id FROM accounts WHERE balance_minor - held_minor < 0 "
    "AND kind NOT IN ('gateway_clearing', 'suspense')",
    "a failed transaction posted": "SELECT t.id FROM ledger_transactions t JOIN ledger_entries e "
    "ON e.transaction_id = t.id WHERE t.status IN ('failed', 'processing')",
    "refunds exceed a payment": "SELECT id FROM ledger_transactions WHERE refunded_minor > amount_minor",
}


def nad(cents: int) -> Money:
    return Money(cents, Currency.NAD)


def test_money_moves_without_breaking_the_ledger(settings: Settings) -> None:
    class LedgerMachine(RuleBasedStateMachine):
        @initialize()
        def start(self) -> None:
            self.loop = asyncio.new_event_loop()
            self.runtime = Runtime(settings)
            self.people, self.wallets = self.run(self._people())
            self.merchant_id = self.run(self._merchant())
            self.completed: list[uuid.UUID] = []
            self.payments: list[uuid.UUID] = []
            self.in_flight: list[str] = []

        def teardown(self) -> None:
            self.loop.run_until_complete(self.runtime.stop())
            self.loop.close()

        def run(self, work: Awaitable[T]) -> T:
            return self.loop.run_until_complete(work)

        def attempt(self, command) -> None:  # type: ignore[no-untyped-def]
            async def in_a_unit_of_work() -> LedgerTransaction | None:
                with contextlib.suppress(DomainError):
                    async with self.runtime.services.unit_of_work() as uow:
                        return await command(uow)  # type: ignore[no-any-return]
                return None

            done = self.run(in_a_unit_of_work())
            if done is None:
                return
            if done.status is TransactionStatus.COMPLETED:
                self.completed.append(done.id)
            if done.status is TransactionStatus.PROCESSING and done.gateway_reference:
                self.in_flight.append(done.gateway_reference)

        async def _people(self) -> tuple[list[uuid.UUID], list[uuid.UUID]]:
            services = self.runtime.services
            people = [(await create_user(services)).id for _ in range(PEOPLE)]
            wallets = []
            async with services.unit_of_work() as uow:
                for person in people:
                    await services.payments.open_wallet(uow, person)
                    wallet = await uow.accounts.wallet_of(person, Currency.NAD)
                    assert wallet is not None
                    wallets.append(wallet.id)
            return people, wallets

        async def _merchant(self) -> uuid.UUID:
            services = self.runtime.services
            async with services.unit_of_work() as uow:
                merchant = await services.merchants.apply(uow, self.people[-1], "Machine Shop")
                await services.merchants.decide(uow, merchant.id, self.people[0], approve=True)
            return merchant.id

        @rule(who=st.integers(0, PEOPLE - 1), cents=st.integers(1, 40_000))
        def deposit(self, who: int, cents: int) -> None:
            command = Deposit(self.people[who], self.wallets[who], nad(cents))
            self.attempt(lambda uow: self.runtime.services.payments.deposit(uow, command))

        @rule(who=st.integers(0, PEOPLE - 1), cents=st.integers(1, 30_000))
        def withdraw(self, who: int, cents: int) -> None:
            command = Withdrawal(self.people[who], self.wallets[who], nad(cents), "")
            self.attempt(lambda uow: self.runtime.services.payments.withdraw(uow, command))

        @rule(index=st.integers(0, 99), succeeded=st.booleans())
        def callback(self, index: int, succeeded: bool) -> None:
            if self.in_flight:
                notice = GatewayNotice(self.in_flight[index % len(self.in_flight)], succeeded)
                payments = self.runtime.services.payments

                async def settle() -> None:
                    async with self.runtime.services.unit_of_work() as uow:
                        await payments.settle(uow, notice)

                self.run(settle())

        @rule(
            a=st.integers(0, PEOPLE - 1), b=st.integers(0, PEOPLE - 1), cents=st.integers(1, 50_000)
        )
        def transfer(self, a: int, b: int, cents: int) -> None:
            command = Transfer(
                self.people[a], self.wallets[a], Recipient(self.wallets[b]), nad(cents), ""
            )
            self.attempt(lambda uow: self.runtime.services.payments.transfer(uow, command))

        @rule(who=st.integers(0, PEOPLE - 2), cents=st.integers(1, 30_000))
        def pay(self, who: int, cents: int) -> None:
            command = MerchantPayment(self.people[who], self.merchant_id, nad(cents), "")
            before = len(self.completed)
            self.attempt(lambda uow: self.runtime.services.merchants.pay(uow, command))
            if len(self.completed) > before:
                self.payments.append(self.completed[-1])

        @rule(index=st.integers(0, 99), cents=st.integers(1, 3_000))
        def refund(self, index: int, cents: int) -> None:
            if self.payments:
                payment = self.payments[index % len(self.payments)]
                command = Refund(self.people[-1], payment, nad(cents))
                self.attempt(lambda uow: self.runtime.services.merchants.refund(uow, command))

        @rule(index=st.integers(0, 99))
        def reverse(self, index: int) -> None:
            if self.completed:
                original = self.completed[index % len(self.completed)]
                payments = self.runtime.services.payments
                self.attempt(
                    lambda uow: payments.reverse(uow, Reversal(self.people[0], original, "test"))
                )

        @invariant()
        def the_ledger_holds(self) -> None:
            async def broken() -> list[str]:
                async with self.runtime.engine.connect() as connection:
                    return [
                        problem
                        for problem, query in CHECKS.items()
                        if (await connection.execute(text(query))).first() is not None
                    ]

            assert self.run(broken()) == []

    LedgerMachine.TestCase.settings = settings_for_machine
    LedgerMachine.TestCase().runTest()


settings_for_machine = settings(
    max_examples=10,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
