from dataclasses import asdict
from datetime import datetime
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.model import ApiKey
from persistence.identity.tables import ApiKeyRow


def _to_key(row: ApiKeyRow) -> ApiKey:
    return ApiKey(
        id=row.id,
        owner_id=row.owner_id,
        name=row.name,
        scopes=tuple(row.scopes),
        secret_hash=row.secret_hash,
        created_at=row.created_at,
        revoked_at=row.revoked_at,
    )


class ApiKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, key: ApiKey) -> None:
        await self._db.execute(
            insert(ApiKeyRow).values(**asdict(key) | {"scopes": list(key.scopes)})
        )

    async def get(self, key_id: UUID) -> ApiKey | None:
        row = await self._db.scalar(select(ApiKeyRow).where(ApiKeyRow.id == key_id))
        return None if row is None else _to_key(row)

    async def revoke(self, key_id: UUID, at: datetime) -> None:
        await self._db.execute(
            update(ApiKeyRow).where(ApiKeyRow.id == key_id).values(revoked_at=at)
        )

    async def list_for_owner(self, owner_id: UUID, limit: int, after: UUID | None) -> list[ApiKey]:
        query = select(ApiKeyRow).where(ApiKeyRow.owner_id == owner_id)
        if after is not None:
            query = query.where(ApiKeyRow.id < after)
        rows = await self._db.scalars(query.order_by(ApiKeyRow.id.desc()).limit(limit))
        return [_to_key(row) for row in rows]
