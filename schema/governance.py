"""Governance subgraph: roles, and each user's roles (contributed to `User`)."""

import strawberry
from strawberry.tools import merge_types
from strawberry.types import Info

from resolvers.governance import queries
from schema.governance_request_mutations import ServiceRequestMutation
from schema.governance_request_queries import ServiceRequestQuery
from schema.governance_requests import ServiceRequest
from schema.governance_roles import RoleGrantMutation, RoleGrantQuery
from schema.governance_sla import SlaMutation, SlaQuery, SlaSubscription
from schema.permissions import authenticated, requires_scopes


@strawberry.type(description="A named set of permissions.")
class RoleDefinition:
    name: str
    description: str
    permissions: list[str]
    privileged: bool


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID

    @strawberry.field(
        extensions=authenticated(),
        description="Roles held; visible to the user and to holders of `roles:read`.",
    )
    async def roles(self, info: Info) -> list[str]:
        return await queries.roles_of(info, self.id)

    @strawberry.field(
        extensions=authenticated(),
        description="Permissions the roles grant; visible like the roles.",
    )
    async def permissions(self, info: Info) -> list[str]:
        return await queries.permissions_of(info, self.id)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> "User":
        return cls(id=id)


@strawberry.type(name="Query")
class GovernanceQuery:
    @strawberry.field(extensions=requires_scopes(["roles:read"]), description="The role catalogue.")
    async def roles(self, info: Info) -> list[RoleDefinition]:
        return [
            RoleDefinition(
                name=role.name,
                description=role.description,
                permissions=role.permissions,
                privileged=role.privileged,
            )
            for role in await queries.role_catalogue(info)
        ]


# Each part of the context adds its root types here.
QUERIES: tuple[type, ...] = (GovernanceQuery, RoleGrantQuery, ServiceRequestQuery, SlaQuery)
MUTATIONS: tuple[type, ...] = (RoleGrantMutation, ServiceRequestMutation, SlaMutation)
SUBSCRIPTIONS: tuple[type, ...] = (SlaSubscription,)

QUERY = merge_types("Query", QUERIES)
MUTATION = merge_types("Mutation", MUTATIONS) if MUTATIONS else None
SUBSCRIPTION = merge_types("Subscription", SUBSCRIPTIONS) if SUBSCRIPTIONS else None
TYPES: list[type] = [User, ServiceRequest]
OWNED_ENTITIES: list[type] = []
