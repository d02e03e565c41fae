"""Payments reads: every one through the request's loaders, each scoped to the principal."""

from uuid import UUID

from strawberry.types import Info

from domain.payments.model import Account, LedgerTransaction
from domain.payments.reads import (
    AccountFilter,
    Counterparty,
    Direction,
    TransactionFilter,
    seen_from,
)
from persistence.payments.queries import TransactionQueries
from resolvers.loaders import READ_ANY_TRANSACTION
from schema.ids import from_global_id


def reads_any(info: Info) -> bool:
    return READ_ANY_TRANSACTION in info.context.principal.permissions


async def accounts_of(info: Info, global_user_id: str) -> list[Account]:
    """The owner's accounts; anyone else without `payments:read_any` sees none."""
    _, owner_id = from_global_id(global_user_id, "User")
    if info.context.principal.subject_id != owner_id and not reads_any(info):
        return []
    return list(await info.context.loaders.accounts_by_owner_id.load(owner_id))


async def account(info: Info, global_id: str) -> Account | None:
    """Its owner's, or anyone's with `payments:read_any`; absent and hidden look the same."""
    _, account_id = from_global_id(global_id, "Account")
    found = await info.context.loaders.account_by_id.load(account_id)
    if found is None or (
        found.owner_id != info.context.principal.subject_id and not reads_any(info)
    ):
        return None
    return found  # type: ignore[no-any-return]


async def feed_position(info: Info, global_user_id: str) -> int | None:
    """The owner's own feed position; nobody else's."""
    _, user_id = from_global_id(global_user_id, "User")
    if info.context.principal.subject_id != user_id:
        return None
    return await info.context.loaders.feed_head_by_user_id.load(user_id)  # type: ignore[no-any-return]


async def transactions_of(
    info: Info, account_id: UUID, first: int, after: UUID | None, criteria: TransactionFilter
) -> list[LedgerTransaction]:
    """Only reached through an account the viewer may see (its owner or read_any)."""
    loader = info.context.loaders.transactions_by_account_id
    return list(await loader.load((account_id, first, after, criteria)))


async def transaction(info: Info, global_id: str) -> LedgerTransaction | None:
    _, transaction_id = from_global_id(global_id, "Transaction")
    return await info.context.loaders.transaction_by_id.load(transaction_id)  # type: ignore[no-any-return]


async def counterparty(
    info: Info, transaction: LedgerTransaction, own_account_id: UUID | None
) -> tuple[Direction, Counterparty] | None:
    source, destination = await info.context.loaders.party_by_account_id.load_many(
        transaction.endpoints
    )
    if source is None or destination is None:
        return None
    return seen_from(
        source,
        destination,
        own_account_id=own_account_id,
        viewer_id=info.context.principal.subject_id,
        gateway=transaction.gateway,
    )


async def search_transactions(
    info: Info, criteria: TransactionFilter, first: int, after: UUID | None
) -> list[LedgerTransaction]:
    """Staff search (`payments:read_any`, declared on the field)."""
    async with info.context.services.session_factory() as db:
        return await TransactionQueries(db).search(criteria, first, after)


async def search_accounts(
    info: Info, criteria: AccountFilter, first: int, after: UUID | None
) -> list[Account]:
    """Staff search (`payments:read_any`, declared on the field)."""
    async with info.context.services.session_factory() as db:
        return await TransactionQueries(db).accounts(criteria, first, after)
