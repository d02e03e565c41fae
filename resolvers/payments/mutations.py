from typing import Any
from uuid import UUID

from strawberry.types import Info

from domain.payments.merchants import MerchantPayment, Refund
from domain.payments.model import Account, LedgerTransaction
from domain.payments.service import Deposit, Recipient, Transfer, Withdrawal
from domain.shared.errors import DomainError
from domain.shared.money import Currency, Money
from resolvers.commands import run_command
from resolvers.payments.idempotency import run_idempotent
from schema.ids import from_global_id


def account_id(global_id: str) -> UUID:
    return from_global_id(global_id, "Account")[1]


def transaction_id(global_id: str) -> UUID:
    return from_global_id(global_id, "Transaction")[1]


def merchant_id(global_id: str) -> UUID:
    return from_global_id(global_id, "Merchant")[1]


def _money(amount: Money) -> list[Any]:
    return [amount.amount_minor, amount.currency.value]


async def transfer(
    info: Info, key: str, from_account: str, to: Recipient, amount: Money, reference: str
) -> LedgerTransaction | DomainError:
    command = Transfer(
        initiated_by=info.context.principal.subject_id,
        from_account_id=account_id(from_account),
        to=to,
        amount=amount,
        reference=reference,
    )
    request = {
        "from": str(command.from_account_id),
        "to": [str(to.account_id or ""), to.email or "", to.phone or ""],
        "amount": _money(amount),
        "reference": reference,
    }
    payments = info.context.services.payments
    return await run_idempotent(
        info, key, "transfer", request, lambda uow: payments.transfer(uow, command)
    )


async def deposit(
    info: Info, key: str, to_account: str, amount: Money
) -> LedgerTransaction | DomainError:
    command = Deposit(
        initiated_by=info.context.principal.subject_id,
        account_id=account_id(to_account),
        amount=amount,
    )
    request = {"account": str(command.account_id), "amount": _money(amount)}
    payments = info.context.services.payments
    return await run_idempotent(
        info, key, "deposit", request, lambda uow: payments.deposit(uow, command)
    )


async def withdraw(
    info: Info, key: str, from_account: str, amount: Money, reference: str
) -> LedgerTransaction | DomainError:
    command = Withdrawal(
        initiated_by=info.context.principal.subject_id,
        account_id=account_id(from_account),
        amount=amount,
        reference=reference,
    )
    request = {
        "account": str(command.account_id),
        "amount": _money(amount),
        "reference": reference,
    }
    payments = info.context.services.payments
    return await run_idempotent(
        info, key, "withdraw", request, lambda uow: payments.withdraw(uow, command)
    )


async def pay_merchant(
    info: Info, key: str, merchant: str, amount: Money, reference: str
) -> LedgerTransaction | DomainError:
    command = MerchantPayment(
        initiated_by=info.context.principal.subject_id,
        merchant_id=merchant_id(merchant),
        amount=amount,
        reference=reference,
    )
    request = {
        "merchant": str(command.merchant_id),
        "amount": _money(amount),
        "reference": reference,
    }
    merchants = info.context.services.merchants
    return await run_idempotent(
        info, key, "pay_merchant", request, lambda uow: merchants.pay(uow, command)
    )


async def refund_payment(
    info: Info, key: str, payment: str, amount: Money
) -> LedgerTransaction | DomainError:
    command = Refund(
        initiated_by=info.context.principal.subject_id,
        payment_id=transaction_id(payment),
        amount=amount,
    )
    request = {"payment": str(command.payment_id), "amount": _money(amount)}
    merchants = info.context.services.merchants
    return await run_idempotent(
        info, key, "refund_payment", request, lambda uow: merchants.refund(uow, command)
    )


async def reverse_transaction(
    info: Info, key: str, transaction: str, reason: str
) -> LedgerTransaction | DomainError:
    staff = info.context.principal.subject_id
    original = transaction_id(transaction)
    request = {"transaction": str(original), "reason": reason}
    payments = info.context.services.payments
    return await run_idempotent(
        info,
        key,
        "reverse_transaction",
        request,
        lambda uow: payments.reverse(uow, staff, original, reason),
    )


async def open_wallet(info: Info, currency: Currency) -> Account | DomainError:
    owner = info.context.principal.subject_id
    payments = info.context.services.payments
    return await run_command(info, lambda uow: payments.open_other_wallet(uow, owner, currency))
