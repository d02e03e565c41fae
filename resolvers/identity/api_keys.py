from uuid import UUID

from strawberry.types import Info

from domain.identity.api_keys import CreatedApiKey
from domain.identity.model import ApiKey
from domain.shared.errors import DomainError
from persistence.identity.api_keys import ApiKeyRepository
from resolvers.commands import run_command
from schema.ids import from_global_id


async def create(info: Info, name: str, scopes: list[str]) -> CreatedApiKey | DomainError:
    api_keys, principal = info.context.services.api_keys, info.context.principal
    return await run_command(
        info,
        lambda uow: api_keys.create(uow, principal.subject_id, name, scopes, principal.permissions),
    )


async def revoke(info: Info, key_global_id: str) -> ApiKey | DomainError:
    _, key_id = from_global_id(key_global_id, "ApiKey")
    api_keys, owner_id = info.context.services.api_keys, info.context.principal.subject_id
    return await run_command(info, lambda uow: api_keys.revoke(uow, owner_id, key_id))


async def mine(info: Info, first: int, after: UUID | None) -> list[ApiKey]:
    async with info.context.services.session_factory() as db:
        return await ApiKeyRepository(db).list_for_owner(
            info.context.principal.subject_id, first, after
        )
