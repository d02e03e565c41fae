from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from domain.payments.model import Account, LedgerTransaction
from domain.payments.vehicles import VehicleOwnership
from persistence.payments.repository import AccountRepository, TransactionQueries
from persistence.payments.vehicles import VehicleRepository
from resolvers.batching import SessionLoader


class AccountsByOwnerIdLoader(SessionLoader[UUID, list[Account]]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[list[Account]]:
        return await AccountRepository(session).of_owners(keys)


PageKey = tuple[UUID, int, UUID | None]


class TransactionsByAccountIdLoader(SessionLoader[PageKey, list[LedgerTransaction]]):
    """Keys are (account, page size, cursor); one statement per distinct page shape."""

    async def fetch(
        self, session: AsyncSession, keys: list[PageKey]
    ) -> list[list[LedgerTransaction]]:
        queries = TransactionQueries(session)
        pages: dict[PageKey, list[LedgerTransaction]] = {}
        shapes = {(limit, before) for _, limit, before in keys}
        for limit, before in shapes:
            accounts = [
                account for account, size, cursor in keys if (size, cursor) == (limit, before)
            ]
            for account, page in zip(
                accounts, await queries.pages(accounts, limit, before), strict=True
            ):
                pages[(account, limit, before)] = page
        return [pages[key] for key in keys]


class OwnershipsByVehicleIdLoader(SessionLoader[UUID, list[VehicleOwnership]]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[list[VehicleOwnership]]:
        return await VehicleRepository(session).histories(keys)
