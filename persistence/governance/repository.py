from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.governance.tables import RoleAssignmentRow, RolePermissionRow, RoleRow


@dataclass(frozen=True)
class RoleRecord:
    name: str
    description: str
    privileged: bool
    permissions: list[str]


class RoleAssignmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def assign(self, user_id: UUID, roles: Sequence[str]) -> None:
        if not roles:
            return
        now = datetime.now(UTC)
        await self._session.execute(
            insert(RoleAssignmentRow)
            .values([{"user_id": user_id, "role": role, "granted_at": now} for role in roles])
            .on_conflict_do_nothing()
        )

    async def roles_of_many(self, user_ids: Sequence[UUID]) -> list[list[str]]:
        rows = await self._session.execute(
            select(RoleAssignmentRow.user_id, RoleAssignmentRow.role)
            .where(RoleAssignmentRow.user_id.in_(user_ids))
            .order_by(RoleAssignmentRow.role)
        )
        by_user: dict[UUID, list[str]] = defaultdict(list)
        for user_id, role in rows:
            by_user[user_id].append(role)
        return [by_user[user_id] for user_id in user_ids]

    async def permissions_of_many(self, user_ids: Sequence[UUID]) -> list[list[str]]:
        rows = await self._session.execute(
            select(RoleAssignmentRow.user_id, RolePermissionRow.permission)
            .join(RolePermissionRow, RolePermissionRow.role == RoleAssignmentRow.role)
            .where(RoleAssignmentRow.user_id.in_(user_ids))
            .distinct()
            .order_by(RoleAssignmentRow.user_id, RolePermissionRow.permission)
        )
        by_user: dict[UUID, list[str]] = defaultdict(list)
        for user_id, permission in rows:
            by_user[user_id].append(permission)
        return [by_user[user_id] for user_id in user_ids]


class RoleCatalogue:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def all(self) -> list[RoleRecord]:
        permissions = (
            select(func.array_agg(RolePermissionRow.permission.distinct()))
            .where(RolePermissionRow.role == RoleRow.name)
            .scalar_subquery()
        )
        rows = await self._session.execute(
            select(RoleRow.name, RoleRow.description, RoleRow.privileged, permissions).order_by(
                RoleRow.name
            )
        )
        return [
            RoleRecord(name, description, privileged, sorted(granted or []))
            for name, description, privileged, granted in rows
        ]
