from collections.abc import Sequence
from typing import Protocol
from uuid import UUID

from domain.identity.model import User
from domain.shared.ports import EventRecorder


class UserRepository(Protocol):
    async def add(self, user: User) -> None: ...

    async def get(self, user_id: UUID) -> User | None: ...

    async def get_many(self, user_ids: Sequence[UUID]) -> list[User | None]: ...

    async def email_exists(self, email: str) -> bool: ...

    async def save(self, user: User) -> None: ...


class RoleAssigner(Protocol):
    async def assign(self, user_id: UUID, roles: Sequence[str]) -> None: ...


class IdentityUnitOfWork(EventRecorder, Protocol):
    @property
    def users(self) -> UserRepository: ...

    @property
    def role_assignments(self) -> RoleAssigner: ...
