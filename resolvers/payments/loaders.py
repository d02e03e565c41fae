from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from domain.payments.model import Account
from persistence.payments.repository import AccountRepository
from resolvers.batching import SessionLoader


class AccountsByOwnerIdLoader(SessionLoader[UUID, list[Account]]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[list[Account]]:
        return await AccountRepository(session).of_owners(keys)
