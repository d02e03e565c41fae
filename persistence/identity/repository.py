from collections.abc import Sequence
from dataclasses import asdict
from uuid import UUID

from sqlalchemy import exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.model import User, UserStatus
from persistence.identity.tables import UserRow

USER_COLUMNS = ("full_name", "password_hash", "email_verified_at", "mfa_enabled")


def _to_user(row: UserRow) -> User:
    return User(
        id=row.id,
        email=row.email,
        full_name=row.full_name,
        status=UserStatus(row.status),
        created_at=row.created_at,
        password_hash=row.password_hash,
        email_verified_at=row.email_verified_at,
        mfa_enabled=row.mfa_enabled,
    )


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, user: User) -> None:
        values = asdict(user) | {"status": user.status.value, "updated_at": user.created_at}
        await self._session.execute(insert(UserRow).values(**values))

    async def get(self, user_id: UUID) -> User | None:
        (user,) = await self.get_many([user_id])
        return user

    async def get_many(self, user_ids: Sequence[UUID]) -> list[User | None]:
        rows = await self._session.scalars(select(UserRow).where(UserRow.id.in_(user_ids)))
        by_id = {row.id: _to_user(row) for row in rows}
        return [by_id.get(user_id) for user_id in user_ids]

    async def get_by_email(self, email: str) -> User | None:
        row = await self._session.scalar(select(UserRow).where(UserRow.email == email))
        return None if row is None else _to_user(row)

    async def email_exists(self, email: str) -> bool:
        return bool(await self._session.scalar(select(exists().where(UserRow.email == email))))

    async def save(self, user: User) -> None:
        values = {column: getattr(user, column) for column in USER_COLUMNS}
        await self._session.execute(
            update(UserRow).where(UserRow.id == user.id).values(**values, status=user.status.value)
        )

    async def search(
        self, email_contains: str | None, status: str | None, limit: int, after: UUID | None
    ) -> list[User]:
        query = select(UserRow)
        if email_contains:
            escaped = (
                email_contains.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            )
            query = query.where(UserRow.email.like(f"%{escaped}%", escape="\\"))
        if status is not None:
            query = query.where(UserRow.status == status)
        if after is not None:
            query = query.where(UserRow.id < after)
        rows = await self._session.scalars(query.order_by(UserRow.id.desc()).limit(limit))
        return [_to_user(row) for row in rows]
