"""Tells a merchant's owner, by email, that one of its webhook endpoints was disabled."""

from adapters.mail import Mailer, MailMessage
from adapters.personal_data import SubjectKeyring
from domain.payments.webhook_service import ENDPOINT_DISABLED
from persistence.db import SessionFactory
from persistence.identity.repository import UserRepository
from persistence.outbox import OutboxMessage

SUBJECT = "An Elcorp webhook endpoint was disabled"
BODY = (
    "Your webhook endpoint {endpoint} failed {failures} times in a row, so Elcorp stopped "
    "sending to it. Its undelivered events are kept for 24 hours.\n\n"
    "Fix the receiver, then turn the endpoint back on with updateWebhookEndpoint(enabled: "
    "true); the webhookDeliveries query shows each attempt and what it got back.\n"
)


class WebhookDisabledMail:
    def __init__(
        self, session_factory: SessionFactory, keyring: SubjectKeyring, mailer: Mailer
    ) -> None:
        self._session_factory = session_factory
        self._keyring = keyring
        self._mailer = mailer

    async def __call__(self, message: OutboxMessage) -> None:
        if message.name != ENDPOINT_DISABLED:
            return
        async with self._session_factory() as session:
            users = UserRepository(session, self._keyring)
            owners = [await users.get(owner_id) for owner_id in message.audience]
        for owner in owners:
            if owner is not None:
                body = BODY.format(
                    endpoint=message.aggregate_id, failures=message.payload.get("failures")
                )
                await self._mailer(MailMessage(to=owner.email, subject=SUBJECT, body=body))
