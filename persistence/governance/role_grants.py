"""Role grants and the role holders that maker-checker and revocation look at."""

from datetime import datetime
from uuid import UUID

from sqlalchemy import delete, exists, select, update
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.governance.role_grants import GrantStatus, RoleGrant
from persistence.governance.grant_tables import RoleGrantRow
from persistence.governance.tables import RoleAssignmentRow, RolePermissionRow, RoleRow
from persistence.identity.tables import UserRow

ACTIVE = "active"
WORKS_ON_REQUESTS = "service_requests:assign"


class RoleGrantRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, grant: RoleGrant) -> bool:
        """False when the same grant is already pending (a concurrent request won)."""
        added = await self._db.scalar(
            upsert(RoleGrantRow)
            .values(**_values(grant))
            .on_conflict_do_nothing()
            .returning(RoleGrantRow.id)
        )
        return added is not None

    async def get(self, grant_id: UUID, *, lock: bool = False) -> RoleGrant | None:
        query = select(RoleGrantRow).where(RoleGrantRow.id == grant_id)
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        row = await self._db.scalar(query)
        return None if row is None else _to_grant(row)

    async def save(self, grant: RoleGrant) -> None:
        values = _values(grant)
        await self._db.execute(
            update(RoleGrantRow)
            .where(RoleGrantRow.id == grant.id)
            .values(
                status=values["status"], decided_by=grant.decided_by, decided_at=grant.decided_at
            )
        )

    async def pending(self, limit: int, after: UUID | None) -> list[RoleGrant]:
        """Oldest first."""
        query = select(RoleGrantRow).where(RoleGrantRow.status == GrantStatus.PENDING.value)
        if after is not None:
            query = query.where(RoleGrantRow.id > after)
        rows = await self._db.scalars(query.order_by(RoleGrantRow.id).limit(limit))
        return [_to_grant(row) for row in rows]


class RoleHolders:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def privileged(self, role: str) -> bool | None:
        return await self._db.scalar(select(RoleRow.privileged).where(RoleRow.name == role))

    async def holds(self, user_id: UUID, role: str) -> bool:
        return bool(
            await self._db.scalar(
                select(
                    exists().where(
                        RoleAssignmentRow.user_id == user_id, RoleAssignmentRow.role == role
                    )
                )
            )
        )

    async def add(self, user_id: UUID, role: str, at: datetime) -> None:
        await self._db.execute(
            upsert(RoleAssignmentRow)
            .values(user_id=user_id, role=role, granted_at=at)
            .on_conflict_do_nothing()
        )

    async def remove(self, user_id: UUID, role: str) -> None:
        await self._db.execute(
            delete(RoleAssignmentRow).where(
                RoleAssignmentRow.user_id == user_id, RoleAssignmentRow.role == role
            )
        )

    async def lock_active_holders(self, role: str) -> list[UUID]:
        rows = await self._db.scalars(
            select(RoleAssignmentRow.user_id)
            .join(UserRow, UserRow.id == RoleAssignmentRow.user_id)
            .where(RoleAssignmentRow.role == role, UserRow.status == ACTIVE)
            .order_by(RoleAssignmentRow.user_id)
            .with_for_update(of=RoleAssignmentRow)
        )
        return list(rows)

    async def is_active_user(self, user_id: UUID) -> bool:
        return bool(
            await self._db.scalar(
                select(exists().where(UserRow.id == user_id, UserRow.status == ACTIVE))
            )
        )


class StaffDirectory:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def can_work_on_requests(self, user_id: UUID) -> bool:
        return bool(
            await self._db.scalar(
                select(
                    exists().where(
                        UserRow.id == user_id,
                        UserRow.status == ACTIVE,
                        RoleAssignmentRow.user_id == UserRow.id,
                        RolePermissionRow.role == RoleAssignmentRow.role,
                        RolePermissionRow.permission == WORKS_ON_REQUESTS,
                    )
                )
            )
        )


def _values(grant: RoleGrant) -> dict[str, object]:
    return {
        "id": grant.id,
        "user_id": grant.user_id,
        "role": grant.role,
        "status": grant.status.value,
        "requested_by": grant.requested_by,
        "requested_at": grant.requested_at,
        "decided_by": grant.decided_by,
        "decided_at": grant.decided_at,
    }


def _to_grant(row: RoleGrantRow) -> RoleGrant:
    return RoleGrant(
        id=row.id,
        user_id=row.user_id,
        role=row.role,
        status=GrantStatus(row.status),
        requested_by=row.requested_by,
        requested_at=row.requested_at,
        decided_by=row.decided_by,
        decided_at=row.decided_at,
    )
