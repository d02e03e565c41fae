"""`me` shows who you are and what you may do; staff search accounts with identity:read_any."""

from server.app import Runtime
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient

ME = "{ me { email emailVerified mfaEnabled roles permissions } }"
USERS = """
query($filter: UserFilter, $first: Int!, $after: String) {
  users(filter: $filter, first: $first, after: $after) {
    edges { cursor node { email } }
    pageInfo { hasNextPage endCursor }
  }
}
"""


async def test_me_shows_roles_permissions_and_security_state(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    user = await create_user(runtime.services, roles=["verifier"])

    response = await graphql(ME, token=await token_for(runtime.services, user))

    assert response.data == {
        "me": {
            "email": user.email,
            "emailVerified": True,
            "mfaEnabled": False,
            "roles": ["verifier"],
            "permissions": ["kyc:review", "vin:register"],
        }
    }


async def test_staff_page_through_accounts_with_a_filter(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    staff = await create_user(runtime.services, roles=["staff"], email="sam@elcorp.na")
    for name in ("ada", "bob", "cleo"):
        await create_user(runtime.services, email=f"{name}@partner.na")
    token = await token_for(runtime.services, staff)

    first = await graphql(USERS, {"filter": {"emailContains": "PARTNER"}, "first": 2}, token=token)
    cursor = first.data["users"]["pageInfo"]["endCursor"]
    second = await graphql(
        USERS, {"filter": {"emailContains": "partner"}, "first": 2, "after": cursor}, token=token
    )
    wildcard = await graphql(USERS, {"filter": {"emailContains": "%"}, "first": 10}, token=token)

    assert [e["node"]["email"] for e in first.data["users"]["edges"]] == [
        "cleo@partner.na",
        "bob@partner.na",
    ]
    assert first.data["users"]["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["email"] for e in second.data["users"]["edges"]] == ["ada@partner.na"]
    assert second.data["users"]["pageInfo"]["hasNextPage"] is False
    assert wildcard.data["users"]["edges"] == []


async def test_customers_cannot_list_accounts(runtime: Runtime, graphql: GraphQLClient) -> None:
    customer = await create_user(runtime.services)

    response = await graphql(USERS, {"first": 5}, token=await token_for(runtime.services, customer))

    assert response.error_codes == ["FORBIDDEN"]


async def test_pages_are_capped_at_one_hundred(runtime: Runtime, graphql: GraphQLClient) -> None:
    staff = await create_user(runtime.services, roles=["staff"])

    response = await graphql(USERS, {"first": 101}, token=await token_for(runtime.services, staff))

    assert response.error_codes == ["QUERY_TOO_COMPLEX"]
    assert response.errors[0]["extensions"]["limit"] == 100
    assert response.errors[0]["extensions"]["measured"] == 101
