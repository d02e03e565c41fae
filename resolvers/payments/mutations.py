"""Money-moving mutations: each builds its domain command and runs it once per key."""

import dataclasses
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Any, TypeVar
from uuid import UUID

from strawberry.types import Info

from domain.payments.merchants import MerchantPayment, Refund
from domain.payments.model import Account, LedgerTransaction
from domain.payments.ports import PaymentsUnitOfWork
from domain.payments.service import Deposit, Recipient, Reversal, Transfer, Withdrawal
from domain.shared.errors import DomainError
from domain.shared.money import Currency, Money
from resolvers.commands import run_command
from resolvers.payments.idempotency import run_idempotent
from schema.ids import from_global_id

C = TypeVar("C")


def account_id(global_id: str) -> UUID:
    return from_global_id(global_id, "Account")[1]


def transaction_id(global_id: str) -> UUID:
    return from_global_id(global_id, "Transaction")[1]


def merchant_id(global_id: str) -> UUID:
    return from_global_id(global_id, "Merchant")[1]


def fingerprint(command: object) -> dict[str, Any]:
    """What makes two requests with one key the same request: the command's fields
    (the principal already scopes the key), in plain JSON."""

    def plain(value: Any) -> Any:
        if isinstance(value, Money):
            return [value.amount_minor, value.currency.value]
        if isinstance(value, UUID | Enum):
            return str(value)
        if isinstance(value, dict):
            return {key: plain(item) for key, item in value.items()}
        return value

    fields = dataclasses.asdict(command)  # type: ignore[call-overload]
    fields.pop("initiated_by", None)
    return {key: plain(value) for key, value in fields.items()}


async def _once_per_key(
    info: Info,
    key: str,
    command: C,
    work: Callable[[PaymentsUnitOfWork, C], Awaitable[LedgerTransaction]],
) -> LedgerTransaction | DomainError:
    operation = type(command).__name__
    return await run_idempotent(
        info, key, operation, fingerprint(command), lambda uow: work(uow, command)
    )


def _me(info: Info) -> UUID:
    return info.context.principal.subject_id  # type: ignore[no-any-return]


async def transfer(
    info: Info, key: str, from_account: str, to: Recipient, amount: Money, reference: str
) -> LedgerTransaction | DomainError:
    command = Transfer(_me(info), account_id(from_account), to, amount, reference)
    return await _once_per_key(info, key, command, info.context.services.payments.transfer)


async def deposit(
    info: Info, key: str, to_account: str, amount: Money
) -> LedgerTransaction | DomainError:
    command = Deposit(_me(info), account_id(to_account), amount)
    return await _once_per_key(info, key, command, info.context.services.payments.deposit)


async def withdraw(
    info: Info, key: str, from_account: str, amount: Money, reference: str
) -> LedgerTransaction | DomainError:
    command = Withdrawal(_me(info), account_id(from_account), amount, reference)
    return await _once_per_key(info, key, command, info.context.services.payments.withdraw)


async def reverse_transaction(
    info: Info, key: str, transaction: str, reason: str
) -> LedgerTransaction | DomainError:
    command = Reversal(_me(info), transaction_id(transaction), reason)
    return await _once_per_key(info, key, command, info.context.services.payments.reverse)


async def pay_merchant(
    info: Info, key: str, merchant: str, amount: Money, reference: str
) -> LedgerTransaction | DomainError:
    command = MerchantPayment(_me(info), merchant_id(merchant), amount, reference)
    return await _once_per_key(info, key, command, info.context.services.merchants.pay)


async def refund_payment(
    info: Info, key: str, payment: str, amount: Money
) -> LedgerTransaction | DomainError:
    command = Refund(_me(info), transaction_id(payment), amount)
    return await _once_per_key(info, key, command, info.context.services.merchants.refund)


async def open_wallet(info: Info, currency: Currency) -> Account | DomainError:
    owner = _me(info)
    payments = info.context.services.payments
    return await run_command(info, lambda uow: payments.open_other_wallet(uow, owner, currency))
