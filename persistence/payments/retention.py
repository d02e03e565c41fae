"""Payments' retention: idempotency records and finished webhook deliveries. The ledger
(transactions, entries, events, feeds) has no policy and is never purged."""

from domain.payments.webhooks import DeliveryStatus
from persistence.db import SessionFactory
from persistence.payments.tables import IdempotencyRecordRow
from persistence.payments.webhook_tables import WebhookAttemptRow, WebhookDeliveryRow
from persistence.shared.retention import Dependent, TablePurge

FINISHED = tuple(status.value for status in DeliveryStatus if status is not DeliveryStatus.PENDING)


def stale_idempotency_records(session_factory: SessionFactory) -> TablePurge:
    return TablePurge(
        session_factory,
        IdempotencyRecordRow,
        [IdempotencyRecordRow.principal, IdempotencyRecordRow.key],
        lambda cutoff: IdempotencyRecordRow.created_at < cutoff,
    )


def finished_webhook_deliveries(session_factory: SessionFactory) -> TablePurge:
    """A pending delivery (e.g. paused on a disabled endpoint) stays whatever its age."""
    return TablePurge(
        session_factory,
        WebhookDeliveryRow,
        [WebhookDeliveryRow.id],
        lambda cutoff: (
            (WebhookDeliveryRow.created_at < cutoff) & WebhookDeliveryRow.status.in_(FINISHED)
        ),
        [Dependent(WebhookAttemptRow, WebhookAttemptRow.delivery_id)],
    )
