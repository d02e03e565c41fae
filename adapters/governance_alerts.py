"""SLA alerts leave through the outbox: a Redis wake-up for `slaAlerts` streams, and an email
to the request's assignee (the staff mailbox when no one is assigned) that names the request
and the alert, nothing the customer wrote."""

import orjson
from redis.asyncio import Redis

from adapters.mail import Mailer, MailMessage
from adapters.personal_data import SubjectKeyring
from domain.governance.sla_service import SLA_ALERT_RAISED
from domain.shared.ids import global_id
from persistence.db import SessionFactory
from persistence.identity.repository import UserRepository
from persistence.outbox import OutboxMessage

SLA_ALERTS_CHANNEL = "elcorp:events:sla-alerts"
SUBJECT = "SLA {what}: {priority} service request"
BODY = (
    "Service request {request} ({priority}) {what}: its {target} is due at {due} (UTC).\n\n"
    'Open it with serviceRequest(id: "{request}"); the staff queue lists it with '
    "serviceRequests(orderBy: SLA_DUE).\n"
)


class SlaAlertWakeUp:
    """Only wakes streams up: they read the alerts themselves from PostgreSQL."""

    def __init__(self, redis: Redis) -> None:
        self._redis = redis

    async def __call__(self, message: OutboxMessage) -> None:
        if message.name == SLA_ALERT_RAISED:
            await self._redis.publish(SLA_ALERTS_CHANNEL, orjson.dumps(message.as_json()))


class SlaAlertMail:
    def __init__(
        self,
        session_factory: SessionFactory,
        keyring: SubjectKeyring,
        mailer: Mailer,
        staff_mailbox: str,
    ) -> None:
        self._session_factory = session_factory
        self._keyring = keyring
        self._mailer = mailer
        self._staff_mailbox = staff_mailbox

    async def __call__(self, message: OutboxMessage) -> None:
        if message.name != SLA_ALERT_RAISED:
            return
        to = self._staff_mailbox
        if message.audience:
            async with self._session_factory() as session:
                assignee = await UserRepository(session, self._keyring).get(message.audience[0])
            if assignee is not None and assignee.can_sign_in:
                to = assignee.email
        kind = str(message.payload["kind"])
        what = "breached" if kind.endswith("breached") else "at risk"
        target = "first response" if kind.startswith("first_response") else "resolution"
        priority = str(message.payload["priority"])
        await self._mailer(
            MailMessage(
                to=to,
                subject=SUBJECT.format(what=what, priority=priority),
                body=BODY.format(
                    request=global_id("ServiceRequest", message.aggregate_id),
                    priority=priority,
                    what=what,
                    target=target,
                    due=message.payload["due_at"],
                ),
            )
        )
