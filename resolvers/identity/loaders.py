from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.model import User
from persistence.identity.repository import UserRepository
from resolvers.batching import SessionLoader


class UserByIdLoader(SessionLoader[UUID, User | None]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[User | None]:
        return await UserRepository(session).get_many(keys)
