"""Roles administration: step-up, maker-checker for privileged roles, audited, effective
on the very next request."""

import asyncio

from sqlalchemy import select

from persistence.compliance.tables import AuditLogRow
from persistence.governance.tables import RoleAssignmentRow
from server.app import Runtime
from tests.support.governance import ME, person
from tests.support.graphql import GraphQLClient
from tests.support.identity import stepped_up_token
from tests.support.metrics import cache_counts
from tests.support.sql import CountSql

GRANT = """mutation($user: ID!, $role: String!) { grantRole(input: {userId: $user, role: $role}) {
  grant { id role status user { id } requestedBy { id } decidedBy { id } } errors { code field message } } }"""
APPROVE = """mutation($id: ID!) { approveRoleGrant(input: {grantId: $id}) {
  grant { status decidedBy { id } } errors { code field message } } }"""
REJECT = """mutation($id: ID!) { rejectRoleGrant(input: {grantId: $id}) {
  grant { status } errors { code field message } } }"""
REVOKE = """mutation($user: ID!, $role: String!) { revokeRole(input: {userId: $user, role: $role}) {
  ok errors { code field message } } }"""
PENDING = "{ pendingRoleGrants { edges { node { id role status user { id } } } } }"
ROLES = "query($id: ID!) { node(id: $id) { ... on User { roles } } }"
QUEUE = "{ serviceRequests { edges { node { id } } } }"


async def admin(runtime: Runtime, graphql: GraphQLClient) -> tuple[str, str]:
    """A stepped-up admin: (token, user id)."""
    token = await stepped_up_token(runtime, graphql, roles=["admin"])
    return token, (await graphql(ME, token=token)).data["me"]["id"]


async def roles_of(graphql: GraphQLClient, token: str, user_id: str) -> list[str]:
    return (await graphql(ROLES, {"id": user_id}, token=token)).data["node"]["roles"]  # type: ignore[no-any-return]


