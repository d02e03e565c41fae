"""Incident commands. Every change writes a timeline entry and an event (so an audit entry)
in the command's transaction; events carry ids, severity and status, never the free text,
which may name people."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Protocol
from uuid import UUID

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
    alerts_due,
    checked_affected,
    checked_body,
    checked_title,
)
from domain.shared.clock import Clock
from domain.shared.errors import NotFound
from domain.shared.events import DomainEvent
from domain.shared.ids import new_id
from domain.shared.ports import EventRecorder

INCIDENT_OPENED = "compliance.incident_opened"
INCIDENT_STATUS_CHANGED = "compliance.incident_status_changed"
INCIDENT_NOTE_ADDED = "compliance.incident_note_added"
INCIDENT_MARKED_BREACH = "compliance.incident_marked_personal_data_breach"
INCIDENT_REGULATOR_NOTIFIED = "compliance.incident_regulator_notified"
DEADLINE_EVENTS = {
    AlertKind.DEADLINE_NEAR: "compliance.incident_notification_deadline_near",
    AlertKind.DEADLINE_PASSED: "compliance.incident_notification_deadline_passed",
}
ALERT_TIMELINE = {
    AlertKind.DEADLINE_NEAR: TimelineKind.DEADLINE_NEAR,
    AlertKind.DEADLINE_PASSED: TimelineKind.DEADLINE_PASSED,
}


class IncidentRepository(Protocol):
    async def add(self, incident: Incident) -> None: ...

    async def get(self, incident_id: UUID, *, lock: bool = False) -> Incident | None: ...

    async def save(self, incident: Incident) -> None: ...

    async def add_entry(self, entry: NewTimelineEntry) -> TimelineEntry: ...

    async def awaiting_alerts(
        self, now: datetime, warning: timedelta, limit: int
    ) -> list[tuple[Incident, frozenset[AlertKind]]]:
        """Unnotified breaches whose deadline is within `warning` and that have not had
        their DEADLINE_PASSED alert, with the alerts they had; locked, skipping locked."""

    async def add_alert(
        self, incident_id: UUID, kind: AlertKind, due_at: datetime, raised_at: datetime
    ) -> IncidentAlert | None:
        """None when the incident already had an alert of that kind."""


class IncidentUnitOfWork(EventRecorder, Protocol):
    @property
    def incidents(self) -> IncidentRepository: ...


@dataclass(frozen=True, kw_only=True)
class OpenIncident:
    title: str
    severity: Severity
    description: str
    affected: list[AffectedEntity]
    personal_data_breach: bool
    opened_by: UUID | None


@dataclass(frozen=True)
class DeadlinePolicy:
    notify_within: timedelta = timedelta(hours=72)
    warn_before: timedelta = timedelta(hours=24)


class IncidentService:
    def __init__(self, clock: Clock, policy: DeadlinePolicy | None = None) -> None:
        self._clock = clock
        self.policy = policy or DeadlinePolicy()

    async def open(self, uow: IncidentUnitOfWork, command: OpenIncident) -> Incident:
        now = self._clock.now()
        incident = Incident(
            id=new_id(),
            title=checked_title(command.title),
            severity=command.severity,
            description=checked_body(command.description, "description"),
            status=IncidentStatus.OPEN,
            affected=checked_affected(command.affected),
            opened_at=now,
            opened_by=command.opened_by,
            updated_at=now,
        )
        if command.personal_data_breach:
            incident = incident.flagged_as_breach(now, self.policy.notify_within)
        await uow.incidents.add(incident)
        await self._entry(uow, incident, TimelineKind.OPENED, command.opened_by, incident.title)
        if incident.personal_data_breach:
            await self._breach_entry(uow, incident, command.opened_by)
        uow.record(self._event(INCIDENT_OPENED, incident, affected=len(incident.affected)))
        return incident

    async def acknowledge(
        self, uow: IncidentUnitOfWork, actor: UUID | None, incident_id: UUID
    ) -> Incident:
        return await self._move(uow, actor, incident_id, IncidentStatus.INVESTIGATING)

    async def mitigate(
        self, uow: IncidentUnitOfWork, actor: UUID | None, incident_id: UUID, note: str
    ) -> Incident:
        return await self._move(
            uow, actor, incident_id, IncidentStatus.MITIGATED, checked_body(note, "note")
        )

    async def resolve(
        self, uow: IncidentUnitOfWork, actor: UUID | None, incident_id: UUID, summary: str
    ) -> Incident:
        return await self._move(
            uow, actor, incident_id, IncidentStatus.RESOLVED, checked_body(summary, "summary")
        )

    async def close(
        self, uow: IncidentUnitOfWork, actor: UUID | None, incident_id: UUID, postmortem: str
    ) -> Incident:
        """Needs a postmortem, and for a breach the regulator's notification first."""
        text = checked_body(postmortem, "postmortem")
        return await self._move(uow, actor, incident_id, IncidentStatus.CLOSED, text)

    async def add_note(
        self, uow: IncidentUnitOfWork, actor: UUID | None, incident_id: UUID, body: str
    ) -> TimelineEntry:
        incident = await self._locked(uow, incident_id)
        incident.check_not_closed()
        text = checked_body(body, "body")
        entry = await self._entry(uow, incident, TimelineKind.NOTE, actor, text)
        await uow.incidents.save(replace(incident, updated_at=entry.occurred_at))
        uow.record(self._event(INCIDENT_NOTE_ADDED, incident, entry_id=entry.id))
        return entry

    async def mark_breach(
        self, uow: IncidentUnitOfWork, actor: UUID | None, incident_id: UUID
    ) -> Incident:
        incident = await self._locked(uow, incident_id)
        flagged = incident.flagged_as_breach(self._clock.now(), self.policy.notify_within)
        await uow.incidents.save(flagged)
        await self._breach_entry(uow, flagged, actor)
        uow.record(self._event(INCIDENT_MARKED_BREACH, flagged))
        return flagged

    async def record_regulator_notification(
        self, uow: IncidentUnitOfWork, actor: UUID | None, incident_id: UUID, reference: str
    ) -> Incident:
        incident = await self._locked(uow, incident_id)
        notified = incident.with_regulator_notified(reference, self._clock.now())
        await uow.incidents.save(notified)
        assert notified.regulator_reference is not None
        body = f"Regulator notified (reference {notified.regulator_reference})"
        await self._entry(uow, notified, TimelineKind.REGULATOR_NOTIFIED, actor, body)
        uow.record(self._event(INCIDENT_REGULATOR_NOTIFIED, notified))
        return notified

    async def raise_deadline_alerts(
        self, uow: IncidentUnitOfWork, limit: int = 100
    ) -> list[IncidentAlert]:
        """Each alert once: the store refuses a second of the same kind for an incident."""
        now = self._clock.now()
        raised = []
        for incident, had in await uow.incidents.awaiting_alerts(
            now, self.policy.warn_before, limit
        ):
            due_at = incident.regulator_notification_due_at
            assert due_at is not None
            for kind in alerts_due(incident, had, now, self.policy.warn_before):
                alert = await uow.incidents.add_alert(incident.id, kind, due_at, now)
                if alert is None:
                    continue
                body = f"Regulator notification due {due_at.isoformat()}"
                await self._entry(uow, incident, ALERT_TIMELINE[kind], None, body)
                uow.record(
                    self._event(
                        DEADLINE_EVENTS[kind], incident, alert_seq=alert.seq, kind=kind.value
                    )
                )
                raised.append(alert)
        return raised

    async def _move(
        self,
        uow: IncidentUnitOfWork,
        actor: UUID | None,
        incident_id: UUID,
        target: IncidentStatus,
        text: str | None = None,
    ) -> Incident:
        incident = await self._locked(uow, incident_id)
        moved = incident.moved_to(target, actor, self._clock.now(), text)
        await uow.incidents.save(moved)
        await uow.incidents.add_entry(
            NewTimelineEntry(
                incident_id=incident.id,
                kind=TimelineKind.STATUS_CHANGED,
                occurred_at=moved.updated_at,
                actor_id=actor,
                body=text or f"Moved to {target.name}",
                from_status=incident.status,
                to_status=target,
            )
        )
        uow.record(self._event(INCIDENT_STATUS_CHANGED, moved, previous=incident.status.value))
        return moved

    async def _locked(self, uow: IncidentUnitOfWork, incident_id: UUID) -> Incident:
        incident = await uow.incidents.get(incident_id, lock=True)
        if incident is None:
            raise NotFound("No such incident", field="id")
        return incident

    async def _breach_entry(
        self, uow: IncidentUnitOfWork, incident: Incident, actor: UUID | None
    ) -> TimelineEntry:
        assert incident.regulator_notification_due_at is not None
        body = (
            "Marked a personal-data breach; the regulator must be notified by "
            f"{incident.regulator_notification_due_at.isoformat()}"
        )
        return await self._entry(uow, incident, TimelineKind.PERSONAL_DATA_BREACH, actor, body)

    async def _entry(
        self,
        uow: IncidentUnitOfWork,
        incident: Incident,
        kind: TimelineKind,
        actor: UUID | None,
        body: str,
    ) -> TimelineEntry:
        return await uow.incidents.add_entry(
            NewTimelineEntry(
                incident_id=incident.id,
                kind=kind,
                occurred_at=self._clock.now(),
                actor_id=actor,
                body=body,
            )
        )

    def _event(self, name: str, incident: Incident, **extra: object) -> DomainEvent:
        due = incident.regulator_notification_due_at
        return DomainEvent(
            name=name,
            aggregate_type="Incident",
            aggregate_id=incident.id,
            occurred_at=self._clock.now(),
            payload={
                "severity": incident.severity.value,
                "status": incident.status.value,
                "personal_data_breach": incident.personal_data_breach,
                "regulator_notification_due_at": None if due is None else due.isoformat(),
                **extra,
            },
        )
