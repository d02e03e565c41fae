"""Sign-in, refresh-token rotation with theft detection, and sign-out."""

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from uuid import UUID

from domain.identity.commands import Login, RefreshSession
from domain.identity.errors import (
    EmailNotVerified,
    InvalidCredentials,
    InvalidToken,
    SessionNotFound,
)
from domain.identity.events import (
    ACCOUNT_LOCKED,
    PASSWORD_REHASHED,
    REFRESH_TOKEN_REUSED,
    SESSION_REFRESHED,
    SESSION_REVOKED,
    SESSION_STARTED,
    session_event,
    user_event,
)
from domain.identity.model import SESSION_TTL, Device, RefreshToken, Session, User, normalize_email
from domain.identity.ports import (
    AccessTokenIssuer,
    AccessTokenRevoker,
    IdentityUnitOfWork,
    IssuedAccessToken,
    LoginThrottle,
    MfaChallengeIssuer,
    PasswordHasher,
)
from domain.identity.secrets import hash_secret, new_refresh_token
from domain.shared.clock import Clock
from domain.shared.ids import new_id

INVALID_REFRESH = "This refresh token is invalid, expired or revoked"


@dataclass(frozen=True)
class SignedIn:
    user_id: UUID
    session: Session
    access: IssuedAccessToken
    refresh_token: str


@dataclass(frozen=True)
class MfaChallenge:
    """The password was right; a second factor completes the sign-in."""

    challenge: str


@dataclass(frozen=True)
class RefreshReuseDetected:
    session_id: UUID


