from dataclasses import dataclass

from strawberry.types import Info

from domain.governance.roles import PRIVILEGED_ROLES, ROLE_PERMISSIONS
from schema.errors import Forbidden
from schema.ids import from_global_id


@dataclass(frozen=True)
class RoleView:
    name: str
    permissions: list[str]
    privileged: bool


def role_catalogue() -> list[RoleView]:
    return [
        RoleView(name, sorted(permissions), name in PRIVILEGED_ROLES)
        for name, permissions in ROLE_PERMISSIONS.items()
    ]


async def roles_of(info: Info, global_user_id: str) -> list[str]:
    _, user_id = from_global_id(global_user_id, "User")
    principal = info.context.principal
    if principal.subject_id != user_id and "roles:read" not in principal.permissions:
        raise Forbidden("Only the user and holders of roles:read see a user's roles")
    return list(await info.context.loaders.roles_by_user_id.load(user_id))
