from strawberry.types import Info

from domain.identity.commands import UpdateProfile
from domain.identity.model import User
from domain.shared.errors import DomainError


async def update_my_profile(info: Info, full_name: str) -> User | DomainError:
    context = info.context
    assert context.principal.subject_id is not None
    command = UpdateProfile(user_id=context.principal.subject_id, full_name=full_name)
    try:
        async with context.uow() as uow:
            user = await context.services.users.update_profile(uow, command)
    except DomainError as error:
        return error
    context.loaders.user_by_id.clear(user.id)
    return user
