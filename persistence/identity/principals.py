"""What a request's principal needs, in one statement: user, session and roles."""

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from sqlalchemy import func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.governance.tables import RoleAssignmentRow
from persistence.identity.tables import SessionRow, UserRow

NO_ROLES = literal_column("'{}'::text[]")


@dataclass(frozen=True)
class PrincipalRecord:
    roles: list[str]
    session_active: bool


async def load_principal(
    db: AsyncSession, user_id: UUID, session_id: UUID, now: datetime
) -> PrincipalRecord | None:
    """None unless the user is active; `session_active` says whether the session still is."""
    roles = (
        select(func.coalesce(func.array_agg(RoleAssignmentRow.role), NO_ROLES))
        .where(RoleAssignmentRow.user_id == UserRow.id)
        .scalar_subquery()
    )
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
            select(roles, session_active).where(UserRow.id == user_id, UserRow.status == "active")
        )
    ).first()
    return None if row is None else PrincipalRecord(roles=list(row[0]), session_active=row[1])
