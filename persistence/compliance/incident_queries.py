"""Reads of incidents for resolvers and loaders: one statement per batch."""

from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import ColumnElement, column, func, select, true, values
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.ext.asyncio import AsyncSession

from domain.compliance.incidents import Incident, IncidentAlert, IncidentFilter, TimelineEntry
from persistence.compliance.incident_tables import (
    IncidentAlertRow,
    IncidentRow,
    IncidentTimelineEntryRow,
)
from persistence.compliance.incidents import to_alert, to_entry, to_incident
from persistence.governance.tables import RoleAssignmentRow

Entries = IncidentTimelineEntryRow


class IncidentQueries:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def incidents(self, incident_ids: Sequence[UUID]) -> list[Incident | None]:
        rows = await self._db.scalars(select(IncidentRow).where(IncidentRow.id.in_(incident_ids)))
        found = {row.id: to_incident(row) for row in rows}
        return [found.get(incident_id) for incident_id in incident_ids]

    async def search(
        self, criteria: IncidentFilter, limit: int, before: UUID | None
    ) -> list[Incident]:
        """Newest first."""
        conditions: list[ColumnElement[bool]] = []
        if criteria.status is not None:
            conditions.append(IncidentRow.status == criteria.status.value)
        if criteria.severity is not None:
            conditions.append(IncidentRow.severity == criteria.severity.value)
        if criteria.personal_data_breach is not None:
            conditions.append(IncidentRow.personal_data_breach.is_(criteria.personal_data_breach))
        if criteria.opened_from is not None:
            conditions.append(IncidentRow.opened_at >= criteria.opened_from)
        if criteria.opened_before is not None:
            conditions.append(IncidentRow.opened_at < criteria.opened_before)
        if before is not None:
            conditions.append(IncidentRow.id < before)
        rows = await self._db.scalars(
            select(IncidentRow).where(*conditions).order_by(IncidentRow.id.desc()).limit(limit)
        )
        return [to_incident(row) for row in rows]

    async def timeline_pages(
        self, incident_ids: Sequence[UUID], limit: int, after: int | None
    ) -> list[list[TimelineEntry]]:
        """Up to `limit` entries of each incident, oldest first, after the entry `after`."""
        wanted = values(column("wanted_id", PgUUID(as_uuid=True)), name="wanted").data(
            [(incident_id,) for incident_id in incident_ids]
        )
        incident = wanted.c.wanted_id
        page = (
            select(Entries)
            .where(Entries.incident_id == incident, Entries.id > (after or 0))
            .order_by(Entries.id)
            .limit(limit)
            .correlate(wanted)
            .lateral("page")
        )
        rows = await self._db.execute(
            select(incident, page)
            .select_from(wanted.join(page, true()))
            .order_by(incident, page.c.id)
        )
        pages: dict[UUID, list[TimelineEntry]] = {key: [] for key in incident_ids}
        for row in rows:
            pages[row.wanted_id].append(to_entry(row))  # type: ignore[arg-type]
        return [pages[key] for key in incident_ids]

    async def alerts_after(self, after: int, limit: int) -> list[IncidentAlert]:
        rows = await self._db.scalars(
            select(IncidentAlertRow)
            .where(IncidentAlertRow.seq > after)
            .order_by(IncidentAlertRow.seq)
            .limit(limit)
        )
        return [to_alert(row) for row in rows]

    async def last_alert_seq(self) -> int:
        return int(
            await self._db.scalar(select(func.coalesce(func.max(IncidentAlertRow.seq), 0))) or 0
        )

    async def holders_of_role(self, role: str) -> list[UUID]:
        rows = await self._db.scalars(
            select(RoleAssignmentRow.user_id)
            .where(RoleAssignmentRow.role == role)
            .order_by(RoleAssignmentRow.user_id)
        )
        return list(rows)
