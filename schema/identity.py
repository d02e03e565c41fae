"""Identity subgraph: users (the `User` entity's owner), the Relay `node` fields, profile."""

from collections.abc import AsyncGenerator
from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

import strawberry
from strawberry.scalars import JSON
from strawberry.tools import merge_types
from strawberry.types import Info

from domain.identity.kyc import KycTier as DomainKycTier
from domain.identity.model import User as DomainUser
from resolvers.identity import kyc as kyc_queries
from resolvers.identity import mutations, queries, subscriptions
from schema.identity_api_keys import ApiKey, ApiKeyMutation, ApiKeyQuery
from schema.identity_auth import AuthMutation, AuthQuery, Session
from schema.identity_kyc import KycLimits, KycMutation, KycProfile, KycQuery, limits_for
from schema.identity_mfa import MfaMutation
from schema.identity_passwords import PasswordMutation
from schema.ids import to_global_id
from schema.nodes import NODE_TYPES, node_type
from schema.pagination import PAGE, Connection, connection, decode_cursor, page_size
from schema.permissions import authenticated, requires_scopes, signed_in
from schema.shared import Node, UserError, to_payload


@node_type
@strawberry.federation.type(keys=["id"], description="A person with an Elcorp account.")
class User(Node):
    id: strawberry.ID
    email: str
    full_name: str
    created_at: datetime
    email_verified: bool
    mfa_enabled: bool
    uuid: strawberry.Private[UUID]

    @strawberry.field(description="The latest KYC submission, if any.")
    async def kyc(self, info: Info) -> KycProfile | None:
        profile = await kyc_queries.latest_of(info, self.uuid)
        return None if profile is None else KycProfile.from_domain(profile)

    @strawberry.field(description="What this account may hold and send, by its KYC tier.")
    async def limits(self, info: Info) -> KycLimits:
        profile = await kyc_queries.latest_of(info, self.uuid)
        return limits_for(profile.tier if profile is not None else DomainKycTier.UNVERIFIED)

    @classmethod
    def from_domain(cls, user: DomainUser) -> "User":
        return cls(
            id=to_global_id("User", user.id),
            email=user.email,
            full_name=user.full_name,
            created_at=user.created_at,
            email_verified=user.email_verified_at is not None,
            mfa_enabled=user.mfa_enabled,
            uuid=user.id,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "User | None":
        user = await queries.visible_user(info, id)
        return None if user is None else cls.from_domain(user)


@strawberry.type(description="An event that concerns the signed-in user.")
class AccountEvent:
    id: strawberry.ID
    name: str
    aggregate_type: str
    aggregate_id: str
    occurred_at: datetime
    payload: JSON


@strawberry.input
class UserFilter:
    email_contains: str | None = None
    status: str | None = None


@strawberry.input
class UpdateMyProfileInput:
    full_name: str


@strawberry.type
class UpdateMyProfilePayload:
    user: User | None = None
    errors: list[UserError]


@strawberry.type(name="Query")
class ProfileQuery:
    @strawberry.field(extensions=authenticated(), description="The signed-in user.")
    async def me(self, info: Info) -> User | None:
        user = await queries.current_user(info)
        return None if user is None else User.from_domain(user)

    @strawberry.field(
        directives=PAGE,
        extensions=requires_scopes(["identity:read_any"]),
        description="Staff: accounts, newest first, optionally filtered.",
    )
    async def users(
        self,
        info: Info,
        filter: UserFilter | None = None,
        first: int = 20,
        after: str | None = None,
    ) -> Connection[User]:
        size = page_size(first)
        criteria = filter or UserFilter()
        rows = await queries.list_users(
            info, criteria.email_contains, criteria.status, size + 1, decode_cursor(after)
        )
        return connection(rows, size, lambda row: row.id, User.from_domain)

    @strawberry.field(extensions=authenticated(), description="Fetches an object by global id.")
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        return await queries.node(info, id, NODE_TYPES)

    @strawberry.field(extensions=authenticated(), description="Fetches objects by global ids.")
    async def nodes(
        self, info: Info, ids: Annotated[list[strawberry.ID], strawberry.argument()]
    ) -> list[Node | None]:
        return await queries.nodes(info, ids, NODE_TYPES)


@strawberry.type(name="Mutation")
class ProfileMutation:
    @strawberry.mutation(extensions=signed_in())
    async def update_my_profile(
        self, info: Info, input: UpdateMyProfileInput
    ) -> UpdateMyProfilePayload:
        outcome = await mutations.update_my_profile(info, input.full_name)
        return to_payload(UpdateMyProfilePayload, outcome, lambda u: {"user": User.from_domain(u)})


@strawberry.type(name="Subscription")
class IdentitySubscription:
    @strawberry.subscription(
        extensions=authenticated(), description="Events about the signed-in user, live."
    )
    async def my_events(self, info: Info) -> AsyncGenerator[AccountEvent, None]:
        async for event in subscriptions.my_events(info):
            yield _account_event(event)


def _account_event(event: dict[str, Any]) -> AccountEvent:
    return AccountEvent(
        id=strawberry.ID(event["id"]),
        name=event["name"],
        aggregate_type=event["aggregateType"],
        aggregate_id=event["aggregateId"],
        occurred_at=datetime.fromisoformat(event["occurredAt"]),
        payload=event["payload"],
    )


QUERY = merge_types("Query", (ProfileQuery, AuthQuery, ApiKeyQuery, KycQuery))
MUTATION = merge_types(
    "Mutation",
    (ProfileMutation, AuthMutation, MfaMutation, PasswordMutation, ApiKeyMutation, KycMutation),
)
SUBSCRIPTION = IdentitySubscription
TYPES: list[type] = [User, Session, ApiKey, KycProfile]
OWNED_ENTITIES: list[type] = [User]
