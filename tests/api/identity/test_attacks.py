"""Attacks on sign-in and tokens: each is refused and changes nothing it should not."""

import base64
import json
from datetime import timedelta

import pytest
from cryptography.hazmat.primitives import hashes, hmac
from sqlalchemy import select

from auth.tokens import TokenService, load_signing_key
from domain.shared.clock import FixedClock, SystemClock
from persistence.compliance.tables import AuditLogRow
from server.app import Runtime
from tests.support.factories import PASSWORD, create_user, token_for
from tests.support.graphql import GraphQLClient
from tests.support.identity import login, refresh, tokens_of

ME = "{ me { email } }"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unsigned(header: dict, claims: dict) -> str:  # type: ignore[type-arg]
    return f"{b64(json.dumps(header).encode())}.{b64(json.dumps(claims).encode())}."


def claims_of(token: str) -> dict:  # type: ignore[type-arg]
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))  # type: ignore[no-any-return]


async def assert_rejected(graphql: GraphQLClient, token: str) -> None:
    response = await graphql(ME, token=token)
    assert (response.status_code, response.error_codes) == (401, ["UNAUTHENTICATED"])


async def test_alg_none_is_rejected(runtime: Runtime, graphql: GraphQLClient) -> None:
    user = await create_user(runtime.services)
    claims = claims_of(await token_for(runtime.services, user))

    await assert_rejected(graphql, unsigned({"alg": "none", "typ": "JWT"}, claims))


