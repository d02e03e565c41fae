"""Password reset by emailed code, and password change."""

from dataclasses import replace
from datetime import timedelta
from uuid import UUID

from domain.identity.errors import InvalidCredentials, InvalidToken, UserNotFound
from domain.identity.events import (
    PASSWORD_CHANGED,
    PASSWORD_RESET_REQUESTED,
    mail_requested,
    user_event,
)
from domain.identity.model import OneTimeToken, TokenPurpose, check_new_password, normalize_email
from domain.identity.ports import IdentityUnitOfWork, LoginThrottle, PasswordHasher
from domain.identity.secrets import OneTimeTokenCodec
from domain.shared.clock import Clock
from domain.shared.ids import new_id

INVALID_RESET = "This reset code is invalid or has expired"


class PasswordService:
    def __init__(
        self,
        clock: Clock,
        hasher: PasswordHasher,
        codec: OneTimeTokenCodec,
        throttle: LoginThrottle,
        token_ttl: timedelta = timedelta(minutes=30),
    ) -> None:
        self._clock = clock
        self._hasher = hasher
        self._codec = codec
        self._throttle = throttle
        self._token_ttl = token_ttl

    async def request_reset(self, uow: IdentityUnitOfWork, email: str) -> None:
        """Answers the same whether or not the address has an account."""
        user = await uow.users.get_by_email(normalize_email(email))
        if user is None or not user.can_sign_in:
            return
        now = self._clock.now()
        token = OneTimeToken(
            id=new_id(),
            user_id=user.id,
            purpose=TokenPurpose.RESET_PASSWORD,
            expires_at=now + self._token_ttl,
        )
        await uow.one_time_tokens.add(token)
        uow.record(mail_requested(PASSWORD_RESET_REQUESTED, user, token.id, now))

    async def reset(self, uow: IdentityUnitOfWork, token: str, new_password: str) -> int:
        """Sets the password and ends every session; returns how many were ended."""
        token_id = self._codec.decode(token, TokenPurpose.RESET_PASSWORD)
        stored = (
            None
            if token_id is None
            else await uow.one_time_tokens.get_for_update(token_id, TokenPurpose.RESET_PASSWORD)
        )
        now = self._clock.now()
        user = None if stored is None else await uow.users.get(stored.user_id)
        if stored is None or not stored.usable(now) or user is None or not user.can_sign_in:
            raise InvalidToken(INVALID_RESET, field="token")
        check_new_password(new_password, email=user.email, field="newPassword")
        await uow.one_time_tokens.mark_used(stored.id, now)
        await uow.users.save(replace(user, password_hash=self._hasher.hash(new_password)))
        ended = await uow.sessions.revoke_all(user.id, now, "password_reset")
        uow.record(user_event(PASSWORD_CHANGED, user, now, via="reset", sessions_ended=len(ended)))
        await self._throttle.record_success(user.email)
        return len(ended)

    async def change(
        self,
        uow: IdentityUnitOfWork,
        user_id: UUID,
        session_id: UUID,
        current_password: str,
        new_password: str,
    ) -> int:
        """Needs the current password; ends every other session."""
        user = await uow.users.get(user_id)
        if user is None or not user.can_sign_in:
            raise UserNotFound("No such user")
        await self._throttle.check(user.email, None)
        if not self._hasher.verify(user.password_hash, current_password):
            await self._throttle.record_failure(user.email)
            raise InvalidCredentials
        check_new_password(new_password, email=user.email, field="newPassword")
        now = self._clock.now()
        await uow.users.save(replace(user, password_hash=self._hasher.hash(new_password)))
        ended = await uow.sessions.revoke_all(user.id, now, "password_changed", keep=session_id)
        uow.record(user_event(PASSWORD_CHANGED, user, now, via="change", sessions_ended=len(ended)))
        return len(ended)
