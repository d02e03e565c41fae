from uuid import UUID

from strawberry.types import Info

from domain.shared.errors import DomainError
from resolvers.commands import run_command


async def request_reset(info: Info, email: str) -> DomainError | None:
    passwords = info.context.services.passwords
    return await run_command(info, lambda uow: passwords.request_reset(uow, email))


async def reset(info: Info, token: str, new_password: str) -> int | DomainError:
    passwords = info.context.services.passwords
    return await run_command(info, lambda uow: passwords.reset(uow, token, new_password))


async def change(info: Info, current_password: str, new_password: str) -> int | DomainError:
    passwords, principal = info.context.services.passwords, info.context.principal
    return await run_command(
        info,
        lambda uow: passwords.change(
            uow, principal.subject_id, UUID(principal.session_id), current_password, new_password
        ),
    )
