from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from uuid import UUID

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.governance.tables import RoleAssignmentRow


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
