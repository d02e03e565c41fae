"""Imports every context's tables so `Base.metadata` is complete (alembic, tests)."""

from persistence.base import Base
from persistence.compliance.erasure_tables import ErasureRequestRow
from persistence.compliance.incident_tables import (
    IncidentAlertRow,
    IncidentRow,
    IncidentTimelineEntryRow,
)
from persistence.compliance.tables import AuditLogRow
from persistence.governance.grant_tables import RoleGrantRow
from persistence.governance.request_tables import (
    ServiceRequestChangeRow,
    ServiceRequestCommentRow,
    ServiceRequestRow,
    SlaAlertRow,
    SlaPolicyRow,
)
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
from persistence.payments.reconciliation_tables import (
    ReconciliationItemRow,
    SettlementStatementLineRow,
    SettlementStatementRow,
)
from persistence.payments.tables import (
    AccountRow,
    IdempotencyRecordRow,
    LedgerEntryRow,
    LedgerTransactionRow,
    TransactionEventRow,
)
from persistence.payments.vehicle_tables import VehicleOwnershipRow, VehicleRow
from persistence.payments.webhook_tables import (
    WebhookAttemptRow,
    WebhookDeliveryRow,
    WebhookEndpointRow,
)
from persistence.shared.tables import OutboxEventRow

metadata = Base.metadata

__all__ = [
    "AccountRow",
    "ApiKeyRow",
    "AuditLogRow",
    "BackupCodeRow",
    "ErasureRequestRow",
    "IdempotencyRecordRow",
    "IncidentAlertRow",
    "IncidentRow",
    "IncidentTimelineEntryRow",
    "KycProfileRow",
    "LedgerEntryRow",
    "LedgerTransactionRow",
    "OneTimeTokenRow",
    "OutboxEventRow",
    "ReconciliationItemRow",
    "RefreshTokenRow",
    "RoleAssignmentRow",
    "RoleGrantRow",
    "RolePermissionRow",
    "RoleRow",
    "ServiceRequestChangeRow",
    "ServiceRequestCommentRow",
    "ServiceRequestRow",
    "SessionRow",
    "SettlementStatementLineRow",
    "SettlementStatementRow",
    "SlaAlertRow",
    "SlaPolicyRow",
    "SubjectKeyRow",
    "TotpCredentialRow",
    "TransactionEventRow",
    "UserRow",
    "VehicleOwnershipRow",
    "VehicleRow",
    "WebhookAttemptRow",
    "WebhookDeliveryRow",
    "WebhookEndpointRow",
    "metadata",
]
