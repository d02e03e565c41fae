from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from adapters.personal_data import SubjectKeyring
from domain.identity.kyc import KycProfile
from domain.identity.model import User
from persistence.db import SessionFactory
from persistence.identity.kyc import KycRepository
from persistence.identity.repository import UserRepository
from resolvers.batching import SessionLoader


class UserByIdLoader(SessionLoader[UUID, User | None]):
    def __init__(self, session_factory: SessionFactory, keyring: SubjectKeyring) -> None:
        super().__init__(session_factory)
        self._keyring = keyring

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[User | None]:
        return await UserRepository(session, self._keyring).get_many(keys)


class KycByUserIdLoader(SessionLoader[UUID, KycProfile | None]):
    def __init__(self, session_factory: SessionFactory, keyring: SubjectKeyring) -> None:
        super().__init__(session_factory)
        self._keyring = keyring

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[KycProfile | None]:
        return await KycRepository(session, self._keyring).latest_for_users(keys)
