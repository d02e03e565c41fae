"""Incidents: severity, status from OPEN to CLOSED one step at a time, a timeline of every
change, and the regulator's deadline for personal-data breaches. All for `incidents:manage`."""

from datetime import datetime
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain.compliance.incidents import AffectedEntity as DomainAffectedEntity
from domain.compliance.incidents import Incident as DomainIncident
from domain.compliance.incidents import IncidentFilter as DomainIncidentFilter
from domain.compliance.incidents import IncidentStatus as DomainIncidentStatus
from domain.compliance.incidents import Severity, TimelineKind
from domain.compliance.incidents import TimelineEntry as DomainTimelineEntry
from resolvers.compliance import incidents
from schema.errors import BadUserInput
from schema.ids import to_global_id
from schema.pagination import (
    PAGE,
    Connection,
    connection,
    decode_cursor,
    decode_position,
    encode_position,
    page_size,
)
from schema.permissions import requires_scopes
from schema.shared import UserError, to_payload

IncidentSeverity = strawberry.enum(Severity, name="IncidentSeverity")
IncidentStatus = strawberry.enum(DomainIncidentStatus, name="IncidentStatus")
IncidentTimelineKind = strawberry.enum(TimelineKind, name="IncidentTimelineKind")
MANAGE = [incidents.MANAGE]


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID


def user(user_id: UUID | None) -> User | None:
    return None if user_id is None else User(id=to_global_id("User", user_id))


@strawberry.type(description="Something the incident touches, named by type and id.")
class AffectedEntity:
    entity_type: str
    entity_id: str


@strawberry.input
class AffectedEntityInput:
    entity_type: str = strawberry.field(description='A type name, e.g. "Transaction".')
    entity_id: str

    def to_domain(self) -> DomainAffectedEntity:
        return DomainAffectedEntity(self.entity_type, self.entity_id)


@strawberry.type(description="One change to an incident: who (null: the system), when, what.")
class IncidentTimelineEntry:
    kind: IncidentTimelineKind
    occurred_at: datetime
    actor: User | None
    body: str
    from_status: IncidentStatus | None
    to_status: IncidentStatus | None

    @classmethod
    def from_domain(cls, entry: DomainTimelineEntry) -> "IncidentTimelineEntry":
        return cls(
            kind=entry.kind,
            occurred_at=entry.occurred_at,
            actor=user(entry.actor_id),
            body=entry.body,
            from_status=entry.from_status,
            to_status=entry.to_status,
        )


def timeline_cursor(entry_id: int) -> str:
    return encode_position("timeline", entry_id)


@strawberry.type(description="An operational or security incident.")
class Incident:
    id: strawberry.ID
    title: str
    severity: IncidentSeverity
    description: str
    status: IncidentStatus
    affected: list[AffectedEntity]
    opened_at: datetime
    opened_by: User | None
    acknowledged_at: datetime | None
    acknowledged_by: User | None
    mitigated_at: datetime | None
    resolved_at: datetime | None
    resolution_summary: str | None
    closed_at: datetime | None
    postmortem: str | None
    personal_data_breach: bool
    breach_flagged_at: datetime | None
    regulator_notification_due_at: datetime | None = strawberry.field(
        description="For a personal-data breach: when the regulator must have been told."
    )
    regulator_notified_at: datetime | None
    regulator_reference: str | None
    uuid: strawberry.Private[UUID]

    @strawberry.field(directives=PAGE, description="Oldest first.")
    async def timeline(
        self, info: Info, first: int = 50, after: str | None = None
    ) -> Connection[IncidentTimelineEntry]:
        size = page_size(first)
        rows = await incidents.timeline(
            info, self.uuid, size + 1, decode_position("timeline", after)
        )
        return connection(
            rows, size, lambda e: e.id, IncidentTimelineEntry.from_domain, timeline_cursor
        )

    @classmethod
    def from_domain(cls, incident: DomainIncident) -> "Incident":
        return cls(
            id=to_global_id("Incident", incident.id),
            title=incident.title,
            severity=incident.severity,
            description=incident.description,
            status=incident.status,
            affected=[
                AffectedEntity(entity_type=a.entity_type, entity_id=a.entity_id)
                for a in incident.affected
            ],
            opened_at=incident.opened_at,
            opened_by=user(incident.opened_by),
            acknowledged_at=incident.acknowledged_at,
            acknowledged_by=user(incident.acknowledged_by),
            mitigated_at=incident.mitigated_at,
            resolved_at=incident.resolved_at,
            resolution_summary=incident.resolution_summary,
            closed_at=incident.closed_at,
            postmortem=incident.postmortem,
            personal_data_breach=incident.personal_data_breach,
            breach_flagged_at=incident.breach_flagged_at,
            regulator_notification_due_at=incident.regulator_notification_due_at,
            regulator_notified_at=incident.regulator_notified_at,
            regulator_reference=incident.regulator_reference,
            uuid=incident.id,
        )


