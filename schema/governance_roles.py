"""Roles administration: grants and revocations (`roles:grant` with step-up); a privileged
role's grant waits for a second admin."""

from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.governance.role_grants import GrantStatus
from domain.governance.role_grants import RoleGrant as DomainRoleGrant
from resolvers.governance import roles
from schema.governance_requests import UserRef, optional_user, user_ref
from schema.ids import to_global_id
from schema.pagination import PAGE, Connection, connection, decode_cursor, page_size
from schema.permissions import requires_scopes, step_up
from schema.shared import UserError, to_payload

GRANT = "roles:grant"
RoleGrantStatus = strawberry.enum(GrantStatus, name="RoleGrantStatus")


@strawberry.type(description="A role asked for a user, and its decision.")
class RoleGrant:
    id: strawberry.ID
    role: str
    status: RoleGrantStatus
    user: UserRef
    requested_by: UserRef
    requested_at: datetime
    decided_by: UserRef | None
    decided_at: datetime | None

    @classmethod
    def from_domain(cls, grant: DomainRoleGrant) -> "RoleGrant":
        return cls(
            id=to_global_id("RoleGrant", grant.id),
            role=grant.role,
            status=grant.status,
            user=user_ref(grant.user_id),
            requested_by=user_ref(grant.requested_by),
            requested_at=grant.requested_at,
            decided_by=optional_user(grant.decided_by),
            decided_at=grant.decided_at,
        )


@strawberry.input
class GrantRoleInput:
    user_id: strawberry.ID
    role: str


@strawberry.input
class RevokeRoleInput:
    user_id: strawberry.ID
    role: str


@strawberry.input
class ApproveRoleGrantInput:
    grant_id: strawberry.ID


@strawberry.input
class RejectRoleGrantInput:
    grant_id: strawberry.ID


@strawberry.type
class RoleGrantPayload:
    grant: RoleGrant | None = None
    errors: list[UserError]


@strawberry.type
class RevokeRolePayload:
    ok: bool = False
    errors: list[UserError]


def _grant_payload(outcome: object) -> RoleGrantPayload:
    return to_payload(RoleGrantPayload, outcome, lambda g: {"grant": RoleGrant.from_domain(g)})


@strawberry.type(name="Query")
class RoleGrantQuery:
    @strawberry.field(
        directives=PAGE,
        extensions=requires_scopes([GRANT]),
        description="Grants waiting for a second admin.",
    )
    async def pending_role_grants(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[RoleGrant]:
        size = page_size(first)
        rows = await roles.pending(info, size + 1, decode_cursor(after))
        return connection(rows, size, lambda row: row.id, RoleGrant.from_domain)


@strawberry.type(name="Mutation")
class RoleGrantMutation:
    @strawberry.mutation(
        extensions=step_up([GRANT]),
        description="Grants a role at once, or, for a privileged one, asks a second admin "
        "(the grant comes back PENDING). Never to yourself.",
    )
    async def grant_role(self, info: Info, input: GrantRoleInput) -> RoleGrantPayload:
        return _grant_payload(await roles.grant(info, input.user_id, input.role))

    @strawberry.mutation(
        extensions=step_up([GRANT]),
        description="A second holder of the role approves: not its requester, not its grantee.",
    )
    async def approve_role_grant(
        self, info: Info, input: ApproveRoleGrantInput
    ) -> RoleGrantPayload:
        return _grant_payload(await roles.approve(info, input.grant_id))

    @strawberry.mutation(extensions=step_up([GRANT]), description="Decided like an approval.")
    async def reject_role_grant(self, info: Info, input: RejectRoleGrantInput) -> RoleGrantPayload:
        return _grant_payload(await roles.reject(info, input.grant_id))

    @strawberry.mutation(
        extensions=step_up([GRANT]),
        description="Effective from the user's next request; the last active admin stays.",
    )
    async def revoke_role(self, info: Info, input: RevokeRoleInput) -> RevokeRolePayload:
        outcome = await roles.revoke(info, input.user_id, input.role)
        return to_payload(RevokeRolePayload, outcome, lambda _: {"ok": True})
