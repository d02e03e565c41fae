"""The ledger's rules and the payments service, on an in-memory ledger."""

import uuid

import pytest

from domain.payments.errors import (
    AccountNotFound,
    CurrencyMismatch,
    InsufficientFunds,
    LimitExceeded,
    SelfTransfer,
    UnbalancedTransaction,
)
from domain.payments.ledger import check_balanced
from domain.payments.model import Posting, TransactionStatus
from domain.payments.service import Deposit, Transfer
from domain.shared.errors import DomainError
from domain.shared.money import Currency, Money
from tests.unit.payments.fakes import TIGHT, nad, setup, to, wallet


def test_postings_must_balance_per_currency() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    check_balanced([Posting(a, nad(-5)), Posting(b, nad(5))])
    with pytest.raises(UnbalancedTransaction):
        check_balanced([Posting(a, nad(-5)), Posting(b, nad(4))])
    with pytest.raises(UnbalancedTransaction):
        check_balanced([Posting(a, nad(-5)), Posting(b, Money(5, Currency.ZAR))])
    with pytest.raises(UnbalancedTransaction):
        check_balanced([Posting(a, nad(0))])


async def test_a_wallet_opens_once_per_owner_and_currency() -> None:
    service, uow, (ada, _) = await setup()

    assert not await service.open_wallet(uow, ada)
    assert [e.name for e in uow.events].count("payments.account_opened") == 2


async def test_deposit_then_transfer_moves_money_and_records_events() -> None:
    service, uow, (ada, bob) = await setup()
    ada_wallet, bob_wallet = await wallet(uow, ada), await wallet(uow, bob)

    deposited = await service.deposit(uow, Deposit(ada, ada_wallet.id, nad(10_000)))
    sent = await service.transfer(
        uow, Transfer(ada, ada_wallet.id, to(bob_wallet.id), nad(2_500), "  rent  ")
    )

    assert deposited.status is TransactionStatus.COMPLETED
    assert sent.reference == "rent"
    assert (await wallet(uow, ada)).balance_minor == 7_500
    assert (await wallet(uow, bob)).balance_minor == 2_500
    assert set(uow.events[-1].audience) == {ada, bob}


async def test_a_declined_deposit_is_recorded_as_failed_and_moves_nothing() -> None:
    service, uow, (ada, _) = await setup()
    ada_wallet = await wallet(uow, ada)

    failed = await service.deposit(uow, Deposit(ada, ada_wallet.id, nad(513)))

    assert (failed.status, failed.failure_reason, failed.postings) == (
        TransactionStatus.FAILED,
        "card_declined",
        (),
    )
    assert (await wallet(uow, ada)).balance_minor == 0


@pytest.mark.parametrize(
    ("case", "error"),
    [
        ("overdraw", InsufficientFunds),
        ("same-account", SelfTransfer),
        ("not-mine", AccountNotFound),
        ("unknown-recipient", AccountNotFound),
        ("other-currency", CurrencyMismatch),
        ("zero", DomainError),
        ("long-reference", DomainError),
    ],
)
async def test_refused_transfers(case: str, error: type[Exception]) -> None:
    service, uow, (ada, bob) = await setup()
    ada_wallet, bob_wallet = await wallet(uow, ada), await wallet(uow, bob)
    await service.deposit(uow, Deposit(ada, ada_wallet.id, nad(1_000)))
    commands = {
        "overdraw": Transfer(ada, ada_wallet.id, to(bob_wallet.id), nad(1_001), ""),
        "same-account": Transfer(ada, ada_wallet.id, to(ada_wallet.id), nad(1), ""),
        "not-mine": Transfer(bob, ada_wallet.id, to(bob_wallet.id), nad(1), ""),
        "unknown-recipient": Transfer(ada, ada_wallet.id, to(uuid.uuid4()), nad(1), ""),
        "other-currency": Transfer(
            ada, ada_wallet.id, to(bob_wallet.id), Money(1, Currency.ZAR), ""
        ),
        "zero": Transfer(ada, ada_wallet.id, to(bob_wallet.id), nad(0), ""),
        "long-reference": Transfer(ada, ada_wallet.id, to(bob_wallet.id), nad(1), "x" * 141),
    }

    with pytest.raises(error):
        await service.transfer(uow, commands[case])

    assert (await wallet(uow, ada)).balance_minor == 1_000


async def test_deposits_go_only_to_your_own_wallet_in_its_currency() -> None:
    service, uow, (ada, bob) = await setup()
    bob_wallet = await wallet(uow, bob)

    with pytest.raises(AccountNotFound):
        await service.deposit(uow, Deposit(ada, bob_wallet.id, nad(100)))
    with pytest.raises(CurrencyMismatch):
        await service.deposit(uow, Deposit(bob, bob_wallet.id, Money(100, Currency.USD)))


async def test_limits_cap_each_transfer_the_day_and_the_balance() -> None:
    service, uow, (ada, bob) = await setup(limits=TIGHT)
    ada_wallet, bob_wallet = await wallet(uow, ada), await wallet(uow, bob)
    await service.deposit(uow, Deposit(ada, ada_wallet.id, nad(9_000)))

    with pytest.raises(LimitExceeded, match="single payment"):
        await service.transfer(uow, Transfer(ada, ada_wallet.id, to(bob_wallet.id), nad(2_001), ""))
    await service.transfer(uow, Transfer(ada, ada_wallet.id, to(bob_wallet.id), nad(2_000), ""))
    with pytest.raises(LimitExceeded, match="daily limit"):
        await service.transfer(uow, Transfer(ada, ada_wallet.id, to(bob_wallet.id), nad(1_001), ""))
    with pytest.raises(LimitExceeded, match="may hold at most"):
        await service.deposit(uow, Deposit(ada, ada_wallet.id, nad(3_001)))

    assert (await wallet(uow, ada)).balance_minor == 7_000
