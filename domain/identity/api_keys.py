"""Partner API keys: `elk_<id>_<secret>`, shown once, stored as a hash, scoped."""

import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from domain.identity.errors import InvalidFullName
from domain.identity.events import user_event
from domain.identity.model import ApiKey
from domain.identity.ports import ApiKeyUnitOfWork
from domain.identity.secrets import hash_secret
from domain.shared.clock import Clock
from domain.shared.errors import DomainError, ErrorCode, NotFound
from domain.shared.ids import new_id

PREFIX = "elk_"
API_KEY_CREATED = "identity.api_key_created"
API_KEY_REVOKED = "identity.api_key_revoked"
MAX_NAME = 100


class ScopeNotHeld(DomainError):
    code = ErrorCode.FORBIDDEN


@dataclass(frozen=True)
class CreatedApiKey:
    key: ApiKey
    plaintext: str


def parse_api_key(value: str) -> tuple[UUID, str] | None:
    if not value.startswith(PREFIX):
        return None
    raw_id, _, secret = value.removeprefix(PREFIX).partition("_")
    try:
        return UUID(hex=raw_id), secret
    except ValueError:
        return None


def secret_matches(key: ApiKey, secret: str) -> bool:
    return hmac.compare_digest(key.secret_hash, hash_secret(secret))


class ApiKeyService:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def create(
        self,
        uow: ApiKeyUnitOfWork,
        owner_id: UUID,
        name: str,
        scopes: Iterable[str],
        held: frozenset[str],
    ) -> CreatedApiKey:
        """A key can reach at most what its owner can: no scope the owner lacks."""
        clean_name = " ".join(name.split())
        if not clean_name or len(clean_name) > MAX_NAME:
            raise InvalidFullName(f"Name must be 1 to {MAX_NAME} characters", field="name")
        wanted = tuple(sorted(set(scopes)))
        if not wanted:
            raise DomainError("Give the key at least one scope", field="scopes")
        missing = sorted(set(wanted) - held)
        if missing:
            raise ScopeNotHeld(
                f"You cannot grant scopes you do not hold: {', '.join(missing)}", field="scopes"
            )
        secret = secrets.token_urlsafe(32)
        key = ApiKey(
            id=new_id(),
            owner_id=owner_id,
            name=clean_name,
            scopes=wanted,
            secret_hash=hash_secret(secret),
            created_at=self._clock.now(),
        )
        await uow.api_keys.add(key)
        owner = await uow.users.get(owner_id)
        assert owner is not None
        uow.record(
            user_event(
                API_KEY_CREATED, owner, key.created_at, key_id=str(key.id), scopes=list(wanted)
            )
        )
        return CreatedApiKey(key, f"{PREFIX}{key.id.hex}_{secret}")

    async def revoke(self, uow: ApiKeyUnitOfWork, owner_id: UUID, key_id: UUID) -> ApiKey:
        key = await uow.api_keys.get(key_id)
        if key is None or key.owner_id != owner_id:
            raise NotFound("No such API key", field="id")
        if key.revoked_at is None:
            now = self._clock.now()
            await uow.api_keys.revoke(key.id, now)
            owner = await uow.users.get(owner_id)
            assert owner is not None
            uow.record(user_event(API_KEY_REVOKED, owner, now, key_id=str(key.id)))
        return key
