"""Credentials: none is anonymous; a bad or revoked one is UNAUTHENTICATED, never anonymous."""

import httpx
from redis.asyncio import Redis

from auth.middleware import denylist_key
from server.app import Runtime, create_app
from server.settings import Settings
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient

ME = "{ me { email fullName roles } }"
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


async def test_a_valid_access_token_identifies_the_user(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    user = await create_user(runtime.services, roles=["customer"], email="Ada@Example.NA")

    response = await graphql(ME, token=await token_for(runtime.services, user))

    assert response.result == {
        "data": {
            "me": {"email": "ada@example.na", "fullName": "Test Person", "roles": ["customer"]}
        }
    }


async def test_anonymous_callers_are_told_to_authenticate(graphql: GraphQLClient) -> None:
    response = await graphql(ME)

    assert response.data == {"me": None}
    assert response.error_codes == ["UNAUTHENTICATED"]


async def test_a_forged_token_is_rejected_not_treated_as_anonymous(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    user = await create_user(runtime.services)
    token = await token_for(runtime.services, user)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")

    response = await graphql("{ __typename }", token=forged)

    assert response.status_code == 401
    assert response.error_codes == ["UNAUTHENTICATED"]
    assert "data" not in response.body


async def test_unknown_schemes_and_api_keys_are_rejected(graphql: GraphQLClient) -> None:
    basic = await graphql("{ __typename }", headers={"authorization": "Basic dXNlcjpwYXNz"})
    api_key = await graphql("{ __typename }", headers={"authorization": "ApiKey nope"})

    assert (basic.status_code, basic.error_codes) == (401, ["UNAUTHENTICATED"])
    assert (api_key.status_code, api_key.error_codes) == (401, ["UNAUTHENTICATED"])


async def test_a_denylisted_token_is_rejected(
    runtime: Runtime, graphql: GraphQLClient, redis_url: str
) -> None:
    user = await create_user(runtime.services)
    token = await token_for(runtime.services, user)
    claims = runtime.services.tokens.verify(token)
    redis = Redis.from_url(redis_url)
    await redis.set(denylist_key(claims.token_id), "1", ex=600)
    await redis.aclose()

    response = await graphql(ME, token=token)

    assert response.status_code == 401
    assert response.error_codes == ["UNAUTHENTICATED"]


async def test_token_checks_fail_closed_when_redis_is_unreachable(
    runtime: Runtime, settings: Settings
) -> None:
    user = await create_user(runtime.services)
    token = await token_for(runtime.services, user)
    without_redis = Runtime(settings.model_copy(update={"redis_url": UNREACHABLE_REDIS}))
    app = create_app(settings, runtime=without_redis)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://testserver"
        ) as http:
            response = await GraphQLClient(http)(ME, token=token)
    finally:
        await without_redis.stop()

    assert response.status_code == 503
    assert response.error_codes == ["SERVICE_UNAVAILABLE"]


async def test_jwks_publishes_the_verification_key(http) -> None:
    response = await http.get("/.well-known/jwks.json")

    (key,) = response.json()["keys"]
    assert key["kty"] == "OKP"
    assert key["alg"] == "Ed25519"
    assert "d" not in key