@strawberry.input(description="Every criterion given must hold.")
class IncidentFilter:
    status: IncidentStatus | None = None
    severity: IncidentSeverity | None = None
    personal_data_breach: bool | None = None
    opened_from: datetime | None = strawberry.field(default=None, description="Inclusive.")
    opened_before: datetime | None = strawberry.field(default=None, description="Exclusive.")

    def to_domain(self) -> DomainIncidentFilter:
        for at in (self.opened_from, self.opened_before):
            if at is not None and at.utcoffset() is None:
                raise BadUserInput("Times need a UTC offset", field="filter")
        return DomainIncidentFilter(
            status=self.status,
            severity=self.severity,
            personal_data_breach=self.personal_data_breach,
            opened_from=self.opened_from,
            opened_before=self.opened_before,
        )


@strawberry.input
class OpenIncidentInput:
    title: str
    severity: IncidentSeverity
    description: str
    affected: list[AffectedEntityInput] = strawberry.field(default_factory=list)
    personal_data_breach: bool = strawberry.field(
        default=False, description="Starts the regulator's notification deadline now."
    )


@strawberry.input
class IncidentIdInput:
    id: strawberry.ID


@strawberry.input
class MitigateIncidentInput:
    id: strawberry.ID
    note: str = strawberry.field(description="What was done to contain it.")


@strawberry.input
class ResolveIncidentInput:
    id: strawberry.ID
    summary: str


@strawberry.input
class CloseIncidentInput:
    id: strawberry.ID
    postmortem: str = strawberry.field(description="Required: causes, impact, follow-ups.")


@strawberry.input
class AddIncidentTimelineEntryInput:
    id: strawberry.ID
    body: str


@strawberry.input
class RecordRegulatorNotificationInput:
    id: strawberry.ID
    reference: str = strawberry.field(description="The regulator's reference for the report.")


@strawberry.type
class IncidentPayload:
    incident: Incident | None = None
    errors: list[UserError]


@strawberry.type
class IncidentTimelineEntryPayload:
    entry: IncidentTimelineEntry | None = None
    errors: list[UserError]


def _payload(outcome: object) -> IncidentPayload:
    return to_payload(IncidentPayload, outcome, lambda i: {"incident": Incident.from_domain(i)})


@strawberry.type(name="Query")
class IncidentQuery:
    @strawberry.field(extensions=requires_scopes(MANAGE))
    async def incident(self, info: Info, id: strawberry.ID) -> Incident | None:
        found = await incidents.incident_by_id(info, id)
        return None if found is None else Incident.from_domain(found)

    @strawberry.field(
        directives=PAGE, extensions=requires_scopes(MANAGE), description="Newest first."
    )
    async def incidents(
        self,
        info: Info,
        filter: IncidentFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[Incident]:
        size = page_size(first)
        criteria = (filter or IncidentFilter()).to_domain()
        rows = await incidents.search(info, criteria, size + 1, decode_cursor(after))
        return connection(rows, size, lambda row: row.id, Incident.from_domain)


@strawberry.type(name="Mutation")
class IncidentMutation:
    @strawberry.mutation(extensions=requires_scopes(MANAGE))
    async def open_incident(self, info: Info, input: OpenIncidentInput) -> IncidentPayload:
        return _payload(
            await incidents.open_incident(
                info,
                input.title,
                input.severity,
                input.description,
                [entity.to_domain() for entity in input.affected],
                input.personal_data_breach,
            )
        )

    @strawberry.mutation(extensions=requires_scopes(MANAGE), description="OPEN to INVESTIGATING.")
    async def acknowledge_incident(self, info: Info, input: IncidentIdInput) -> IncidentPayload:
        return _payload(await incidents.acknowledge(info, input.id))

    @strawberry.mutation(
        extensions=requires_scopes(MANAGE), description="INVESTIGATING to MITIGATED."
    )
    async def mitigate_incident(self, info: Info, input: MitigateIncidentInput) -> IncidentPayload:
        return _payload(await incidents.mitigate(info, input.id, input.note))

    @strawberry.mutation(extensions=requires_scopes(MANAGE), description="MITIGATED to RESOLVED.")
    async def resolve_incident(self, info: Info, input: ResolveIncidentInput) -> IncidentPayload:
        return _payload(await incidents.resolve(info, input.id, input.summary))

    @strawberry.mutation(
        extensions=requires_scopes(MANAGE),
        description="RESOLVED to CLOSED, with a postmortem; a personal-data breach needs its "
        "regulator notification recorded first.",
    )
    async def close_incident(self, info: Info, input: CloseIncidentInput) -> IncidentPayload:
        return _payload(await incidents.close(info, input.id, input.postmortem))

    @strawberry.mutation(extensions=requires_scopes(MANAGE))
    async def add_incident_timeline_entry(
        self, info: Info, input: AddIncidentTimelineEntryInput
    ) -> IncidentTimelineEntryPayload:
        outcome = await incidents.add_entry(info, input.id, input.body)
        return to_payload(
            IncidentTimelineEntryPayload,
            outcome,
            lambda e: {"entry": IncidentTimelineEntry.from_domain(e)},
        )

    @strawberry.mutation(
        extensions=requires_scopes(MANAGE),
        description="Starts the regulator's notification deadline now.",
    )
    async def mark_personal_data_breach(
        self, info: Info, input: IncidentIdInput
    ) -> IncidentPayload:
        return _payload(await incidents.mark_breach(info, input.id))

    @strawberry.mutation(extensions=requires_scopes(MANAGE))
    async def record_regulator_notification(
        self, info: Info, input: RecordRegulatorNotificationInput
    ) -> IncidentPayload:
        return _payload(await incidents.record_notification(info, input.id, input.reference))
