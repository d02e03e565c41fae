"""Turns an `Authorization` value (HTTP header or WebSocket init payload) into a Principal."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from uuid import UUID

from redis.asyncio import Redis
from redis.exceptions import RedisError

from auth.principal import ANONYMOUS, Principal, PrincipalKind
from auth.revocation import denylist_key
from auth.tokens import InvalidToken, TokenService
from domain.identity.api_keys import parse_api_key, secret_matches
from domain.identity.model import ApiKey


@dataclass(frozen=True)
class SessionGrant:
    permissions: list[str]
    session_active: bool


GrantLoader = Callable[[UUID, UUID], Awaitable[SessionGrant | None]]
"""Permissions of an active user and whether the session is live; None if they cannot sign in."""


@dataclass(frozen=True)
class ApiKeyGrant:
    key: ApiKey
    owner_permissions: list[str]


ApiKeyLoader = Callable[[UUID], Awaitable[ApiKeyGrant | None]]
"""An unrevoked key of an active owner, with the owner's permissions; else None."""


class AuthenticationFailed(Exception):
    pass


class AuthenticationUnavailable(Exception):
    """A store needed to check a credential is down: fail closed."""


class Authenticator:
    def __init__(
        self,
        tokens: TokenService,
        redis: Redis,
        load_grant: GrantLoader,
        load_api_key: ApiKeyLoader,
    ) -> None:
        self._tokens = tokens
        self._redis = redis
        self._load_grant = load_grant
        self._load_api_key = load_api_key

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
            return await self._api_key(credential)
        raise AuthenticationFailed("Unsupported authorization scheme; use Bearer or ApiKey")

    async def recheck(self, principal: Principal) -> Principal:
        """A long-lived connection's principal as it stands now: the session still live
        (or the API key unrevoked) and the owner's permissions as they are today. The access
        token's own expiry is not re-checked: a stream lives as long as its session."""
        if principal.kind is PrincipalKind.ANONYMOUS or principal.subject_id is None:
            return principal
        if principal.api_key_id is not None:
            return await self._recheck_api_key(principal, principal.api_key_id)
        if principal.session_id is None or principal.token_id is None:
            raise AuthenticationFailed("Session has ended")
        try:
            revoked = await self._redis.exists(denylist_key(principal.token_id))
            grant = await self._load_grant(principal.subject_id, UUID(principal.session_id))
        except (RedisError, OSError) as error:
            raise AuthenticationUnavailable("Token checks are unavailable") from error
        except Exception as error:
            raise AuthenticationUnavailable("Account checks are unavailable") from error
        if revoked or grant is None or not grant.session_active:
            raise AuthenticationFailed("Session has ended")
        return replace(principal, permissions=frozenset(grant.permissions))

    async def _recheck_api_key(self, principal: Principal, key_id: UUID) -> Principal:
        try:
            grant = await self._load_api_key(key_id)
        except Exception as error:
            raise AuthenticationUnavailable("API key checks are unavailable") from error
        if grant is None:
            raise AuthenticationFailed("API key has been revoked")
        permissions = frozenset(grant.key.scopes) & frozenset(grant.owner_permissions)
        return replace(principal, permissions=permissions)

    async def _api_key(self, value: str) -> Principal:
        parsed = parse_api_key(value)
        if parsed is None:
            raise AuthenticationFailed("Invalid API key")
        key_id, secret = parsed
        try:
            grant = await self._load_api_key(key_id)
        except Exception as error:
            raise AuthenticationUnavailable("API key checks are unavailable") from error
        if grant is None or not secret_matches(grant.key, secret):
            raise AuthenticationFailed("Invalid API key")
        return Principal(
            kind=PrincipalKind.API_KEY,
            subject_id=grant.key.owner_id,
            api_key_id=grant.key.id,
            permissions=frozenset(grant.key.scopes) & frozenset(grant.owner_permissions),
        )

    async def _bearer(self, token: str) -> Principal:
        try:
            claims = self._tokens.verify(token)
            session_id = UUID(claims.session_id)
        except (InvalidToken, ValueError):
            raise AuthenticationFailed("Invalid or expired access token") from None
        try:
            revoked = await self._redis.exists(denylist_key(claims.token_id))
        except (RedisError, OSError) as error:
            raise AuthenticationUnavailable("Token checks are unavailable") from error
        if revoked:
            raise AuthenticationFailed("Access token has been revoked")
        try:
            grant = await self._load_grant(claims.subject_id, session_id)
        except Exception as error:
            raise AuthenticationUnavailable("Account checks are unavailable") from error
        if grant is None:
            raise AuthenticationFailed("Account cannot sign in")
        if not grant.session_active:
            raise AuthenticationFailed("Session has ended")
        return Principal(
            kind=PrincipalKind.USER,
            subject_id=claims.subject_id,
            session_id=claims.session_id,
            token_id=claims.token_id,
            token_expires_at=claims.expires_at,
            permissions=frozenset(grant.permissions),
            auth_methods=claims.auth_methods,
            authenticated_at=claims.authenticated_at,
        )
