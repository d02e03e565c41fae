"""Role grants under maker-checker: a privileged role (e.g. `admin`) is granted only once a
second holder of it approves; nobody grants or decides for themselves."""

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.governance.request_states import InvalidState
from domain.shared.errors import Forbidden

ROLE_GRANT_REQUESTED = "governance.role_grant_requested"
ROLE_GRANTED = "governance.role_granted"
ROLE_GRANT_REJECTED = "governance.role_grant_rejected"
ROLE_REVOKED = "governance.role_revoked"


class GrantStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


@dataclass(frozen=True, kw_only=True)
class RoleGrant:
    id: UUID
    user_id: UUID
    role: str
    status: GrantStatus
    requested_by: UUID
    requested_at: datetime
    decided_by: UUID | None = None
    decided_at: datetime | None = None

    def decided(self, decider: UUID, approve: bool, at: datetime) -> "RoleGrant":
        if self.status is not GrantStatus.PENDING:
            raise InvalidState(
                f"This grant is already {self.status.value}: only a pending one is decided",
                field="grantId",
            )
        if decider == self.user_id:
            raise Forbidden("Nobody decides a grant of their own", field="grantId")
        if decider == self.requested_by:
            raise Forbidden(
                "A second admin decides this grant: not the one who asked for it",
                field="grantId",
            )
        status = GrantStatus.APPROVED if approve else GrantStatus.REJECTED
        return replace(self, status=status, decided_by=decider, decided_at=at)


def ensure_not_self(actor_id: UUID, user_id: UUID) -> None:
    if actor_id == user_id:
        raise Forbidden("Nobody grants a role to themselves", field="userId")
