from dataclasses import asdict
from datetime import datetime
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.model import Device, OneTimeToken, RefreshToken, Session, TokenPurpose
from persistence.identity.tables import OneTimeTokenRow, RefreshTokenRow, SessionRow


def _to_session(row: SessionRow) -> Session:
    return Session(
        id=row.id,
        user_id=row.user_id,
        device=Device(id=row.device_id, name=row.device_name),
        ip=row.ip,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
        auth_methods=tuple(row.auth_methods),
        authenticated_at=row.authenticated_at,
        revoked_at=row.revoked_at,
        revoked_reason=row.revoked_reason,
    )


def _session_values(session: Session) -> dict[str, object]:
    return {
        "user_id": session.user_id,
        "device_id": session.device.id,
        "device_name": session.device.name,
        "ip": session.ip,
        "created_at": session.created_at,
        "last_seen_at": session.last_seen_at,
        "expires_at": session.expires_at,
        "auth_methods": list(session.auth_methods),
        "authenticated_at": session.authenticated_at,
        "revoked_at": session.revoked_at,
        "revoked_reason": session.revoked_reason,
    }


class SessionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, session: Session) -> None:
        await self._db.execute(insert(SessionRow).values(id=session.id, **_session_values(session)))

    async def get(self, session_id: UUID) -> Session | None:
        row = await self._db.scalar(
            select(SessionRow).where(SessionRow.id == session_id).with_for_update()
        )
        return None if row is None else _to_session(row)

    async def save(self, session: Session) -> None:
        await self._db.execute(
            update(SessionRow).where(SessionRow.id == session.id).values(**_session_values(session))
        )

    async def revoke_all(
        self, user_id: UUID, at: datetime, reason: str, keep: UUID | None = None
    ) -> list[UUID]:
        statement = (
            update(SessionRow)
            .where(SessionRow.user_id == user_id, SessionRow.revoked_at.is_(None))
            .values(revoked_at=at, revoked_reason=reason)
            .returning(SessionRow.id)
        )
        if keep is not None:
            statement = statement.where(SessionRow.id != keep)
        return list(await self._db.scalars(statement))

    async def list_for_user(self, user_id: UUID, limit: int, after: UUID | None) -> list[Session]:
        query = select(SessionRow).where(SessionRow.user_id == user_id)
        if after is not None:
            query = query.where(SessionRow.id < after)
        rows = await self._db.scalars(query.order_by(SessionRow.id.desc()).limit(limit))
        return [_to_session(row) for row in rows]


class RefreshTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, token: RefreshToken) -> None:
        await self._db.execute(insert(RefreshTokenRow).values(**asdict(token)))

    async def get_for_update(self, token_hash: str) -> RefreshToken | None:
        row = await self._db.scalar(
            select(RefreshTokenRow)
            .where(RefreshTokenRow.token_hash == token_hash)
            .with_for_update()
        )
        if row is None:
            return None
        return RefreshToken(
            id=row.id,
            session_id=row.session_id,
            token_hash=row.token_hash,
            issued_at=row.issued_at,
            expires_at=row.expires_at,
            rotated_at=row.rotated_at,
        )

    async def mark_rotated(self, token_id: UUID, at: datetime) -> None:
        await self._db.execute(
            update(RefreshTokenRow).where(RefreshTokenRow.id == token_id).values(rotated_at=at)
        )


class OneTimeTokenRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, token: OneTimeToken) -> None:
        await self._db.execute(
            insert(OneTimeTokenRow).values(**asdict(token) | {"purpose": token.purpose.value})
        )

    async def get_for_update(self, token_id: UUID, purpose: TokenPurpose) -> OneTimeToken | None:
        row = await self._db.scalar(
            select(OneTimeTokenRow)
            .where(OneTimeTokenRow.id == token_id, OneTimeTokenRow.purpose == purpose.value)
            .with_for_update()
        )
        if row is None:
            return None
        return OneTimeToken(
            id=row.id,
            user_id=row.user_id,
            purpose=TokenPurpose(row.purpose),
            expires_at=row.expires_at,
            used_at=row.used_at,
        )

    async def mark_used(self, token_id: UUID, at: datetime) -> None:
        await self._db.execute(
            update(OneTimeTokenRow).where(OneTimeTokenRow.id == token_id).values(used_at=at)
        )
