"""Regulator-deadline alerts leave through the outbox: a Redis wake-up for live streams and
an email to every compliance officer."""

import orjson
from redis.asyncio import Redis

from adapters.mail import Mailer, MailMessage
from adapters.personal_data import SubjectKeyring
from domain.compliance.incident_service import DEADLINE_EVENTS
from domain.compliance.incidents import AlertKind
from persistence.compliance.incident_queries import IncidentQueries
from persistence.db import SessionFactory
from persistence.identity.repository import UserRepository
from persistence.outbox import OutboxMessage

INCIDENT_ALERTS_CHANNEL = "elcorp:events:incident-alerts"
ALERT_RECIPIENT_ROLE = "compliance_officer"
ALERT_EVENTS = frozenset(DEADLINE_EVENTS.values())
SUBJECTS = {
    AlertKind.DEADLINE_NEAR.value: "Regulator notification due soon for incident {incident}",
    AlertKind.DEADLINE_PASSED.value: "Regulator notification OVERDUE for incident {incident}",
}
BODY = (
    "Incident {incident} ({severity}) is a personal-data breach. The regulator had to be, or "
    "must be, notified by {due} (UTC).\n\nRecord the notification with "
    "recordRegulatorNotification once it is made; the incident query shows its timeline.\n"
)


class IncidentAlertWakeUp:
    """Only wakes streams up: they read the alerts themselves from PostgreSQL."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def __call__(self, message: OutboxMessage) -> None:
        if message.name in ALERT_EVENTS:
            await self._redis.publish(INCIDENT_ALERTS_CHANNEL, orjson.dumps(message.as_json()))


class IncidentAlertMail:
    def __init__(
        self, session_factory: SessionFactory, keyring: SubjectKeyring, mailer: Mailer
    ) -> None:
        self._session_factory = session_factory
        self._keyring = keyring
        self._mailer = mailer

    async def __call__(self, message: OutboxMessage) -> None:
        if message.name not in ALERT_EVENTS:
            return
        async with self._session_factory() as session:
            officers = await IncidentQueries(session).holders_of_role(ALERT_RECIPIENT_ROLE)
            users = await UserRepository(session, self._keyring).get_many(officers)
        payload = message.payload
        subject = SUBJECTS[payload["kind"]].format(incident=message.aggregate_id)
        body = BODY.format(
            incident=message.aggregate_id,
            severity=payload["severity"].upper(),
            due=payload["regulator_notification_due_at"],
        )
        for officer in users:
            if officer is not None and officer.can_sign_in:
                await self._mailer(MailMessage(to=officer.email, subject=subject, body=body))
