"""Partner API keys: step-up to create, shown once, scoped, revocable."""

from server.app import Runtime
from tests.support.factories import PASSWORD, create_user
from tests.support.graphql import GraphQLClient
from tests.support.identity import login, stepped_up_token, tokens_of

CREATE = """
mutation($name: String!, $scopes: [String!]!) {
  createApiKey(input: {name: $name, scopes: $scopes}) { apiKey { id scopes } secret errors { code field } }
}
"""
REVOKE = (
    "mutation($id: ID!) { revokeApiKey(input: {id: $id}) { apiKey { revokedAt } errors { code } } }"
)
ROLES = "{ roles { name } }"
AUDIT = "{ verifyAuditChain { ok } }"


def api_key(secret: str) -> dict[str, str]:
    return {"authorization": f"ApiKey {secret}"}


async def test_a_key_reaches_only_its_scopes(runtime: Runtime, graphql: GraphQLClient) -> None:
    admin = await stepped_up_token(runtime, graphql, roles=["admin"])

    created = await graphql(CREATE, {"name": "Dashboard", "scopes": ["roles:read"]}, token=admin)
    secret = created.data["createApiKey"]["secret"]
    in_scope = await graphql(ROLES, headers=api_key(secret))
    out_of_scope = await graphql(AUDIT, headers=api_key(secret))
    session_only = await graphql("mutation { logout { ok } }", headers=api_key(secret))

    assert secret.startswith("elk_")
    assert created.data["createApiKey"]["apiKey"]["scopes"] == ["roles:read"]
    assert in_scope.errors == []
    assert out_of_scope.error_codes == ["FORBIDDEN"]
    assert session_only.error_codes == ["FORBIDDEN"]


async def test_a_revoked_key_is_unauthenticated(runtime: Runtime, graphql: GraphQLClient) -> None:
    admin = await stepped_up_token(runtime, graphql, roles=["admin"])
    created = await graphql(CREATE, {"name": "Old", "scopes": ["roles:read"]}, token=admin)
    key = created.data["createApiKey"]

    revoked = await graphql(REVOKE, {"id": key["apiKey"]["id"]}, token=admin)
    used = await graphql(ROLES, headers=api_key(key["secret"]))
    guessed = await graphql(ROLES, headers=api_key(key["secret"][:-2] + "xx"))

    assert revoked.data["revokeApiKey"]["errors"] == []
    assert (used.status_code, used.error_codes) == (401, ["UNAUTHENTICATED"])
    assert (guessed.status_code, guessed.error_codes) == (401, ["UNAUTHENTICATED"])


async def test_nobody_grants_a_key_more_than_they_hold(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer = await stepped_up_token(runtime, graphql)

    response = await graphql(CREATE, {"name": "Sneaky", "scopes": ["audit:read"]}, token=customer)

    assert response.data["createApiKey"] == {
        "apiKey": None,
        "secret": None,
        "errors": [{"code": "FORBIDDEN", "field": ["scopes"]}],
    }


async def test_creating_a_key_needs_step_up(runtime: Runtime, graphql: GraphQLClient) -> None:
    user = await create_user(runtime.services, roles=["admin"])
    password_only = tokens_of(await login(graphql, user.email, PASSWORD))["accessToken"]

    response = await graphql(CREATE, {"name": "X", "scopes": ["roles:read"]}, token=password_only)

    assert response.errors[0]["extensions"] == {"code": "FORBIDDEN", "reason": "STEP_UP_REQUIRED"}


async def test_another_users_key_cannot_be_revoked(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    admin = await stepped_up_token(runtime, graphql, roles=["admin"])
    created = await graphql(CREATE, {"name": "Mine", "scopes": ["roles:read"]}, token=admin)
    mallory = await stepped_up_token(runtime, graphql)

    attempt = await graphql(
        REVOKE, {"id": created.data["createApiKey"]["apiKey"]["id"]}, token=mallory
    )
    still_works = await graphql(ROLES, headers=api_key(created.data["createApiKey"]["secret"]))

    assert attempt.data["revokeApiKey"] == {"apiKey": None, "errors": [{"code": "NOT_FOUND"}]}
    assert still_works.errors == []
