from dataclasses import dataclass
from uuid import UUID

from domain.identity.model import Device


@dataclass(frozen=True)
class CreateUser:
    email: str
    full_name: str
    roles: tuple[str, ...] = ("customer",)
    password: str | None = None
    email_verified: bool = False


@dataclass(frozen=True)
class UpdateProfile:
    user_id: UUID
    full_name: str


@dataclass(frozen=True)
class Register:
    email: str
    password: str
    full_name: str


@dataclass(frozen=True)
class Login:
    email: str
    password: str
    device: Device
    ip: str | None


@dataclass(frozen=True)
class RefreshSession:
    refresh_token: str
    device_id: str
    ip: str | None
