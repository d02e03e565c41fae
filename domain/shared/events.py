from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from uuid import UUID

from domain.shared.ids import new_id


@dataclass(frozen=True, kw_only=True)
class DomainEvent:
    """Something that happened; `audience` lists the users who may see it live, and
    `broadcast=False` keeps it off the live channels (e.g. mail requests)."""

    name: str
    aggregate_type: str
    aggregate_id: UUID
    occurred_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)
    audience: tuple[UUID, ...] = ()
    broadcast: bool = True
    id: UUID = field(default_factory=new_id)


@dataclass(frozen=True, kw_only=True)
class AuditRecord:
    """What a command asks to be audited; the unit of work stamps actor, time and chain."""

    action: str
    entity_type: str
    entity_id: str
    changes: dict[str, Any] = field(default_factory=dict)


def audit_record_for(event: DomainEvent) -> AuditRecord:
    return AuditRecord(
        action=event.name,
        entity_type=event.aggregate_type,
        entity_id=str(event.aggregate_id),
        changes=event.payload,
    )
