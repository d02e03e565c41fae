"""Signing-key rotation, per-address throttling and password rehashing, end to end."""

import httpx
from sqlalchemy import select

from persistence.compliance.tables import AuditLogRow
from server.app import Runtime, create_app
from server.secrets import GENERATORS
from server.settings import Settings
from tests.support.factories import PASSWORD, create_user, token_for
from tests.support.graphql import GraphQLClient
from tests.support.identity import login, tokens_of


async def serve(settings: Settings, runtime: Runtime, work):  # type: ignore[no-untyped-def]
    app = create_app(settings, runtime=runtime)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as http:
            return await work(GraphQLClient(http))
    finally:
        await runtime.stop()


async def test_tokens_of_a_retired_key_verify_until_they_expire(runtime: Runtime) -> None:
    user = await create_user(runtime.services)
    old_token = await token_for(runtime.services, user)
    old_key = runtime.settings.jwt_signing_key
    assert old_key is not None
    rotated = runtime.settings.model_copy(
        update={
            "jwt_signing_key": type(old_key)(GENERATORS["jwt_signing_key"]()),
            "jwt_retired_keys": [old_key.get_secret_value()],
        }
    )
    after_rotation = Runtime(rotated)

    async def use_both(graphql: GraphQLClient):  # type: ignore[no-untyped-def]
        new_token = tokens_of(await login(graphql, user.email, PASSWORD))["accessToken"]
        return await graphql("{ me { email } }", token=old_token), new_token

    old_me, new_token = await serve(rotated, after_rotation, use_both)

    assert old_me.data == {"me": {"email": user.email}}
    assert new_token.split(".")[0] != old_token.split(".")[0]  # another kid in the header
    assert len(after_rotation.services.tokens.public_jwks["keys"]) == 2


async def test_one_address_is_throttled_without_locking_the_account(
    runtime: Runtime, settings: Settings
) -> None:
    user = await create_user(runtime.services)
    strict = settings.model_copy(update={"login_ip_limit_per_minute": 3})

    async def hammer(graphql: GraphQLClient):  # type: ignore[no-untyped-def]
        return [await login(graphql, user.email, PASSWORD) for _ in range(4)]

    attempts = await serve(strict, Runtime(strict), hammer)

    assert [a.error_codes for a in attempts] == [[], [], [], ["RATE_LIMITED"]]


async def test_a_password_is_rehashed_when_the_parameters_change(
    runtime: Runtime, settings: Settings
) -> None:
    user = await create_user(runtime.services)
    stronger = settings.model_copy(update={"password_time_cost": 2})
    stronger_runtime = Runtime(stronger)

    async def sign_in_twice(graphql: GraphQLClient):  # type: ignore[no-untyped-def]
        return [await login(graphql, user.email, PASSWORD) for _ in range(2)]

    first, second = await serve(stronger, stronger_runtime, sign_in_twice)

    assert first.data["login"]["errors"] == second.data["login"]["errors"] == []
    async with runtime.services.session_factory() as db:
        actions = list(await db.scalars(select(AuditLogRow.action)))
    assert actions.count("identity.password_rehashed") == 1
