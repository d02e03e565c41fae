from datetime import datetime

from domain.identity.model import User
from domain.shared.events import DomainEvent

USER_CREATED = "identity.user_created"
PROFILE_UPDATED = "identity.profile_updated"


def user_created(user: User, roles: tuple[str, ...]) -> DomainEvent:
    return DomainEvent(
        name=USER_CREATED,
        aggregate_type="User",
        aggregate_id=user.id,
        occurred_at=user.created_at,
        payload={"email": user.email, "full_name": user.full_name, "roles": list(roles)},
        audience=(user.id,),
    )


def profile_updated(before: User, after: User, at: datetime) -> DomainEvent:
    return DomainEvent(
        name=PROFILE_UPDATED,
        aggregate_type="User",
        aggregate_id=after.id,
        occurred_at=at,
        payload={"full_name": {"from": before.full_name, "to": after.full_name}},
        audience=(after.id,),
    )