async def test_a_single_admin_cannot_make_a_second_admin_alone(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    maker, maker_id = await admin(runtime, graphql)
    candidate = await person(runtime, graphql, "staff")

    asked = await graphql(GRANT, {"user": candidate.id, "role": "admin"}, token=maker)
    grant = asked.data["grantRole"]["grant"]
    self_approved = await graphql(APPROVE, {"id": grant["id"]}, token=maker)
    still = await roles_of(graphql, maker, candidate.id)
    pending = await graphql(PENDING, token=maker)
    checker, checker_id = await admin(runtime, graphql)
    approved = await graphql(APPROVE, {"id": grant["id"]}, token=checker)
    now = await roles_of(graphql, maker, candidate.id)

    assert grant["status"] == "PENDING"
    assert grant["requestedBy"] == {"id": maker_id}
    assert self_approved.data["approveRoleGrant"]["grant"] is None
    assert self_approved.data["approveRoleGrant"]["errors"][0]["code"] == "FORBIDDEN"
    assert still == ["staff"]
    assert [edge["node"]["id"] for edge in pending.data["pendingRoleGrants"]["edges"]] == [
        grant["id"]
    ]
    assert approved.data["approveRoleGrant"] == {
        "grant": {"status": "APPROVED", "decidedBy": {"id": checker_id}},
        "errors": [],
    }
    assert now == ["admin", "staff"]


async def test_the_grantee_cannot_approve_their_own_grant_and_a_decided_one_stays_decided(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    maker, _ = await admin(runtime, graphql)
    checker, checker_id = await admin(runtime, graphql)
    other, _ = await admin(runtime, graphql)
    asked = await graphql(GRANT, {"user": checker_id, "role": "compliance_officer"}, token=maker)
    grant_to_self = await graphql(GRANT, {"user": checker_id, "role": "verifier"}, token=checker)
    candidate = await person(runtime, graphql, "customer")
    pending = (await graphql(GRANT, {"user": candidate.id, "role": "admin"}, token=maker)).data
    grant_id = pending["grantRole"]["grant"]["id"]

    rejected = await graphql(REJECT, {"id": grant_id}, token=other)
    approved_after = await graphql(APPROVE, {"id": grant_id}, token=checker)

    assert asked.data["grantRole"]["grant"]["status"] == "APPROVED"  # not privileged
    assert grant_to_self.data["grantRole"]["errors"][0]["code"] == "FORBIDDEN"
    assert rejected.data["rejectRoleGrant"] == {"grant": {"status": "REJECTED"}, "errors": []}
    assert approved_after.data["approveRoleGrant"]["errors"][0]["code"] == "INVALID_STATE"
    assert await roles_of(graphql, maker, candidate.id) == ["customer"]


async def test_a_granted_role_works_on_the_next_request_and_a_revoked_one_stops(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    granter, _ = await admin(runtime, graphql)
    ada = await person(runtime, graphql, "customer")

    before = await graphql(QUEUE, token=ada.token)
    granted = await graphql(GRANT, {"user": ada.id, "role": "staff"}, token=granter)
    during = await graphql(QUEUE, token=ada.token)
    revoked = await graphql(REVOKE, {"user": ada.id, "role": "staff"}, token=granter)
    after = await graphql(QUEUE, token=ada.token)

    assert before.error_codes == ["FORBIDDEN"]
    assert granted.data["grantRole"]["grant"]["status"] == "APPROVED"
    assert during.errors == []
    assert during.data == {"serviceRequests": {"edges": []}}
    assert revoked.data["revokeRole"] == {"ok": True, "errors": []}
    assert after.error_codes == ["FORBIDDEN"]


async def test_permissions_come_from_the_cache_and_roles_from_each_requests_one_statement(
    runtime: Runtime, graphql: GraphQLClient, count_sql: CountSql
) -> None:
    granter, _ = await admin(runtime, graphql)
    ada = await person(runtime, graphql, "customer")
    await graphql(ME, token=ada.token)
    hits, misses = await cache_counts(graphql.http, "permissions")

    with count_sql() as authenticating:
        await graphql("{ __typename }", token=ada.token)
    granted = await graphql(GRANT, {"user": ada.id, "role": "staff"}, token=granter)
    as_staff = await graphql(QUEUE, token=ada.token)
    await graphql(REVOKE, {"user": ada.id, "role": "staff"}, token=granter)
    as_customer = await graphql(QUEUE, token=ada.token)

    (statement,) = authenticating.statements
    assert "role_assignments" in statement
    assert "role_permissions" not in statement
    assert granted.data["grantRole"]["grant"]["status"] == "APPROVED"
    assert as_staff.errors == []
    assert as_customer.error_codes == ["FORBIDDEN"]
    assert await cache_counts(graphql.http, "permissions") == (hits + 5, misses)


async def test_the_last_active_admin_cannot_be_revoked(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    first, first_id = await admin(runtime, graphql)
    _second, second_id = await admin(runtime, graphql)

    one_goes = await graphql(REVOKE, {"user": second_id, "role": "admin"}, token=first)
    last_goes = await graphql(REVOKE, {"user": first_id, "role": "admin"}, token=first)

    assert one_goes.data["revokeRole"]["ok"] is True
    assert last_goes.data["revokeRole"]["ok"] is False
    assert last_goes.data["revokeRole"]["errors"][0]["code"] == "INVALID_STATE"
    assert await roles_of(graphql, first, first_id) == ["admin"]


async def test_role_changes_need_a_fresh_second_factor_and_roles_grant(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    plain_admin = await person(runtime, graphql, "admin")
    staff = await stepped_up_token(runtime, graphql, roles=["staff"])
    target = await person(runtime, graphql, "customer")

    without_step_up = await graphql(
        GRANT, {"user": target.id, "role": "staff"}, token=plain_admin.token
    )
    without_scope = await graphql(GRANT, {"user": target.id, "role": "staff"}, token=staff)

    assert without_step_up.error_codes == ["FORBIDDEN"]
    assert without_step_up.errors[0]["extensions"]["reason"] == "STEP_UP_REQUIRED"
    assert without_scope.errors[0]["extensions"] == {
        "code": "FORBIDDEN",
        "requiredScopes": [["roles:grant"]],
    }


async def test_every_grant_decision_and_revocation_is_audited(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    maker, _ = await admin(runtime, graphql)
    checker, _ = await admin(runtime, graphql)
    target = await person(runtime, graphql, "customer")
    asked = await graphql(GRANT, {"user": target.id, "role": "admin"}, token=maker)
    await graphql(APPROVE, {"id": asked.data["grantRole"]["grant"]["id"]}, token=checker)
    await graphql(REVOKE, {"user": target.id, "role": "admin"}, token=checker)

    async with runtime.services.session_factory() as session:
        actions = (
            await session.scalars(
                select(AuditLogRow.action)
                .where(AuditLogRow.action.like("governance.role%"))
                .order_by(AuditLogRow.seq)
            )
        ).all()

    assert actions == [
        "governance.role_grant_requested",
        "governance.role_granted",
        "governance.role_revoked",
    ]


async def test_unknown_roles_and_users_are_not_found(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    granter, _ = await admin(runtime, graphql)
    target = await person(runtime, graphql, "customer")

    no_role = await graphql(GRANT, {"user": target.id, "role": "overlord"}, token=granter)
    not_held = await graphql(REVOKE, {"user": target.id, "role": "staff"}, token=granter)

    assert no_role.data["grantRole"]["errors"][0]["field"] == ["role"]
    assert no_role.data["grantRole"]["errors"][0]["code"] == "NOT_FOUND"
    assert not_held.data["revokeRole"]["errors"][0]["code"] == "NOT_FOUND"


async def test_two_last_admins_revoking_each_other_at_once_leave_one_admin(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    first, first_id = await admin(runtime, graphql)
    second, second_id = await admin(runtime, graphql)

    outcomes = await asyncio.gather(
        graphql(REVOKE, {"user": second_id, "role": "admin"}, token=first),
        graphql(REVOKE, {"user": first_id, "role": "admin"}, token=second),
    )

    payloads = [outcome.data["revokeRole"] for outcome in outcomes]
    assert sorted(payload["ok"] for payload in payloads) == [False, True]
    assert [e["code"] for p in payloads for e in p["errors"]] == ["INVALID_STATE"]
    async with runtime.services.session_factory() as session:
        admins = (
            await session.scalars(
                select(RoleAssignmentRow.user_id).where(RoleAssignmentRow.role == "admin")
            )
        ).all()
    assert len(admins) == 1
