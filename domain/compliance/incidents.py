"""Incidents: severity, a strict status machine, a timeline of every change, and for
personal-data breaches the regulator's notification deadline (POPIA s22, GDPR art. 33)."""

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from domain.shared.errors import DomainError, ErrorCode
from domain.shared.text import checked_text

MAX_TITLE = 200
MAX_TEXT = 10_000
MAX_REFERENCE = 200
MAX_AFFECTED = 50
MAX_ENTITY_ID = 200
ENTITY_TYPE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")


class Severity(StrEnum):
    SEV1 = "sev1"
    SEV2 = "sev2"
    SEV3 = "sev3"
    SEV4 = "sev4"


class IncidentStatus(StrEnum):
    OPEN = "open"
    INVESTIGATING = "investigating"
    MITIGATED = "mitigated"
    RESOLVED = "resolved"
    CLOSED = "closed"


NEXT_STATUS = {
    IncidentStatus.OPEN: IncidentStatus.INVESTIGATING,
    IncidentStatus.INVESTIGATING: IncidentStatus.MITIGATED,
    IncidentStatus.MITIGATED: IncidentStatus.RESOLVED,
    IncidentStatus.RESOLVED: IncidentStatus.CLOSED,
}
"""The only moves an incident makes, one step at a time; closed is final."""


class InvalidIncidentTransition(DomainError):
    code = ErrorCode.INVALID_STATE

    def __init__(self, current: IncidentStatus, target: IncidentStatus) -> None:
        super().__init__(
            f"An incident cannot move from {current.name} to {target.name}", field="id"
        )
        self.current = current
        self.target = target


def check_transition(current: IncidentStatus, target: IncidentStatus) -> None:
    if NEXT_STATUS.get(current) is not target:
        raise InvalidIncidentTransition(current, target)


class TimelineKind(StrEnum):
    OPENED = "opened"
    STATUS_CHANGED = "status_changed"
    NOTE = "note"
    PERSONAL_DATA_BREACH = "personal_data_breach"
    REGULATOR_NOTIFIED = "regulator_notified"
    DEADLINE_NEAR = "deadline_near"
    DEADLINE_PASSED = "deadline_passed"


class AlertKind(StrEnum):
    DEADLINE_NEAR = "deadline_near"
    DEADLINE_PASSED = "deadline_passed"


@dataclass(frozen=True)
class AffectedEntity:
    entity_type: str
    entity_id: str


@dataclass(frozen=True, kw_only=True)
class Incident:
    id: UUID
    title: str
    severity: Severity
    description: str
    status: IncidentStatus
    affected: tuple[AffectedEntity, ...]
    opened_at: datetime
    opened_by: UUID | None
    updated_at: datetime
    personal_data_breach: bool = False
    breach_flagged_at: datetime | None = None
    regulator_notification_due_at: datetime | None = None
    regulator_notified_at: datetime | None = None
    regulator_reference: str | None = None
    acknowledged_at: datetime | None = None
    acknowledged_by: UUID | None = None
    mitigated_at: datetime | None = None
    resolved_at: datetime | None = None
    resolution_summary: str | None = None
    closed_at: datetime | None = None
    postmortem: str | None = None

    def moved_to(
        self, target: IncidentStatus, by: UUID | None, at: datetime, text: str | None = None
    ) -> "Incident":
        """`text` is the summary when resolving and the postmortem, required, when closing."""
        check_transition(self.status, target)
        moved = replace(self, status=target, updated_at=at)
        if target is IncidentStatus.INVESTIGATING:
            return replace(moved, acknowledged_at=at, acknowledged_by=by)
        if target is IncidentStatus.MITIGATED:
            return replace(moved, mitigated_at=at)
        if target is IncidentStatus.RESOLVED:
            return replace(moved, resolved_at=at, resolution_summary=_required(text, "summary"))
        self._check_closable()
        return replace(moved, closed_at=at, postmortem=_required(text, "postmortem"))

    def flagged_as_breach(self, at: datetime, notify_within: timedelta) -> "Incident":
        """The regulator's deadline runs from when Elcorp knew: the moment of flagging."""
        if self.personal_data_breach:
            raise DomainError(
                "This incident is already a personal-data breach",
                code=ErrorCode.CONFLICT,
                field="id",
            )
        self.check_not_closed()
        return replace(
            self,
            personal_data_breach=True,
            breach_flagged_at=at,
            regulator_notification_due_at=at + notify_within,
            updated_at=at,
        )

    def with_regulator_notified(self, reference: str, at: datetime) -> "Incident":
        if not self.personal_data_breach:
            raise DomainError(
                "Only personal-data breaches are notified to the regulator",
                code=ErrorCode.INVALID_STATE,
                field="id",
            )
        if self.regulator_notified_at is not None:
            raise DomainError(
                "The regulator was notified already", code=ErrorCode.CONFLICT, field="id"
            )
        return replace(
            self,
            regulator_notified_at=at,
            regulator_reference=checked_text(
                reference, field="reference", max_length=MAX_REFERENCE
            ),
            updated_at=at,
        )

    def check_not_closed(self) -> None:
        if self.status is IncidentStatus.CLOSED:
            raise DomainError(
                "A closed incident cannot change", code=ErrorCode.INVALID_STATE, field="id"
            )

    def _check_closable(self) -> None:
        """A breach stays open until the regulator has been told."""
        if self.personal_data_breach and self.regulator_notified_at is None:
            raise DomainError(
                "Record the regulator notification before closing a personal-data breach",
                code=ErrorCode.INVALID_STATE,
                field="id",
            )