class AuthenticationService:
    def __init__(
        self,
        clock: Clock,
        hasher: PasswordHasher,
        tokens: AccessTokenIssuer,
        throttle: LoginThrottle,
        revoker: AccessTokenRevoker,
        challenges: MfaChallengeIssuer,
        session_ttl: timedelta = SESSION_TTL,
    ) -> None:
        self._challenges = challenges
        self._clock = clock
        self._hasher = hasher
        self._tokens = tokens
        self._throttle = throttle
        self._revoker = revoker
        self._session_ttl = session_ttl

    async def authenticate_password(
        self, uow: IdentityUnitOfWork, command: Login
    ) -> User | InvalidCredentials:
        """The user whose password this is; otherwise the same error after the same work,
        returned rather than raised so that a lockout it caused is still audited."""
        email = normalize_email(command.email)
        await self._throttle.check(email, command.ip)
        user = await uow.users.get_by_email(email)
        password_hash = user.password_hash if user is not None and user.can_sign_in else None
        if not self._hasher.verify(password_hash, command.password) or user is None:
            if await self._throttle.record_failure(email) and user is not None:
                uow.record(user_event(ACCOUNT_LOCKED, user, self._clock.now()))
            return InvalidCredentials()
        await self._throttle.record_success(email)
        if user.email_verified_at is None:
            raise EmailNotVerified
        assert user.password_hash is not None
        if self._hasher.needs_rehash(user.password_hash):
            user = replace(user, password_hash=self._hasher.hash(command.password))
            await uow.users.save(user)
            uow.record(user_event(PASSWORD_REHASHED, user, self._clock.now()))
        return user

    async def login(
        self, uow: IdentityUnitOfWork, command: Login
    ) -> SignedIn | MfaChallenge | InvalidCredentials:
        user = await self.authenticate_password(uow, command)
        if isinstance(user, InvalidCredentials):
            return user
        if user.mfa_enabled:
            device = command.device
            return MfaChallenge(
                self._challenges.issue_mfa_challenge(user.id, device.id, device.name)
            )
        return await self.start_session(uow, user, command.device, command.ip, ("pwd",))

    async def start_session(
        self,
        uow: IdentityUnitOfWork,
        user: User,
        device: Device,
        ip: str | None,
        auth_methods: tuple[str, ...],
    ) -> SignedIn:
        now = self._clock.now()
        session = Session(
            id=new_id(),
            user_id=user.id,
            device=device,
            ip=ip,
            created_at=now,
            last_seen_at=now,
            expires_at=now + self._session_ttl,
            auth_methods=auth_methods,
            authenticated_at=now,
        )
        await uow.sessions.add(session)
        refresh = await self._new_refresh_token(uow, session, now)
        uow.record(session_event(SESSION_STARTED, session, now, auth_methods=list(auth_methods)))
        return SignedIn(user.id, session, self._access_for(session), refresh)

    async def refresh(
        self, uow: IdentityUnitOfWork, command: RefreshSession
    ) -> SignedIn | RefreshReuseDetected:
        now = self._clock.now()
        stored = await uow.refresh_tokens.get_for_update(hash_secret(command.refresh_token))
        session = None if stored is None else await uow.sessions.get(stored.session_id)
        if stored is None or session is None or not session.is_active(now):
            raise InvalidToken(INVALID_REFRESH, field="refreshToken")
        if stored.rotated_at is not None:
            revoked = session.revoked(now, "refresh_token_reused")
            await uow.sessions.save(revoked)
            uow.record(session_event(REFRESH_TOKEN_REUSED, revoked, now))
            return RefreshReuseDetected(session.id)
        if command.device_id != session.device.id or now >= stored.expires_at:
            raise InvalidToken(INVALID_REFRESH, field="refreshToken")
        await uow.refresh_tokens.mark_rotated(stored.id, now)
        session = replace(session, last_seen_at=now, ip=command.ip or session.ip)
        await uow.sessions.save(session)
        refresh = await self._new_refresh_token(uow, session, now)
        uow.record(session_event(SESSION_REFRESHED, session, now))
        return SignedIn(session.user_id, session, self._access_for(session), refresh)

    async def logout(
        self, uow: IdentityUnitOfWork, session_id: UUID, token_id: str, token_expires: datetime
    ) -> None:
        session = await uow.sessions.get(session_id)
        now = self._clock.now()
        if session is not None and session.revoked_at is None:
            revoked = session.revoked(now, "logout")
            await uow.sessions.save(revoked)
            uow.record(session_event(SESSION_REVOKED, revoked, now, reason="logout"))
        await self._revoker.revoke(token_id, token_expires)

    async def logout_all(
        self, uow: IdentityUnitOfWork, user: User, token_id: str, token_expires: datetime
    ) -> int:
        now = self._clock.now()
        revoked = await uow.sessions.revoke_all(user.id, now, "logout_all")
        uow.record(user_event(SESSION_REVOKED, user, now, sessions=[str(s) for s in revoked]))
        await self._revoker.revoke(token_id, token_expires)
        return len(revoked)

    async def revoke_session(
        self, uow: IdentityUnitOfWork, user_id: UUID, session_id: UUID
    ) -> Session:
        """A user's own session only: anyone else's looks like a missing one."""
        session = await uow.sessions.get(session_id)
        if session is None or session.user_id != user_id:
            raise SessionNotFound
        if session.revoked_at is not None:
            return session
        now = self._clock.now()
        revoked = session.revoked(now, "revoked_by_user")
        await uow.sessions.save(revoked)
        uow.record(session_event(SESSION_REVOKED, revoked, now, reason="revoked_by_user"))
        return revoked

    def _access_for(self, session: Session) -> IssuedAccessToken:
        return self._tokens.issue_access(
            session.user_id,
            str(session.id),
            auth_methods=session.auth_methods,
            authenticated_at=session.authenticated_at,
        )

    async def _new_refresh_token(
        self, uow: IdentityUnitOfWork, session: Session, now: datetime
    ) -> str:
        value = new_refresh_token()
        await uow.refresh_tokens.add(
            RefreshToken(
                id=new_id(),
                session_id=session.id,
                token_hash=hash_secret(value),
                issued_at=now,
                expires_at=min(now + self._session_ttl, session.expires_at),
            )
        )
        return value
