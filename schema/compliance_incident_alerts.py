"""Regulator-deadline alerts, live over graphql-transport-ws and GraphQL over SSE."""

from collections.abc import AsyncGenerator
from datetime import datetime
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain.compliance.incidents import AlertKind
from domain.compliance.incidents import IncidentAlert as DomainIncidentAlert
from resolvers.compliance import incident_alerts
from resolvers.compliance.incidents import MANAGE
from schema.compliance_incidents import Incident
from schema.pagination import decode_position, encode_position
from schema.permissions import requires_scopes

IncidentAlertKind = strawberry.enum(AlertKind, name="IncidentAlertKind")


@strawberry.type(description="A personal-data breach's regulator deadline is near, or passed.")
class IncidentAlert:
    cursor: str = strawberry.field(description="Resume after it: `incidentAlerts(after:)`.")
    kind: IncidentAlertKind
    due_at: datetime
    raised_at: datetime
    incident_id: strawberry.Private[UUID]

    @strawberry.field(description="The incident as it is now.")
    async def incident(self, info: Info) -> Incident | None:
        found = await info.context.loaders.incident_by_id.load(self.incident_id)
        return None if found is None else Incident.from_domain(found)

    @classmethod
    def from_domain(cls, alert: DomainIncidentAlert) -> "IncidentAlert":
        return cls(
            cursor=encode_position("alert", alert.seq),
            kind=alert.kind,
            due_at=alert.due_at,
            raised_at=alert.raised_at,
            incident_id=alert.incident_id,
        )


@strawberry.type(name="Subscription")
class IncidentSubscription:
    @strawberry.subscription(
        extensions=requires_scopes([MANAGE]),
        description="Deadline alerts: after `after` (a cursor from an earlier alert) first "
        "what you missed, then each new one live; without `after`, from now on. Ends when "
        "you no longer hold `incidents:manage`.",
    )
    async def incident_alerts(
        self, info: Info, after: str | None = None
    ) -> AsyncGenerator[IncidentAlert, None]:
        position = decode_position("alert", after)
        async for alert in incident_alerts.incident_alerts(info, position):
            yield IncidentAlert.from_domain(alert)
