from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol
from uuid import UUID

from domain.identity.kyc import KycProfile
from domain.identity.model import ApiKey, OneTimeToken, RefreshToken, Session, TokenPurpose, User
from domain.shared.ports import EventRecorder


class UserRepository(Protocol):
    async def add(self, user: User) -> None: ...

    async def get(self, user_id: UUID) -> User | None: ...

    async def get_many(self, user_ids: Sequence[UUID]) -> list[User | None]: ...

    async def get_by_email(self, email: str) -> User | None: ...

    async def email_exists(self, email: str) -> bool: ...

    async def save(self, user: User) -> None: ...


class SessionRepository(Protocol):
    async def add(self, session: Session) -> None: ...

    async def get(self, session_id: UUID) -> Session | None: ...

    async def save(self, session: Session) -> None: ...

    async def revoke_all(
        self, user_id: UUID, at: datetime, reason: str, keep: UUID | None = None
    ) -> list[UUID]: ...


class RefreshTokenRepository(Protocol):
    async def add(self, token: RefreshToken) -> None: ...

    async def get_for_update(self, token_hash: str) -> RefreshToken | None: ...

    async def mark_rotated(self, token_id: UUID, at: datetime) -> None: ...


class OneTimeTokenRepository(Protocol):
    async def add(self, token: OneTimeToken) -> None: ...

    async def get_for_update(
        self, token_id: UUID, purpose: TokenPurpose
    ) -> OneTimeToken | None: ...

    async def mark_used(self, token_id: UUID, at: datetime) -> None: ...


class RoleAssigner(Protocol):
    async def assign(self, user_id: UUID, roles: Sequence[str]) -> None: ...


class IdentityUnitOfWork(EventRecorder, Protocol):
    @property
    def users(self) -> UserRepository: ...

    @property
    def role_assignments(self) -> RoleAssigner: ...

    @property
    def sessions(self) -> SessionRepository: ...

    @property
    def refresh_tokens(self) -> RefreshTokenRepository: ...

    @property
    def one_time_tokens(self) -> OneTimeTokenRepository: ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str | None, password: str) -> bool: ...

    def needs_rehash(self, password_hash: str) -> bool: ...


@dataclass(frozen=True)
class IssuedAccessToken:
    token: str
    token_id: str
    expires_at: datetime


class AccessTokenIssuer(Protocol):
    def issue_access(
        self,
        subject_id: UUID,
        session_id: str,
        *,
        auth_methods: tuple[str, ...],
        authenticated_at: datetime,
    ) -> IssuedAccessToken: ...


class LoginThrottle(Protocol):
    async def check(self, email: str, ip: str | None) -> None:
        """Raises RateLimited while the account is locked or the address is too busy."""

    async def record_failure(self, email: str) -> bool:
        """Counts a failed password; True when this failure locked the account."""

    async def record_success(self, email: str) -> None: ...


class AccessTokenRevoker(Protocol):
    async def revoke(self, token_id: str, until: datetime) -> None: ...


@dataclass(frozen=True)
class TotpCredential:
    user_id: UUID
    secret_ciphertext: bytes
    confirmed_at: datetime | None


class MfaRepository(Protocol):
    async def get(self, user_id: UUID) -> TotpCredential | None: ...

    async def put_pending(self, user_id: UUID, secret_ciphertext: bytes) -> None: ...

    async def confirm(self, user_id: UUID, at: datetime) -> None: ...

    async def claim_step(self, user_id: UUID, step: int) -> bool:
        """Atomically records `step` as used; False when it (or a later one) already was."""

    async def replace_backup_codes(self, user_id: UUID, code_hashes: list[str]) -> None: ...

    async def use_backup_code(self, user_id: UUID, code_hash: str, at: datetime) -> bool:
        """Atomically marks an unused code used; False when there is none such."""

    async def remove(self, user_id: UUID) -> None: ...


class MfaUnitOfWork(IdentityUnitOfWork, Protocol):
    @property
    def mfa(self) -> MfaRepository: ...


class Totp(Protocol):
    def new_secret(self) -> str: ...

    def provisioning_uri(self, secret: str, account: str) -> str: ...

    def qr_code(self, uri: str) -> str: ...

    def matching_step(self, secret: str, code: str, at: datetime) -> int | None: ...


class SecretCipher(Protocol):
    def encrypt(self, plaintext: bytes, associated_data: bytes) -> bytes: ...

    def decrypt(self, ciphertext: bytes, associated_data: bytes) -> bytes: ...


class ChallengeLedger(Protocol):
    async def consume(self, token_id: str, ttl_s: int) -> bool: ...


class MfaChallengeIssuer(Protocol):
    def issue_mfa_challenge(self, subject_id: UUID, device_id: str, device_name: str) -> str: ...


class ApiKeyRepository(Protocol):
    async def add(self, key: ApiKey) -> None: ...

    async def get(self, key_id: UUID) -> ApiKey | None: ...

    async def revoke(self, key_id: UUID, at: datetime) -> None: ...


class ApiKeyUnitOfWork(IdentityUnitOfWork, Protocol):
    @property
    def api_keys(self) -> ApiKeyRepository: ...


class KycRepository(Protocol):
    async def latest_for_user(self, user_id: UUID) -> KycProfile | None: ...

    async def get_for_update(self, kyc_id: UUID) -> KycProfile | None: ...

    async def add(self, profile: KycProfile) -> None: ...

    async def save_review(self, profile: KycProfile) -> None: ...


class KycUnitOfWork(IdentityUnitOfWork, Protocol):
    @property
    def kyc(self) -> KycRepository: ...
