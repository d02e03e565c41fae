"""SLA policies, the compliance report and live SLA alerts."""

from collections.abc import AsyncGenerator
from datetime import date, datetime
from typing import Annotated
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain.governance.sla import SlaAlert as DomainSlaAlert
from domain.governance.sla import SlaAlertKind as DomainSlaAlertKind
from domain.governance.sla import SlaPolicy as DomainSlaPolicy
from domain.governance.sla_report import SlaComplianceReport as DomainReport
from domain.governance.sla_report import SlaLine, as_decimal
from resolvers.governance import service_requests, sla, subscriptions
from schema.governance_requests import (
    ServiceRequest,
    ServiceRequestPriority,
    ServiceRequestType,
    UserRef,
    optional_user,
)
from schema.pagination import decode_position, encode_position
from schema.permissions import requires_scopes
from schema.shared import UserError, to_payload

MANAGE = "sla:manage"
STAFF = service_requests.WORKS_ON_REQUESTS
SlaAlertKind = strawberry.enum(DomainSlaAlertKind, name="SlaAlertKind")


@strawberry.type(description="Targets for requests of one type and priority, in seconds.")
class SlaPolicy:
    type: ServiceRequestType
    priority: ServiceRequestPriority
    first_response_seconds: int
    resolution_seconds: int

    @classmethod
    def from_domain(cls, policy: DomainSlaPolicy) -> "SlaPolicy":
        return cls(
            type=ServiceRequestType(policy.request_type),
            priority=policy.priority,
            first_response_seconds=int(policy.targets.first_response.total_seconds()),
            resolution_seconds=int(policy.targets.resolution.total_seconds()),
        )


@strawberry.type(
    description="Requests resolved in the period: targets met or missed, and compliance "
    "rates as exact basis points (10000 = all met) and as a decimal fraction string "
    '("0.9750"); null when nothing was counted.'
)
class SlaComplianceLine:
    priority: ServiceRequestPriority | None = strawberry.field(description="Null: overall.")
    resolved: int
    first_response_met: int
    first_response_breached: int
    resolution_met: int
    resolution_breached: int
    first_response_rate_basis_points: int | None
    first_response_rate: str | None
    resolution_rate_basis_points: int | None
    resolution_rate: str | None

    @classmethod
    def from_domain(cls, line: SlaLine) -> "SlaComplianceLine":
        tally = line.tally
        return cls(
            priority=line.priority,
            resolved=tally.resolved,
            first_response_met=tally.first_response_met,
            first_response_breached=tally.first_response_breached,
            resolution_met=tally.resolution_met,
            resolution_breached=tally.resolution_breached,
            first_response_rate_basis_points=line.first_response_rate,
            first_response_rate=as_decimal(line.first_response_rate),
            resolution_rate_basis_points=line.resolution_rate,
            resolution_rate=as_decimal(line.resolution_rate),
        )


@strawberry.type(description="SLA compliance over Namibian days `from` to `to`, both included.")
class SlaComplianceReport:
    from_: date = strawberry.field(name="from")
    to: date
    by_priority: list[SlaComplianceLine] = strawberry.field(description="Most urgent first.")
    overall: SlaComplianceLine

    @classmethod
    def from_domain(cls, report: DomainReport) -> "SlaComplianceReport":
        assert report.overall is not None
        return cls(
            from_=report.start,
            to=report.end,
            by_priority=[SlaComplianceLine.from_domain(line) for line in report.by_priority],
            overall=SlaComplianceLine.from_domain(report.overall),
        )


@strawberry.type(description="A request whose SLA target is at risk or was missed.")
class SlaAlert:
    cursor: str = strawberry.field(description="Resume after this alert: `slaAlerts(after:)`.")
    seq: int
    kind: SlaAlertKind
    priority: ServiceRequestPriority
    due_at: datetime
    raised_at: datetime
    assignee: UserRef | None
    request_id: strawberry.Private[UUID]

    @strawberry.field(description="The request as it is now.")
    async def request(self, info: Info) -> ServiceRequest | None:
        found = await service_requests.visible(info, self.request_id)
        return None if found is None else ServiceRequest.from_domain(found)

    @classmethod
    def from_domain(cls, alert: DomainSlaAlert) -> "SlaAlert":
        assert alert.seq is not None
        return cls(
            cursor=encode_position("sla", alert.seq),
            seq=alert.seq,
            kind=alert.kind,
            priority=alert.priority,
            due_at=alert.due_at,
            raised_at=alert.raised_at,
            assignee=optional_user(alert.assignee_id),
            request_id=alert.request_id,
        )


@strawberry.input(description="Targets in whole seconds: 1 minute to 365 days, in order.")
class UpdateSlaPolicyInput:
    type: ServiceRequestType
    priority: ServiceRequestPriority
    first_response_seconds: int
    resolution_seconds: int


@strawberry.type
class UpdateSlaPolicyPayload:
    policy: SlaPolicy | None = None
    errors: list[UserError]


@strawberry.type(name="Query")
class SlaQuery:
    @strawberry.field(extensions=requires_scopes([STAFF], [MANAGE]))
    async def sla_policies(self, info: Info) -> list[SlaPolicy]:
        return [SlaPolicy.from_domain(policy) for policy in await sla.policies(info)]

    @strawberry.field(extensions=requires_scopes(["reports:read"]))
    async def sla_compliance(
        self, info: Info, from_: Annotated[date, strawberry.argument(name="from")], to: date
    ) -> SlaComplianceReport:
        return SlaComplianceReport.from_domain(await sla.compliance(info, from_, to))


@strawberry.type(name="Mutation")
class SlaMutation:
    @strawberry.mutation(
        extensions=requires_scopes([MANAGE]),
        description="Applies to requests opened from now on; open ones keep their targets.",
    )
    async def update_sla_policy(
        self, info: Info, input: UpdateSlaPolicyInput
    ) -> UpdateSlaPolicyPayload:
        outcome = await sla.update_policy(
            info, input.type, input.priority, input.first_response_seconds, input.resolution_seconds
        )
        return to_payload(
            UpdateSlaPolicyPayload, outcome, lambda p: {"policy": SlaPolicy.from_domain(p)}
        )


@strawberry.type(name="Subscription")
class SlaSubscription:
    @strawberry.subscription(
        extensions=requires_scopes([STAFF]),
        description="SLA alerts as the `sla_check` job raises them: after `after` (a cursor "
        "from an earlier alert) first what you missed, then each new one; without `after`, "
        "from now on. Ends (4403 over WebSocket) once you may no longer work on requests.",
    )
    async def sla_alerts(
        self, info: Info, after: str | None = None
    ) -> AsyncGenerator[SlaAlert, None]:
        position = decode_position("sla", after)
        async for alert in subscriptions.sla_alerts(info, position):
            yield SlaAlert.from_domain(alert)
