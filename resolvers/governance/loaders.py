from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from persistence.governance.repository import RoleAssignmentRepository
from resolvers.batching import SessionLoader


class RolesByUserIdLoader(SessionLoader[UUID, list[str]]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[list[str]]:
        return await RoleAssignmentRepository(session).roles_of_many(keys)


class PermissionsByUserIdLoader(SessionLoader[UUID, list[str]]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[list[str]]:
        return await RoleAssignmentRepository(session).permissions_of_many(keys)
