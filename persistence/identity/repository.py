from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.model import User, UserStatus
from persistence.identity.tables import UserRow


def _to_user(row: UserRow) -> User:
    return User(
        id=row.id,
        email=row.email,
        full_name=row.full_name,
        status=UserStatus(row.status),
        created_at=row.created_at,
    )


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, user: User) -> None:
        self._session.add(
            UserRow(
                id=user.id,
                email=user.email,
                full_name=user.full_name,
                status=user.status.value,
                created_at=user.created_at,
                updated_at=user.created_at,
            )
        )

    async def get(self, user_id: UUID) -> User | None:
        (user,) = await self.get_many([user_id])
        return user

    async def get_many(self, user_ids: Sequence[UUID]) -> list[User | None]:
        rows = await self._session.scalars(select(UserRow).where(UserRow.id.in_(user_ids)))
        by_id = {row.id: _to_user(row) for row in rows}
        return [by_id.get(user_id) for user_id in user_ids]

    async def email_exists(self, email: str) -> bool:
        return bool(await self._session.scalar(select(exists().where(UserRow.email == email))))

    async def save(self, user: User) -> None:
        await self._session.execute(
            update(UserRow)
            .where(UserRow.id == user.id)
            .values(full_name=user.full_name, status=user.status.value)
        )
