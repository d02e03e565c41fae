import asyncio
from typing import Any
from uuid import UUID

from strawberry.types import Info

from domain.identity.model import User, UserStatus
from persistence.identity.repository import UserRepository
from schema.errors import BadUserInput
from schema.ids import from_global_id

MAX_NODES = 100


def can_see_user(info: Info, user_id: UUID) -> bool:
    principal = info.context.principal
    return principal.subject_id == user_id or "identity:read_any" in principal.permissions


async def load_visible_user(info: Info, user_id: UUID) -> User | None:
    """The user if the principal may see it; absent and hidden look the same."""
    if not can_see_user(info, user_id):
        return None
    user = await info.context.loaders.user_by_id.load(user_id)
    if user is None or user.status is UserStatus.ERASED:
        return None
    return user


async def visible_user(info: Info, global_id: str) -> User | None:
    _, user_id = from_global_id(global_id, "User")
    return await load_visible_user(info, user_id)


async def current_user(info: Info) -> User | None:
    subject_id = info.context.principal.subject_id
    return None if subject_id is None else await load_visible_user(info, subject_id)


async def node(info: Info, global_id: str, node_types: dict[str, Any]) -> Any:
    type_name, _ = from_global_id(global_id)
    node_class = node_types.get(type_name)
    if node_class is None:
        return None
    return await node_class.resolve_reference(info=info, id=global_id)


async def nodes(info: Info, global_ids: list[str], node_types: dict[str, Any]) -> list[Any]:
    if len(global_ids) > MAX_NODES:
        raise BadUserInput(f"At most {MAX_NODES} ids per request", limit=MAX_NODES)
    return list(await asyncio.gather(*(node(info, item, node_types) for item in global_ids)))


async def list_users(
    info: Info, email_contains: str | None, status: str | None, limit: int, after: UUID | None
) -> list[User]:
    if status is not None and status not in UserStatus.__members__.values():
        raise BadUserInput(f"Unknown status {status!r}", field="status")
    async with info.context.services.session_factory() as db:
        return await UserRepository(db, info.context.services.keyring).search(
            email_contains, status, limit, after
        )
