"""What governance's services need from a unit of work."""

from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.governance.role_grants import RoleGrant
from domain.governance.service_requests import RequestChange, RequestComment, ServiceRequest
from domain.governance.sla import Priority, SlaAlert, SlaPolicy
from domain.shared.ports import EventRecorder


class ServiceRequestRepository(Protocol):
    async def add(self, request: ServiceRequest) -> None: ...

    async def get(self, request_id: UUID, *, lock: bool = False) -> ServiceRequest | None: ...

    async def save(self, request: ServiceRequest) -> None: ...

    async def add_change(self, change: RequestChange) -> None: ...

    async def add_comment(self, comment: RequestComment) -> None: ...

    async def claim_for_sla_check(
        self, now: datetime, at_risk_percent: int, limit: int
    ) -> list[ServiceRequest]:
        """Running requests with an alert that may be due, locked; others skip them."""

    async def add_alerts(self, alerts: list[SlaAlert]) -> None: ...


class SlaPolicyRepository(Protocol):
    async def get(self, request_type: str, priority: Priority) -> SlaPolicy | None: ...

    async def save(self, policy: SlaPolicy, at: datetime, by: UUID) -> None: ...


class StaffDirectory(Protocol):
    async def can_work_on_requests(self, user_id: UUID) -> bool:
        """An active user whose roles grant `service_requests:assign`."""


class ServiceRequestUnitOfWork(EventRecorder, Protocol):
    @property
    def service_requests(self) -> ServiceRequestRepository: ...

    @property
    def sla_policies(self) -> SlaPolicyRepository: ...

    @property
    def staff(self) -> StaffDirectory: ...


class RoleGrantRepository(Protocol):
    async def add(self, grant: RoleGrant) -> bool:
        """False when a grant of the role to the user is already pending."""

    async def get(self, grant_id: UUID, *, lock: bool = False) -> RoleGrant | None: ...

    async def save(self, grant: RoleGrant) -> None: ...


class RoleHolders(Protocol):
    async def privileged(self, role: str) -> bool | None:
        """Whether the role needs a second admin; None if there is no such role."""

    async def holds(self, user_id: UUID, role: str) -> bool: ...

    async def add(self, user_id: UUID, role: str, at: datetime) -> None: ...

    async def remove(self, user_id: UUID, role: str) -> None: ...

    async def lock_active_holders(self, role: str) -> list[UUID]:
        """Every active user holding the role, locked until the command ends."""

    async def is_active_user(self, user_id: UUID) -> bool: ...


class RoleAdministrationUnitOfWork(EventRecorder, Protocol):
    @property
    def role_grants(self) -> RoleGrantRepository: ...

    @property
    def role_holders(self) -> RoleHolders: ...
