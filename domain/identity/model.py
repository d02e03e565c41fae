from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from uuid import UUID

from domain.identity.errors import InvalidDevice, InvalidEmail, InvalidFullName, WeakPassword


class UserStatus(StrEnum):
    ACTIVE = "active"
    LOCKED = "locked"
    ERASED = "erased"


MAX_FULL_NAME = 200
MIN_PASSWORD = 12
MAX_PASSWORD = 256
MAX_DEVICE_FIELD = 200


def normalize_email(raw: str) -> str:
    email = raw.strip().lower()
    local, at, domain = email.partition("@")
    malformed = any(char.isspace() for char in email) or "@" in domain
    if not at or not local or "." not in domain or len(email) > 254 or malformed:
        raise InvalidEmail("Enter a valid email address", field="email")
    return email


def clean_full_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name or len(name) > MAX_FULL_NAME:
        raise InvalidFullName(
            f"Full name must be 1 to {MAX_FULL_NAME} characters", field="fullName"
        )
    return name


def public_name(full_name: str) -> str:
    """What others are shown, e.g. in a payment's history: the first name and the last
    name's initial ("Ada L."), never the whole name."""
    parts = full_name.split()
    if len(parts) < 2:
        return parts[0] if parts else ""
    return f"{parts[0]} {parts[-1][0]}."


def check_new_password(password: str, *, email: str, field: str = "password") -> str:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise WeakPassword(
            f"Passwords are {MIN_PASSWORD} to {MAX_PASSWORD} characters", field=field
        )
    if password.strip().lower() in (email, email.partition("@")[0]):
        raise WeakPassword("The password must not be your email address", field=field)
    return password


@dataclass(frozen=True, kw_only=True)
class User:
    id: UUID
    email: str
    full_name: str
    status: UserStatus
    created_at: datetime
    password_hash: str | None = None
    email_verified_at: datetime | None = None
    mfa_enabled: bool = False

    @property
    def can_sign_in(self) -> bool:
        return self.status is UserStatus.ACTIVE

    def renamed(self, full_name: str) -> "User":
        return replace(self, full_name=clean_full_name(full_name))


@dataclass(frozen=True, kw_only=True)
class Device:
    id: str
    name: str

    def __post_init__(self) -> None:
        for label, value in (("id", self.id), ("name", self.name)):
            if not value.strip() or len(value) > MAX_DEVICE_FIELD:
                raise InvalidDevice(
                    f"Device {label} must be 1 to {MAX_DEVICE_FIELD} characters",
                    field=f"device.{label}",
                )


@dataclass(frozen=True, kw_only=True)
class Session:
    id: UUID
    user_id: UUID
    device: Device
    ip: str | None
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    auth_methods: tuple[str, ...]
    authenticated_at: datetime
    revoked_at: datetime | None = None
    revoked_reason: str | None = None

    def is_active(self, now: datetime) -> bool:
        return self.revoked_at is None and now < self.expires_at

    def revoked(self, at: datetime, reason: str) -> "Session":
        return replace(self, revoked_at=at, revoked_reason=reason)


@dataclass(frozen=True, kw_only=True)
class RefreshToken:
    id: UUID
    session_id: UUID
    token_hash: str
    issued_at: datetime
    expires_at: datetime
    rotated_at: datetime | None = None


class TokenPurpose(StrEnum):
    VERIFY_EMAIL = "verify_email"
    RESET_PASSWORD = "reset_password"


@dataclass(frozen=True, kw_only=True)
class OneTimeToken:
    id: UUID
    user_id: UUID
    purpose: TokenPurpose
    expires_at: datetime
    used_at: datetime | None = None

    def usable(self, now: datetime) -> bool:
        return self.used_at is None and now < self.expires_at


SESSION_TTL = timedelta(days=30)


@dataclass(frozen=True, kw_only=True)
class ApiKey:
    id: UUID
    owner_id: UUID
    name: str
    scopes: tuple[str, ...]
    secret_hash: str
    created_at: datetime
    revoked_at: datetime | None = None
