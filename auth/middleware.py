"""Turns an `Authorization` value (HTTP header or WebSocket init payload) into a Principal."""

from collections.abc import Awaitable, Callable, Sequence
from uuid import UUID

from redis.asyncio import Redis
from redis.exceptions import RedisError

from auth.principal import ANONYMOUS, Principal, PrincipalKind
from auth.tokens import AccessTokenService, InvalidToken
from domain.governance.roles import permissions_for

RolesLoader = Callable[[UUID], Awaitable[Sequence[str] | None]]
"""Roles of an active user, or None when the user cannot sign in (missing, locked, erased)."""


class AuthenticationFailed(Exception):
    pass


class AuthenticationUnavailable(Exception):
    """A store needed to check a credential is down: fail closed."""


def denylist_key(token_id: str) -> str:
    return f"elcorp:denylist:jti:{token_id}"


class Authenticator:
    def __init__(self, tokens: AccessTokenService, redis: Redis, load_roles: RolesLoader) -> None:
        self._tokens = tokens
        self._redis = redis
        self._load_roles = load_roles

    async def authenticate(self, authorization: str | None) -> Principal:
        if not authorization:
            return ANONYMOUS
        scheme, _, credential = authorization.strip().partition(" ")
        credential = credential.strip()
        if not credential:
            raise AuthenticationFailed("Malformed Authorization header")
        if scheme.lower() == "bearer":
            return await self._bearer(credential)
        if scheme.lower() == "apikey":
            raise AuthenticationFailed("Invalid API key")
        raise AuthenticationFailed("Unsupported authorization scheme; use Bearer or ApiKey")

    async def _bearer(self, token: str) -> Principal:
        try:
            claims = self._tokens.verify(token)
        except InvalidToken:
            raise AuthenticationFailed("Invalid or expired access token") from None
        try:
            revoked = await self._redis.exists(denylist_key(claims.token_id))
        except (RedisError, OSError) as error:
            raise AuthenticationUnavailable("Token checks are unavailable") from error
        if revoked:
            raise AuthenticationFailed("Access token has been revoked")
        try:
            roles = await self._load_roles(claims.subject_id)
        except Exception as error:
            raise AuthenticationUnavailable("Account checks are unavailable") from error
        if roles is None:
            raise AuthenticationFailed("Account cannot sign in")
        return Principal(
            kind=PrincipalKind.USER,
            subject_id=claims.subject_id,
            session_id=claims.session_id,
            permissions=permissions_for(roles),
            auth_methods=claims.auth_methods,
            authenticated_at=claims.authenticated_at,
        )
