"""Incidents, their timelines and deadline alerts: what commands write."""

from dataclasses import fields
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import exists, func, insert, select, update
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.compliance.incidents import (
    AffectedEntity,
    AlertKind,
    Incident,
    IncidentAlert,
    IncidentStatus,
    NewTimelineEntry,
    Severity,
    TimelineEntry,
    TimelineKind,
)
from persistence.compliance.incident_tables import (
    IncidentAlertRow,
    IncidentRow,
    IncidentTimelineEntryRow,
)

ENUM_FIELDS = {"severity", "status"}


class IncidentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, incident: Incident) -> None:
        await self._db.execute(insert(IncidentRow).values(**incident_values(incident)))

    async def get(self, incident_id: UUID, *, lock: bool = False) -> Incident | None:
        query = select(IncidentRow).where(IncidentRow.id == incident_id)
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        row = await self._db.scalar(query)
        return None if row is None else to_incident(row)

    async def save(self, incident: Incident) -> None:
        values = incident_values(incident)
        for unchanging in ("id", "opened_at", "opened_by", "title", "description", "affected"):
            del values[unchanging]
        await self._db.execute(
            update(IncidentRow).where(IncidentRow.id == incident.id).values(**values)
        )

    async def add_entry(self, entry: NewTimelineEntry) -> TimelineEntry:
        entry_id = await self._db.scalar(
            insert(IncidentTimelineEntryRow)
            .values(
                incident_id=entry.incident_id,
                kind=entry.kind.value,
                occurred_at=entry.occurred_at,
                actor_id=entry.actor_id,
                body=entry.body,
                from_status=None if entry.from_status is None else entry.from_status.value,
                to_status=None if entry.to_status is None else entry.to_status.value,
            )
            .returning(IncidentTimelineEntryRow.id)
        )
        assert entry_id is not None
        return TimelineEntry(
            id=entry_id, **{field.name: getattr(entry, field.name) for field in fields(entry)}
        )

    async def awaiting_alerts(
        self, now: datetime, warning: timedelta, limit: int
    ) -> list[tuple[Incident, frozenset[AlertKind]]]:
        alerts = IncidentAlertRow
        passed = exists().where(
            alerts.incident_id == IncidentRow.id, alerts.kind == AlertKind.DEADLINE_PASSED.value
        )
        raised = (
            select(func.array_agg(aggregate_order_by(alerts.kind, alerts.kind)))
            .where(alerts.incident_id == IncidentRow.id)
            .scalar_subquery()
        )
        rows = await self._db.execute(
            select(IncidentRow, raised)
            .where(
                IncidentRow.personal_data_breach,
                IncidentRow.regulator_notified_at.is_(None),
                IncidentRow.regulator_notification_due_at <= now + warning,
                ~passed,
            )
            .order_by(IncidentRow.regulator_notification_due_at)
            .limit(limit)
            .with_for_update(of=IncidentRow, skip_locked=True)
        )
        return [
            (to_incident(row), frozenset(AlertKind(kind) for kind in kinds or ()))
            for row, kinds in rows
        ]

    async def add_alert(
        self, incident_id: UUID, kind: AlertKind, due_at: datetime, raised_at: datetime
    ) -> IncidentAlert | None:
        seq = await self._db.scalar(
            upsert(IncidentAlertRow)
            .values(incident_id=incident_id, kind=kind.value, due_at=due_at, raised_at=raised_at)
            .on_conflict_do_nothing(constraint="uq_incident_alerts_incident_kind")
            .returning(IncidentAlertRow.seq)
        )
        if seq is None:
            return None
        return IncidentAlert(
            seq=seq, incident_id=incident_id, kind=kind, due_at=due_at, raised_at=raised_at
        )


def incident_values(incident: Incident) -> dict[str, object]:
    values = {field.name: getattr(incident, field.name) for field in fields(incident)}
    for name in ENUM_FIELDS:
        values[name] = values[name].value
    values["affected"] = [
        {"entity_type": entity.entity_type, "entity_id": entity.entity_id}
        for entity in incident.affected
    ]
    return values


def to_incident(row: IncidentRow) -> Incident:
    values = {field.name: getattr(row, field.name) for field in fields(Incident)}
    return Incident(
        **{
            **values,
            "severity": Severity(row.severity),
            "status": IncidentStatus(row.status),
            "affected": tuple(
                AffectedEntity(item["entity_type"], item["entity_id"]) for item in row.affected
            ),
        }
    )


def to_entry(row: IncidentTimelineEntryRow) -> TimelineEntry:
    return TimelineEntry(
        id=row.id,
        incident_id=row.incident_id,
        kind=TimelineKind(row.kind),
        occurred_at=row.occurred_at,
        actor_id=row.actor_id,
        body=row.body,
        from_status=None if row.from_status is None else IncidentStatus(row.from_status),
        to_status=None if row.to_status is None else IncidentStatus(row.to_status),
    )


def to_alert(row: IncidentAlertRow) -> IncidentAlert:
    return IncidentAlert(
        seq=row.seq,
        incident_id=row.incident_id,
        kind=AlertKind(row.kind),
        due_at=row.due_at,
        raised_at=row.raised_at,
    )
