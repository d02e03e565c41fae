"""Data protection's registries: which contexts hold personal data (export, erasure) and
what retention deletes. Adding a context's holder or policy is one line in a list here."""

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from adapters.personal_data import SubjectKeyring
from domain.compliance.data_subjects import PersonalDataHolder
from domain.compliance.retention import RetentionPolicy, RetentionService
from persistence.compliance.erasure_requests import ErasureRequestsHolder
from persistence.db import SessionFactory
from persistence.governance.personal_data import GovernancePersonalData
from persistence.governance.retention import EndedRequestText
from persistence.identity.personal_data import IdentityPersonalData
from persistence.identity.retention import ended_sessions, spent_one_time_tokens
from persistence.payments.personal_data import PaymentsPersonalData
from persistence.payments.retention import finished_webhook_deliveries, stale_idempotency_records
from persistence.shared.retention import dispatched_outbox_events
from server.scheduler import ScheduledJob

if TYPE_CHECKING:
    from schema.context import Services


def personal_data_holders(
    session_factory: SessionFactory, keyring: SubjectKeyring
) -> list[PersonalDataHolder]:
    """Every context's personal data: a section of each export and a step of each erasure
    (in this order, in one unit of work). A context adds its holder here."""
    return [
        IdentityPersonalData(session_factory, keyring),
        PaymentsPersonalData(session_factory, keyring),
        GovernancePersonalData(session_factory),
        ErasureRequestsHolder(session_factory),
    ]


def retention_policies(services: "Services") -> list[RetentionPolicy]:
    """What the retention job deletes, and after how long. A context adds its policy here;
    the audit log and the ledger never get one."""
    settings, sessions = services.settings, services.session_factory
    return [
        RetentionPolicy(
            "sessions", timedelta(days=settings.retention_session_days), ended_sessions(sessions)
        ),
        RetentionPolicy(
            "one_time_tokens",
            timedelta(days=settings.retention_one_time_token_days),
            spent_one_time_tokens(sessions),
        ),
        RetentionPolicy(
            "idempotency_records",
            timedelta(hours=settings.retention_idempotency_hours),
            stale_idempotency_records(sessions),
        ),
        RetentionPolicy(
            "webhook_deliveries",
            timedelta(days=settings.retention_webhook_delivery_days),
            finished_webhook_deliveries(sessions),
        ),
        RetentionPolicy(
            "service_requests",
            timedelta(days=settings.retention_ended_service_request_days),
            EndedRequestText(sessions),
        ),
        RetentionPolicy(
            "outbox_events",
            timedelta(days=settings.retention_outbox_days),
            dispatched_outbox_events(sessions),
        ),
    ]


def retention_job(services: "Services") -> ScheduledJob:
    service = RetentionService(retention_policies(services), services.settings.retention_batch_size)

    async def run(now: datetime) -> dict[str, int]:
        return await service.run(now, services.unit_of_work)

    return ScheduledJob("retention", timedelta(seconds=services.settings.retention_interval_s), run)
