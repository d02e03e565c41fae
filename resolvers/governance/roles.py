"""Role administration (`roles:grant`, with step-up)."""

from uuid import UUID

from strawberry.types import Info

from domain.governance.role_grants import RoleGrant
from domain.shared.errors import DomainError
from persistence.governance.role_grants import RoleGrantRepository
from resolvers.commands import run_command
from schema.ids import from_global_id


def _actor(info: Info) -> UUID:
    return info.context.principal.subject_id  # type: ignore[no-any-return]


def _user(global_id: str) -> UUID:
    return from_global_id(global_id, "User")[1]


def _grant(global_id: str) -> UUID:
    return from_global_id(global_id, "RoleGrant")[1]


async def grant(info: Info, user: str, role: str) -> RoleGrant | DomainError:
    roles = info.context.services.role_administration
    return await run_command(info, lambda uow: roles.grant(uow, _actor(info), _user(user), role))


async def approve(info: Info, grant_id: str) -> RoleGrant | DomainError:
    roles = info.context.services.role_administration
    return await run_command(info, lambda uow: roles.approve(uow, _actor(info), _grant(grant_id)))


async def reject(info: Info, grant_id: str) -> RoleGrant | DomainError:
    roles = info.context.services.role_administration
    return await run_command(info, lambda uow: roles.reject(uow, _actor(info), _grant(grant_id)))


async def revoke(info: Info, user: str, role: str) -> DomainError | None:
    roles = info.context.services.role_administration
    return await run_command(info, lambda uow: roles.revoke(uow, _actor(info), _user(user), role))


async def pending(info: Info, limit: int, after: UUID | None) -> list[RoleGrant]:
    async with info.context.services.session_factory() as session:
        return await RoleGrantRepository(session).pending(limit, after)
