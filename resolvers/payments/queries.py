from strawberry.types import Info

from domain.payments.model import Account
from schema.ids import from_global_id


async def accounts_of(info: Info, global_user_id: str) -> list[Account]:
    """The owner's accounts; anyone else without `payments:read_any` sees none."""
    _, owner_id = from_global_id(global_user_id, "User")
    principal = info.context.principal
    if principal.subject_id != owner_id and "payments:read_any" not in principal.permissions:
        return []
    return list(await info.context.loaders.accounts_by_owner_id.load(owner_id))