async def test_hs256_signed_with_the_public_key_is_rejected(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    user = await create_user(runtime.services)
    claims = claims_of(await token_for(runtime.services, user))
    public_key = json.dumps(runtime.services.tokens.public_jwks["keys"][0]).encode()
    signing_input = f"{b64(json.dumps({'alg': 'HS256', 'typ': 'JWT'}).encode())}.{b64(json.dumps(claims).encode())}"
    mac = hmac.HMAC(public_key, hashes.SHA256())
    mac.update(signing_input.encode())

    await assert_rejected(graphql, f"{signing_input}.{b64(mac.finalize())}")


async def test_a_tampered_payload_is_rejected(runtime: Runtime, graphql: GraphQLClient) -> None:
    victim = await create_user(runtime.services)
    mallory = await create_user(runtime.services)
    header, _, signature = (await token_for(runtime.services, mallory)).split(".")
    forged_claims = claims_of(await token_for(runtime.services, mallory)) | {"sub": str(victim.id)}

    await assert_rejected(
        graphql, f"{header}.{b64(json.dumps(forged_claims).encode())}.{signature}"
    )


@pytest.mark.parametrize(
    ("issuer", "audience", "age"),
    [
        ("https://api.elcorp.na", "elcorp-api", timedelta(minutes=11)),
        ("https://evil.example", "elcorp-api", timedelta(0)),
        ("https://api.elcorp.na", "another-api", timedelta(0)),
    ],
    ids=["expired", "wrong-issuer", "wrong-audience"],
)
async def test_expired_or_foreign_tokens_are_rejected(
    runtime: Runtime, graphql: GraphQLClient, issuer: str, audience: str, age: timedelta
) -> None:
    user = await create_user(runtime.services)
    real = claims_of(await token_for(runtime.services, user))
    assert runtime.settings.jwt_signing_key is not None
    signing_key = load_signing_key(runtime.settings.jwt_signing_key.get_secret_value())
    clock = FixedClock(SystemClock().now() - age)
    minted = TokenService(signing_key, issuer=issuer, audience=audience, clock=clock)
    token = minted.issue_access(user.id, real["sid"]).token

    await assert_rejected(graphql, token)


async def test_an_mfa_challenge_cannot_stand_in_for_an_access_token(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    user = await create_user(runtime.services)
    challenge = runtime.services.tokens.issue_mfa_challenge(user.id, "phone-1", "Phone")

    await assert_rejected(graphql, challenge)


async def test_a_reused_refresh_token_revokes_the_whole_session(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    user = await create_user(runtime.services)
    first = tokens_of(await login(graphql, user.email, PASSWORD))
    second = tokens_of(await refresh(graphql, first["refreshToken"]), "refreshSession")

    replayed = await refresh(graphql, first["refreshToken"])
    later = await refresh(graphql, second["refreshToken"])

    assert replayed.data["refreshSession"]["errors"][0]["code"] == "INVALID_TOKEN"
    assert "revoked" in replayed.data["refreshSession"]["errors"][0]["message"]
    assert later.data["refreshSession"]["errors"][0]["code"] == "INVALID_TOKEN"
    await assert_rejected(graphql, second["accessToken"])
    async with runtime.services.session_factory() as db:
        actions = list(await db.scalars(select(AuditLogRow.action)))
    assert "identity.refresh_token_reused" in actions


async def test_a_refresh_token_only_works_for_its_device(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    user = await create_user(runtime.services)
    tokens = tokens_of(await login(graphql, user.email, PASSWORD, device="phone-1"))

    stolen = await refresh(graphql, tokens["refreshToken"], device="laptop-9")
    legitimate = await refresh(graphql, tokens["refreshToken"], device="phone-1")

    assert stolen.data["refreshSession"]["errors"][0]["code"] == "INVALID_TOKEN"
    assert legitimate.data["refreshSession"]["errors"] == []


async def test_the_sixth_wrong_password_is_rate_limited_but_others_still_sign_in(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    victim = await create_user(runtime.services)
    bystander = await create_user(runtime.services)

    attempts = [await login(graphql, victim.email, f"wrong password {n}") for n in range(5)]
    sixth = await login(graphql, victim.email, PASSWORD)
    other = await login(graphql, bystander.email, PASSWORD)

    assert all(a.data["login"]["errors"][0]["code"] == "INVALID_CREDENTIALS" for a in attempts)
    assert sixth.error_codes == ["RATE_LIMITED"]
    assert sixth.errors[0]["extensions"]["retryAfter"] > 0
    assert other.data["login"]["errors"] == []


async def test_another_users_session_cannot_be_revoked(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    victim = await create_user(runtime.services)
    mallory = await create_user(runtime.services)
    victim_tokens = tokens_of(await login(graphql, victim.email, PASSWORD))
    query = "mutation($id: ID!) { revokeSession(input: {sessionId: $id}) { session { id } errors { code } } }"

    attempt = await graphql(
        query,
        {"id": victim_tokens["session"]["id"]},
        token=await token_for(runtime.services, mallory),
    )
    victim_still_in = await graphql(ME, token=victim_tokens["accessToken"])

    assert attempt.data["revokeSession"] == {"session": None, "errors": [{"code": "NOT_FOUND"}]}
    assert victim_still_in.data == {"me": {"email": victim.email}}


async def test_sessions_are_listed_and_revocable_by_their_owner(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    user = await create_user(runtime.services)
    phone = tokens_of(await login(graphql, user.email, PASSWORD, device="phone"))
    laptop = tokens_of(await login(graphql, user.email, PASSWORD, device="laptop"))
    listing = "{ sessions(first: 10) { edges { node { id deviceId current revokedAt } } pageInfo { hasNextPage } } }"
    revoke = "mutation($id: ID!) { revokeSession(input: {sessionId: $id}) { session { revokedAt } errors { code } } }"

    before = await graphql(listing, token=laptop["accessToken"])
    revoked = await graphql(revoke, {"id": phone["session"]["id"]}, token=laptop["accessToken"])

    devices = [
        (e["node"]["deviceId"], e["node"]["current"]) for e in before.data["sessions"]["edges"]
    ]
    assert devices == [("laptop", True), ("phone", False)]
    assert revoked.data["revokeSession"]["errors"] == []
    await assert_rejected(graphql, phone["accessToken"])


async def test_logout_all_ends_every_session(runtime: Runtime, graphql: GraphQLClient) -> None:
    user = await create_user(runtime.services)
    phone = tokens_of(await login(graphql, user.email, PASSWORD, device="phone"))
    laptop = tokens_of(await login(graphql, user.email, PASSWORD, device="laptop"))

    done = await graphql("mutation { logoutAll { ok } }", token=laptop["accessToken"])

    assert done.data == {"logoutAll": {"ok": True}}
    await assert_rejected(graphql, phone["accessToken"])
    await assert_rejected(graphql, laptop["accessToken"])
    refreshed = await refresh(graphql, phone["refreshToken"], device="phone")
    assert refreshed.data["refreshSession"]["errors"][0]["code"] == "INVALID_TOKEN"
