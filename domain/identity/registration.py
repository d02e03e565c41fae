"""Sign-up and email verification."""

from dataclasses import replace
from datetime import timedelta

from domain.identity.commands import CreateUser, Register
from domain.identity.errors import InvalidToken
from domain.identity.events import (
    EMAIL_VERIFIED,
    user_event,
    verification_email_requested,
)
from domain.identity.model import OneTimeToken, TokenPurpose, User, normalize_email
from domain.identity.ports import IdentityUnitOfWork
from domain.identity.secrets import OneTimeTokenCodec
from domain.identity.service import UserService
from domain.shared.clock import Clock
from domain.shared.ids import new_id

CUSTOMER_ROLES = ("customer",)


class RegistrationService:
    def __init__(
        self,
        clock: Clock,
        users: UserService,
        codec: OneTimeTokenCodec,
        token_ttl: timedelta = timedelta(minutes=30),
    ) -> None:
        self._clock = clock
        self._users = users
        self._codec = codec
        self._token_ttl = token_ttl

    async def register(self, uow: IdentityUnitOfWork, command: Register) -> User:
        user = await self._users.create_user(
            uow,
            CreateUser(
                email=command.email,
                full_name=command.full_name,
                password=command.password,
                roles=CUSTOMER_ROLES,
            ),
        )
        await self._send_verification(uow, user)
        return user

    async def resend_verification(self, uow: IdentityUnitOfWork, email: str) -> None:
        """Answers the same whether or not the address has an unverified account."""
        user = await uow.users.get_by_email(normalize_email(email))
        if user is not None and user.email_verified_at is None and user.can_sign_in:
            await self._send_verification(uow, user)

    async def verify_email(self, uow: IdentityUnitOfWork, token: str) -> User:
        token_id = self._codec.decode(token, TokenPurpose.VERIFY_EMAIL)
        stored = (
            None
            if token_id is None
            else await uow.one_time_tokens.get_for_update(token_id, TokenPurpose.VERIFY_EMAIL)
        )
        now = self._clock.now()
        if stored is None or not stored.usable(now):
            raise InvalidToken("This verification link is invalid or has expired", field="token")
        user = await uow.users.get(stored.user_id)
        if user is None or not user.can_sign_in:
            raise InvalidToken("This verification link is invalid or has expired", field="token")
        await uow.one_time_tokens.mark_used(stored.id, now)
        if user.email_verified_at is None:
            user = replace(user, email_verified_at=now)
            await uow.users.save(user)
            uow.record(user_event(EMAIL_VERIFIED, user, now))
        return user

    async def _send_verification(self, uow: IdentityUnitOfWork, user: User) -> None:
        now = self._clock.now()
        token = OneTimeToken(
            id=new_id(),
            user_id=user.id,
            purpose=TokenPurpose.VERIFY_EMAIL,
            expires_at=now + self._token_ttl,
        )
        await uow.one_time_tokens.add(token)
        uow.record(verification_email_requested(user, token.id, now))
