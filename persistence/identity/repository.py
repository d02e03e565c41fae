from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.personal_data import SubjectKeyring
from domain.identity.model import User, UserStatus
from persistence.identity.subject_keys import wrapped_key_of
from persistence.identity.tables import SubjectKeyRow, UserRow

ERASED_NAME = "[erased]"


class UserRepository:
    """Users with their personal data encrypted under each one's own data key."""

    def __init__(self, session: AsyncSession, keyring: SubjectKeyring) -> None:
        self._session = session
        self._keyring = keyring

    async def add(self, user: User) -> None:
        wrapped = self._keyring.new_wrapped_key(user.id)
        await self._session.execute(
            insert(UserRow).values(
                id=user.id,
                email=user.email,
                full_name_ciphertext=self._keyring.encrypt(
                    user.id, wrapped, "full_name", user.full_name
                ),
                status=user.status.value,
                created_at=user.created_at,
                updated_at=user.created_at,
                password_hash=user.password_hash,
                email_verified_at=user.email_verified_at,
                mfa_enabled=user.mfa_enabled,
            )
        )
        await self._session.execute(
            insert(SubjectKeyRow).values(
                user_id=user.id, wrapped_key=wrapped, created_at=user.created_at
            )
        )

    async def get(self, user_id: UUID) -> User | None:
        (user,) = await self.get_many([user_id])
        return user

    async def get_many(self, user_ids: Sequence[UUID]) -> list[User | None]:
        rows = await self._session.execute(_with_keys().where(UserRow.id.in_(user_ids)))
        by_id = {row.id: self._to_user(row, key) for row, key in rows}
        return [by_id.get(user_id) for user_id in user_ids]

    async def get_by_email(self, email: str) -> User | None:
        found = (await self._session.execute(_with_keys().where(UserRow.email == email))).first()
        return None if found is None else self._to_user(*found)

    async def email_exists(self, email: str) -> bool:
        return bool(await self._session.scalar(select(exists().where(UserRow.email == email))))

    async def save(self, user: User) -> None:
        values: dict[str, object] = {
            "status": user.status.value,
            "password_hash": user.password_hash,
            "email_verified_at": user.email_verified_at,
            "mfa_enabled": user.mfa_enabled,
        }
        wrapped = await wrapped_key_of(self._session, user.id)
        if wrapped is not None:
            values["full_name_ciphertext"] = self._keyring.encrypt(
                user.id, wrapped, "full_name", user.full_name
            )
        await self._session.execute(update(UserRow).where(UserRow.id == user.id).values(**values))

    async def search(
        self, email_contains: str | None, status: str | None, limit: int, after: UUID | None
    ) -> list[User]:
        query = _with_keys()
        if email_contains:
            pattern = (
                email_contains.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            )
            query = query.where(UserRow.email.like(f"%{pattern}%", escape="\\"))
        if status is not None:
            query = query.where(UserRow.status == status)
        if after is not None:
            query = query.where(UserRow.id < after)
        rows = await self._session.execute(query.order_by(UserRow.id.desc()).limit(limit))
        return [self._to_user(row, key) for row, key in rows]

    def _to_user(self, row: UserRow, wrapped_key: bytes | None) -> User:
        full_name = (
            ERASED_NAME
            if wrapped_key is None
            else self._keyring.decrypt(row.id, wrapped_key, "full_name", row.full_name_ciphertext)
        )
        return User(
            id=row.id,
            email=row.email,
            full_name=full_name,
            status=UserStatus(row.status),
            created_at=row.created_at,
            password_hash=row.password_hash,
            email_verified_at=row.email_verified_at,
            mfa_enabled=row.mfa_enabled,
        )


def _with_keys():  # type: ignore[no-untyped-def]
    return select(UserRow, SubjectKeyRow.wrapped_key).outerjoin(
        SubjectKeyRow, SubjectKeyRow.user_id == UserRow.id
    )
