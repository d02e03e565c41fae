"""What a request's principal needs, in one statement: user, session and the roles held.
The permissions each role grants come from the cached catalogue
(`adapters.role_permissions`)."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import ScalarSelect, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.identity.model import ApiKey
from persistence.governance.tables import RoleAssignmentRow
from persistence.identity.tables import ApiKeyRow, SessionRow, UserRow

NO_ROLES = literal_column("'{}'::text[]")


@dataclass(frozen=True)
class PrincipalRecord:
    roles: list[str]
    session_active: bool


def _roles_of(user_id: object) -> ScalarSelect[list[str]]:
    return (
        select(func.coalesce(func.array_agg(RoleAssignmentRow.role), NO_ROLES))
        .where(RoleAssignmentRow.user_id == user_id)
        .scalar_subquery()
    )


async def load_principal(
    db: AsyncSession, user_id: UUID, session_id: UUID, now: datetime
) -> PrincipalRecord | None:
    """None unless the user is active; `session_active` says whether the session still is."""
    session_active = (
        select(SessionRow.id)
        .where(
            SessionRow.id == session_id,
            SessionRow.user_id == UserRow.id,
            SessionRow.revoked_at.is_(None),
            SessionRow.expires_at > now,
        )
        .exists()
    )
    row = (
        await db.execute(
            select(_roles_of(UserRow.id), session_active).where(
                UserRow.id == user_id, UserRow.status == "active"
            )
        )
    ).first()
    return None if row is None else PrincipalRecord(roles=list(row[0]), session_active=row[1])


@dataclass(frozen=True)
class ApiKeyRecord:
    key: ApiKey
    owner_roles: list[str]


async def load_api_key(db: AsyncSession, key_id: UUID) -> ApiKeyRecord | None:
    """The unrevoked key with its active owner's roles, in one statement; else None."""
    row = (
        await db.execute(
            select(ApiKeyRow, _roles_of(ApiKeyRow.owner_id))
            .join(UserRow, UserRow.id == ApiKeyRow.owner_id)
            .where(
                ApiKeyRow.id == key_id, ApiKeyRow.revoked_at.is_(None), UserRow.status == "active"
            )
        )
    ).first()
    if row is None:
        return None
    key_row, owner_roles = row
    key = ApiKey(
        id=key_row.id,
        owner_id=key_row.owner_id,
        name=key_row.name,
        scopes=tuple(key_row.scopes),
        secret_hash=key_row.secret_hash,
        created_at=key_row.created_at,
        revoked_at=key_row.revoked_at,
    )
    return ApiKeyRecord(key, list(owner_roles))
