"""In-memory governance ports, for domain tests."""

from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from domain.governance.role_grants import GrantStatus, RoleGrant
from domain.governance.service_requests import RequestChange, RequestComment, ServiceRequest
from domain.governance.sla import Priority, SlaAlert, SlaPolicy
from domain.shared.events import AuditRecord, DomainEvent


class Recorder:
    def __init__(self) -> None:
        self.events: list[DomainEvent] = []

    def record(self, event: DomainEvent) -> None:
        self.events.append(event)

    def audit(self, record: AuditRecord) -> None:
        pass

    @property
    def names(self) -> list[str]:
        return [event.name for event in self.events]


@dataclass
class InMemoryRoles:
    privileged_roles: dict[str, bool] = field(
        default_factory=lambda: {"admin": True, "staff": False, "customer": False}
    )
    held: set[tuple[UUID, str]] = field(default_factory=set)
    active: set[UUID] = field(default_factory=set)
    grants: dict[UUID, RoleGrant] = field(default_factory=dict)

    async def privileged(self, role: str) -> bool | None:
        return self.privileged_roles.get(role)

    async def holds(self, user_id: UUID, role: str) -> bool:
        return (user_id, role) in self.held

    async def add(self, user_id: UUID, role: str, at: datetime) -> None:
        self.held.add((user_id, role))

    async def remove(self, user_id: UUID, role: str) -> None:
        self.held.discard((user_id, role))

    async def lock_active_holders(self, role: str) -> list[UUID]:
        return sorted(user for user, held in self.held if held == role and user in self.active)

    async def is_active_user(self, user_id: UUID) -> bool:
        return user_id in self.active


class InMemoryGrants:
    def __init__(self) -> None:
        self.rows: dict[UUID, RoleGrant] = {}

    async def add(self, grant: RoleGrant) -> bool:
        if grant.status is GrantStatus.PENDING and await self.pending_for(
            grant.user_id, grant.role
        ):
            return False
        self.rows[grant.id] = grant
        return True

    async def get(self, grant_id: UUID, *, lock: bool = False) -> RoleGrant | None:
        return self.rows.get(grant_id)

    async def save(self, grant: RoleGrant) -> None:
        self.rows[grant.id] = grant

    async def pending_for(self, user_id: UUID, role: str) -> RoleGrant | None:
        return next(
            (
                g
                for g in self.rows.values()
                if g.user_id == user_id and g.role == role and g.status is GrantStatus.PENDING
            ),
            None,
        )


class RoleUnitOfWork(Recorder):
    def __init__(self) -> None:
        super().__init__()
        self.role_holders = InMemoryRoles()
        self.role_grants = InMemoryGrants()


class InMemoryRequests:
    def __init__(self) -> None:
        self.rows: dict[UUID, ServiceRequest] = {}
        self.changes: list[RequestChange] = []
        self.comments: list[RequestComment] = []
        self.alerts: list[SlaAlert] = []

    async def add(self, request: ServiceRequest) -> None:
        self.rows[request.id] = request

    async def get(self, request_id: UUID, *, lock: bool = False) -> ServiceRequest | None:
        return self.rows.get(request_id)

    async def save(self, request: ServiceRequest) -> None:
        self.rows[request.id] = request

    async def add_change(self, change: RequestChange) -> None:
        self.changes.append(change)

    async def add_comment(self, comment: RequestComment) -> None:
        self.comments.append(comment)

    async def claim_for_sla_check(
        self, now: datetime, at_risk_percent: int, limit: int
    ) -> list[ServiceRequest]:
        return list(self.rows.values())[:limit]

    async def add_alerts(self, alerts: list[SlaAlert]) -> None:
        self.alerts.extend(alerts)


class InMemoryPolicies:
    def __init__(self) -> None:
        self.rows: dict[tuple[str, Priority], SlaPolicy] = {}

    async def get(self, request_type: str, priority: Priority) -> SlaPolicy | None:
        return self.rows.get((request_type, priority))

    async def save(self, policy: SlaPolicy, at: datetime, by: UUID) -> None:
        self.rows[(policy.request_type, policy.priority)] = policy


class InMemoryStaff:
    def __init__(self, *staff: UUID) -> None:
        self.members = set(staff)

    async def can_work_on_requests(self, user_id: UUID) -> bool:
        return user_id in self.members


class RequestUnitOfWork(Recorder):
    def __init__(self, *staff: UUID) -> None:
        super().__init__()
        self.service_requests = InMemoryRequests()
        self.sla_policies = InMemoryPolicies()
        self.staff = InMemoryStaff(*staff)
