"""Incidents, for `incidents:manage` holders (declared on every root field)."""

from uuid import UUID

from strawberry.types import Info

from domain.compliance.incident_service import OpenIncident
from domain.compliance.incidents import (
    AffectedEntity,
    Incident,
    IncidentFilter,
    Severity,
    TimelineEntry,
)
from domain.shared.errors import DomainError
from persistence.compliance.incident_queries import IncidentQueries
from resolvers.commands import run_command
from schema.ids import from_global_id

MANAGE = "incidents:manage"


def incident_id(global_id: str) -> UUID:
    return from_global_id(global_id, "Incident")[1]


def _actor(info: Info) -> UUID | None:
    return info.context.principal.subject_id  # type: ignore[no-any-return]


async def open_incident(
    info: Info,
    title: str,
    severity: Severity,
    description: str,
    affected: list[AffectedEntity],
    personal_data_breach: bool,
) -> Incident | DomainError:
    command = OpenIncident(
        title=title,
        severity=severity,
        description=description,
        affected=affected,
        personal_data_breach=personal_data_breach,
        opened_by=_actor(info),
    )
    incidents = info.context.services.incidents
    return await run_command(info, lambda uow: incidents.open(uow, command))


async def acknowledge(info: Info, incident: str) -> Incident | DomainError:
    incidents, target = info.context.services.incidents, incident_id(incident)
    return await run_command(info, lambda uow: incidents.acknowledge(uow, _actor(info), target))


async def mitigate(info: Info, incident: str, note: str) -> Incident | DomainError:
    incidents, target = info.context.services.incidents, incident_id(incident)
    return await run_command(info, lambda uow: incidents.mitigate(uow, _actor(info), target, note))


async def resolve(info: Info, incident: str, summary: str) -> Incident | DomainError:
    incidents, target = info.context.services.incidents, incident_id(incident)
    return await run_command(
        info, lambda uow: incidents.resolve(uow, _actor(info), target, summary)
    )


async def close(info: Info, incident: str, postmortem: str) -> Incident | DomainError:
    incidents, target = info.context.services.incidents, incident_id(incident)
    return await run_command(
        info, lambda uow: incidents.close(uow, _actor(info), target, postmortem)
    )


async def add_entry(info: Info, incident: str, body: str) -> TimelineEntry | DomainError:
    incidents, target = info.context.services.incidents, incident_id(incident)
    return await run_command(info, lambda uow: incidents.add_note(uow, _actor(info), target, body))


async def mark_breach(info: Info, incident: str) -> Incident | DomainError:
    incidents, target = info.context.services.incidents, incident_id(incident)
    return await run_command(info, lambda uow: incidents.mark_breach(uow, _actor(info), target))


async def record_notification(info: Info, incident: str, reference: str) -> Incident | DomainError:
    incidents, target = info.context.services.incidents, incident_id(incident)
    return await run_command(
        info,
        lambda uow: incidents.record_regulator_notification(uow, _actor(info), target, reference),
    )


async def incident_by_id(info: Info, incident: str) -> Incident | None:
    return await info.context.loaders.incident_by_id.load(incident_id(incident))  # type: ignore[no-any-return]


async def search(
    info: Info, criteria: IncidentFilter, first: int, before: UUID | None
) -> list[Incident]:
    async with info.context.services.session_factory() as session:
        return await IncidentQueries(session).search(criteria, first, before)


async def timeline(
    info: Info, incident: UUID, first: int, after: int | None
) -> list[TimelineEntry]:
    """Reached only through an incident the viewer may read."""
    return list(await info.context.loaders.timeline_by_incident_id.load((incident, first, after)))
