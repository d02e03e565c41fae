from uuid import UUID

from strawberry.types import Info

from domain.payments.model import Account, LedgerTransaction
from persistence.payments.repository import TransactionQueries
from schema.ids import from_global_id


async def accounts_of(info: Info, global_user_id: str) -> list[Account]:
    """The owner's accounts; anyone else without `payments:read_any` sees none."""
    _, owner_id = from_global_id(global_user_id, "User")
    principal = info.context.principal
    if principal.subject_id != owner_id and "payments:read_any" not in principal.permissions:
        return []
    return list(await info.context.loaders.accounts_by_owner_id.load(owner_id))


async def transactions_of(
    info: Info, account_id: UUID, first: int, after: UUID | None
) -> list[LedgerTransaction]:
    """Only reached through an account the viewer may see (its owner or read_any)."""
    return list(
        await info.context.loaders.transactions_by_account_id.load((account_id, first, after))
    )


async def transaction(info: Info, global_id: str) -> LedgerTransaction | None:
    _, transaction_id = from_global_id(global_id, "Transaction")
    principal = info.context.principal
    async with info.context.services.session_factory() as db:
        return await TransactionQueries(db).visible(
            transaction_id, principal.subject_id, "payments:read_any" in principal.permissions
        )