def _required(text: str | None, field: str) -> str:
    if not text:
        raise DomainError(f"A {field} is required", field=field)
    return text


@dataclass(frozen=True, kw_only=True)
class NewTimelineEntry:
    """Who (None: the system), when and what; `from_status`/`to_status` for status moves."""

    incident_id: UUID
    kind: TimelineKind
    occurred_at: datetime
    actor_id: UUID | None
    body: str
    from_status: IncidentStatus | None = None
    to_status: IncidentStatus | None = None


@dataclass(frozen=True, kw_only=True)
class TimelineEntry(NewTimelineEntry):
    """As stored: `id` orders an incident's entries."""

    id: int


@dataclass(frozen=True, kw_only=True)
class IncidentAlert:
    """Raised once per incident and kind; `seq` orders every alert for live streams."""

    seq: int
    incident_id: UUID
    kind: AlertKind
    due_at: datetime
    raised_at: datetime


@dataclass(frozen=True)
class IncidentFilter:
    status: IncidentStatus | None = None
    severity: Severity | None = None
    personal_data_breach: bool | None = None
    opened_from: datetime | None = None
    opened_before: datetime | None = None


def alerts_due(
    incident: Incident, raised: frozenset[AlertKind], now: datetime, warning: timedelta
) -> list[AlertKind]:
    """What the notification deadline calls for now. A deadline found already passed
    raises only DEADLINE_PASSED: warning that it is near would be wrong by then."""
    due = incident.regulator_notification_due_at
    if due is None or incident.regulator_notified_at is not None:
        return []
    if now >= due:
        return [] if AlertKind.DEADLINE_PASSED in raised else [AlertKind.DEADLINE_PASSED]
    if now >= due - warning and AlertKind.DEADLINE_NEAR not in raised:
        return [AlertKind.DEADLINE_NEAR]
    return []


def checked_affected(entities: list[AffectedEntity]) -> tuple[AffectedEntity, ...]:
    if len(entities) > MAX_AFFECTED:
        raise DomainError(f"Name at most {MAX_AFFECTED} affected entities", field="affected")
    checked: list[AffectedEntity] = []
    for entity in entities:
        if not ENTITY_TYPE.match(entity.entity_type):
            raise DomainError(
                "An entity type is a name such as Transaction or User", field="affected"
            )
        entity_id = checked_text(entity.entity_id, field="affected", max_length=MAX_ENTITY_ID)
        found = AffectedEntity(entity.entity_type, entity_id)
        if found not in checked:
            checked.append(found)
    return tuple(checked)


def checked_title(raw: str) -> str:
    return checked_text(raw, field="title", max_length=MAX_TITLE)


def checked_body(raw: str, field: str) -> str:
    return checked_text(raw, field=field, max_length=MAX_TEXT, multiline=True)
