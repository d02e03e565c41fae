"""Renders identity's emails (verification, password reset) from outbox events."""

from uuid import UUID

from adapters.mail import Mailer, MailMessage
from adapters.personal_data import SubjectKeyring
from domain.identity.events import PASSWORD_RESET_REQUESTED, VERIFICATION_EMAIL_REQUESTED
from domain.identity.model import TokenPurpose
from domain.identity.secrets import OneTimeTokenCodec
from persistence.db import SessionFactory
from persistence.identity.repository import UserRepository
from persistence.outbox import OutboxMessage

TEMPLATES = {
    VERIFICATION_EMAIL_REQUESTED: (
        TokenPurpose.VERIFY_EMAIL,
        "Verify your Elcorp email address",
        "Welcome to Elcorp.\n\nYour verification code is:\n\n{token}\n\n"
        "It expires in 30 minutes. If you did not sign up, ignore this email.\n",
    ),
    PASSWORD_RESET_REQUESTED: (
        TokenPurpose.RESET_PASSWORD,
        "Reset your Elcorp password",
        "Someone asked to reset your Elcorp password. Your reset code is:\n\n{token}\n\n"
        "It works once, for 30 minutes, and signs you out everywhere. "
        "If it was not you, ignore this email.\n",
    ),
}


class IdentityMailHandler:
    def __init__(
        self,
        session_factory: SessionFactory,
        keyring: SubjectKeyring,
        codec: OneTimeTokenCodec,
        mailer: Mailer,
    ) -> None:
        self._session_factory = session_factory
        self._keyring = keyring
        self._codec = codec
        self._mailer = mailer

    async def __call__(self, message: OutboxMessage) -> None:
        template = TEMPLATES.get(message.name)
        if template is None:
            return
        purpose, subject, body = template
        async with self._session_factory() as session:
            user = await UserRepository(session, self._keyring).get(message.aggregate_id)
        if user is None:
            return
        token = self._codec.encode(UUID(message.payload["one_time_id"]), purpose)
        await self._mailer(
            MailMessage(to=user.email, subject=subject, body=body.format(token=token))
        )
