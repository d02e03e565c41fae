import uuid
from collections.abc import Sequence

from domain.identity.commands import CreateUser
from domain.identity.model import Device, User
from persistence.uow import SYSTEM
from schema.context import Services

PASSWORD = "correct horse battery staple"


async def create_user(
    services: Services,
    *,
    roles: Sequence[str] = ("customer",),
    email: str | None = None,
    full_name: str = "Test Person",
) -> User:
    """A verified user whose password is PASSWORD."""
    command = CreateUser(
        email=email or f"user-{uuid.uuid4().hex[:10]}@example.na",
        full_name=full_name,
        roles=tuple(roles),
        password=PASSWORD,
        email_verified=True,
    )
    async with services.unit_of_work(SYSTEM) as uow:
        return await services.users.create_user(uow, command)


async def token_for(services: Services, user: User) -> str:
    """An access token of a real session of the user's, as `login` would give."""
    async with services.unit_of_work(SYSTEM) as uow:
        signed_in = await services.authentication.start_session(
            uow, user, Device(id="test-device", name="pytest"), "127.0.0.1", ("pwd",)
        )
    return signed_in.access.token


async def api_key_for(services: Services, user: User, scopes: Sequence[str]) -> str:
    """A partner API key of the user's (`Authorization: ApiKey <it>`), as `createApiKey`
    would return it; `scopes` must be permissions the user holds."""
    async with services.unit_of_work(SYSTEM) as uow:
        created = await services.api_keys.create(
            uow, user.id, "pytest partner", scopes, held=frozenset(scopes)
        )
    return created.plaintext
