from dataclasses import dataclass
from uuid import UUID


@dataclass(frozen=True)
class CreateUser:
    email: str
    full_name: str
    roles: tuple[str, ...] = ("customer",)


@dataclass(frozen=True)
class UpdateProfile:
    user_id: UUID
    full_name: str
