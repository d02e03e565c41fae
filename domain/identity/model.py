from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from uuid import UUID

from domain.identity.errors import InvalidEmail, InvalidFullName


class UserStatus(StrEnum):
    ACTIVE = "active"
    LOCKED = "locked"
    ERASED = "erased"


MAX_FULL_NAME = 200


def normalize_email(raw: str) -> str:
    email = raw.strip().lower()
    local, at, domain = email.partition("@")
    if not at or not local or "." not in domain or len(email) > 254 or " " in email:
        raise InvalidEmail("Enter a valid email address", field="email")
    return email


def clean_full_name(raw: str) -> str:
    name = " ".join(raw.split())
    if not name or len(name) > MAX_FULL_NAME:
        raise InvalidFullName(
            f"Full name must be 1 to {MAX_FULL_NAME} characters", field="fullName"
        )
    return name


@dataclass(frozen=True, kw_only=True)
class User:
    id: UUID
    email: str
    full_name: str
    status: UserStatus
    created_at: datetime

    def renamed(self, full_name: str) -> "User":
        return replace(self, full_name=clean_full_name(full_name))
