"""Scopes declared with @requiresScopes: deny unless a role grants them."""

from server.app import Runtime
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient

ROLES = "{ roles { name privileged permissions } }"


async def test_admins_read_the_role_catalogue(runtime: Runtime, graphql: GraphQLClient) -> None:
    admin = await create_user(runtime.services, roles=["admin"])

    response = await graphql(ROLES, token=await token_for(runtime.services, admin))

    by_name = {role["name"]: role for role in response.data["roles"]}
    assert by_name["admin"]["privileged"] is True
    assert "audit:read" in by_name["compliance_officer"]["permissions"]


async def test_customers_are_forbidden_and_told_which_scope_is_missing(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer = await create_user(runtime.services, roles=["customer"])

    response = await graphql(ROLES, token=await token_for(runtime.services, customer))

    assert response.data is None
    (error,) = response.errors
    assert error["extensions"] == {"code": "FORBIDDEN", "requiredScopes": [["roles:read"]]}


async def test_anonymous_callers_are_unauthenticated_not_forbidden(graphql: GraphQLClient) -> None:
    response = await graphql(ROLES)

    assert response.error_codes == ["UNAUTHENTICATED"]


async def test_a_users_roles_are_hidden_from_other_users(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await create_user(runtime.services, roles=["staff"])
    admin = await create_user(runtime.services, roles=["admin"])
    ada_id = (await graphql("{ me { id } }", token=await token_for(runtime.services, ada))).data[
        "me"
    ]["id"]
    query = "query($id: ID!) { node(id: $id) { ... on User { roles } } }"

    as_admin = await graphql(query, {"id": ada_id}, token=await token_for(runtime.services, admin))

    assert as_admin.data == {"node": {"roles": ["staff"]}}
