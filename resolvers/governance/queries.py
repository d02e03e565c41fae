from strawberry.types import Info

from persistence.governance.repository import RoleCatalogue, RoleRecord
from schema.errors import Forbidden
from schema.ids import from_global_id


async def role_catalogue(info: Info) -> list[RoleRecord]:
    async with info.context.services.session_factory() as db:
        return await RoleCatalogue(db).all()


def _visible_user_id(info: Info, global_user_id: str):  # type: ignore[no-untyped-def]
    _, user_id = from_global_id(global_user_id, "User")
    principal = info.context.principal
    if principal.subject_id != user_id and "roles:read" not in principal.permissions:
        raise Forbidden("Only the user and holders of roles:read see a user's roles")
    return user_id


async def roles_of(info: Info, global_user_id: str) -> list[str]:
    user_id = _visible_user_id(info, global_user_id)
    return list(await info.context.loaders.roles_by_user_id.load(user_id))


async def permissions_of(info: Info, global_user_id: str) -> list[str]:
    user_id = _visible_user_id(info, global_user_id)
    return list(await info.context.loaders.permissions_by_user_id.load(user_id))
