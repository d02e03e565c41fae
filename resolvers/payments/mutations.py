from uuid import UUID

from strawberry.types import Info

from domain.payments.model import LedgerTransaction
from domain.payments.service import Deposit, Transfer
from domain.shared.errors import DomainError
from domain.shared.money import Money
from resolvers.payments.idempotency import run_idempotent
from schema.ids import from_global_id


def account_id(global_id: str) -> UUID:
    return from_global_id(global_id, "Account")[1]


async def transfer(
    info: Info, key: str, from_account: str, to_account: str, amount: Money, reference: str
) -> LedgerTransaction | DomainError:
    command = Transfer(
        initiated_by=info.context.principal.subject_id,
        from_account_id=account_id(from_account),
        to_account_id=account_id(to_account),
        amount=amount,
        reference=reference,
    )
    request = {
        "from": str(command.from_account_id),
        "to": str(command.to_account_id),
        "amount": [amount.amount_minor, amount.currency.value],
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
    request = {
        "account": str(command.account_id),
        "amount": [amount.amount_minor, amount.currency.value],
    }
    payments = info.context.services.payments
    return await run_idempotent(
        info, key, "deposit", request, lambda uow: payments.deposit(uow, command)
    )
