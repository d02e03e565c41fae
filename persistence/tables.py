"""Imports every context's tables so `Base.metadata` is complete (alembic, tests)."""

from persistence.base import Base
from persistence.compliance.tables import AuditLogRow
from persistence.governance.tables import RoleAssignmentRow, RolePermissionRow, RoleRow
from persistence.identity.tables import (
    ApiKeyRow,
    BackupCodeRow,
    KycProfileRow,
    OneTimeTokenRow,
    RefreshTokenRow,
    SessionRow,
    SubjectKeyRow,
    TotpCredentialRow,
    UserRow,
)
from persistence.shared.tables import OutboxEventRow

metadata = Base.metadata

__all__ = [
    "ApiKeyRow",
    "AuditLogRow",
    "BackupCodeRow",
    "KycProfileRow",
    "OneTimeTokenRow",
    "OutboxEventRow",
    "RefreshTokenRow",
    "RoleAssignmentRow",
    "RolePermissionRow",
    "RoleRow",
    "SessionRow",
    "SubjectKeyRow",
    "TotpCredentialRow",
    "UserRow",
    "metadata",
]
