"""Opaque credentials: random refresh tokens stored as hashes, and one-time tokens whose
value is an HMAC of their id, so neither the database nor the outbox holds a usable copy."""

import hashlib
import hmac
import secrets
from uuid import UUID

REFRESH_TOKEN_BYTES = 32  # 256 bits


def new_refresh_token() -> str:
    return secrets.token_urlsafe(REFRESH_TOKEN_BYTES)


def hash_secret(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


class OneTimeTokenCodec:
    def __init__(self, key: bytes) -> None:
        self._key = key

    def encode(self, token_id: UUID, purpose: str) -> str:
        return f"{token_id.hex}.{self._mac(token_id, purpose)}"

    def decode(self, token: str, purpose: str) -> UUID | None:
        """The token's id when the MAC verifies for this purpose, else None."""
        raw_id, _, mac = token.strip().partition(".")
        try:
            token_id = UUID(hex=raw_id)
        except ValueError:
            return None
        expected = self._mac(token_id, purpose)
        return token_id if hmac.compare_digest(mac, expected) else None

    def _mac(self, token_id: UUID, purpose: str) -> str:
        message = f"{purpose}:{token_id.hex}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()
