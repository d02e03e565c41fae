import uuid
from collections.abc import Sequence

from domain.identity.commands import CreateUser
from domain.identity.model import User
from persistence.uow import SYSTEM, UnitOfWork
from schema.context import Services


async def create_user(
    services: Services, *, roles: Sequence[str] = ("customer",), email: str | None = None
) -> User:
    command = CreateUser(
        email=email or f"user-{uuid.uuid4().hex[:10]}@example.na",
        full_name="Test Person",
        roles=tuple(roles),
    )
    async with UnitOfWork(services.session_factory, services.clock, SYSTEM) as uow:
        return await services.users.create_user(uow, command)


def token_for(services: Services, user: User) -> str:
    return services.tokens.issue(user.id, session_id=f"test-session-{uuid.uuid4().hex[:8]}")
