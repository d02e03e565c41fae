"""Two-factor sign-in through GraphQL: enrolment, TOTP and backup-code logins, step-up."""

from urllib.parse import parse_qs, urlsplit

from server.app import Runtime
from tests.support.factories import PASSWORD, create_user
from tests.support.graphql import GraphQLClient
from tests.support.identity import (
    BEGIN,
    COMPLETE,
    CONFIRM,
    challenge_for,
    code_at,
    enrolled_user,
    login,
    tokens_of,
)

DISABLE = "mutation { disableTotp { ok errors { code } } }"


async def test_enrolment_gives_a_qr_code_and_ten_backup_codes(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    user = await create_user(runtime.services)
    access = tokens_of(await login(graphql, user.email, PASSWORD))["accessToken"]

    begun = await graphql(BEGIN, token=access)
    wrong = await graphql(CONFIRM, {"code": "000000"}, token=access)
    secret = parse_qs(urlsplit(begun.data["beginTotpEnrollment"]["otpauthUri"]).query)["secret"][0]
    right = await graphql(CONFIRM, {"code": code_at(secret, 0)}, token=access)

    assert begun.data["beginTotpEnrollment"]["qrCodeSvg"].startswith("data:image/svg+xml")
    assert user.email.replace("@", "%40") in begun.data["beginTotpEnrollment"]["otpauthUri"]
    assert wrong.data["confirmTotpEnrollment"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    codes = right.data["confirmTotpEnrollment"]["backupCodes"]
    assert len(codes) == len(set(codes)) == 10


async def test_login_with_totp_and_a_replayed_code_fails(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    email, secret, _ = await enrolled_user(runtime, graphql)
    code = code_at(secret, 1)

    first = await graphql(
        COMPLETE, {"challenge": await challenge_for(graphql, email), "code": code}
    )
    replay = await graphql(
        COMPLETE, {"challenge": await challenge_for(graphql, email), "code": code}
    )
    me = await graphql(
        "{ me { email } }", token=first.data["completeMfaLogin"]["tokens"]["accessToken"]
    )

    assert first.data["completeMfaLogin"]["errors"] == []
    assert replay.data["completeMfaLogin"]["errors"] == [
        {"code": "INVALID_CREDENTIALS", "field": ["code"]}
    ]
    assert me.data == {"me": {"email": email}}


async def test_a_backup_code_works_once(runtime: Runtime, graphql: GraphQLClient) -> None:
    email, _, backup_codes = await enrolled_user(runtime, graphql)

    first = await graphql(
        COMPLETE,
        {"challenge": await challenge_for(graphql, email), "backup": backup_codes[0].lower()},
    )
    again = await graphql(
        COMPLETE, {"challenge": await challenge_for(graphql, email), "backup": backup_codes[0]}
    )

    assert first.data["completeMfaLogin"]["errors"] == []
    assert again.data["completeMfaLogin"]["errors"][0]["code"] == "INVALID_CREDENTIALS"


async def test_a_challenge_signs_in_once(runtime: Runtime, graphql: GraphQLClient) -> None:
    email, secret, backup_codes = await enrolled_user(runtime, graphql)
    challenge = await challenge_for(graphql, email)

    first = await graphql(COMPLETE, {"challenge": challenge, "code": code_at(secret, 1)})
    reused = await graphql(COMPLETE, {"challenge": challenge, "backup": backup_codes[0]})

    assert first.data["completeMfaLogin"]["errors"] == []
    assert reused.data["completeMfaLogin"]["errors"][0]["code"] == "INVALID_TOKEN"


async def test_disabling_totp_needs_a_fresh_second_factor(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    user = await create_user(runtime.services)
    password_only = tokens_of(await login(graphql, user.email, PASSWORD))["accessToken"]
    email, secret, _ = await enrolled_user(runtime, graphql)
    completed = await graphql(
        COMPLETE, {"challenge": await challenge_for(graphql, email), "code": code_at(secret, 1)}
    )
    with_mfa = completed.data["completeMfaLogin"]["tokens"]["accessToken"]

    refused = await graphql(DISABLE, token=password_only)
    allowed = await graphql(DISABLE, token=with_mfa)
    relogin = await login(graphql, email, PASSWORD)

    assert refused.error_codes == ["FORBIDDEN"]
    assert refused.errors[0]["extensions"]["reason"] == "STEP_UP_REQUIRED"
    assert allowed.data == {"disableTotp": {"ok": True, "errors": []}}
    assert relogin.data["login"]["tokens"] is not None


async def test_regenerated_backup_codes_replace_the_old_ones(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    email, secret, old_codes = await enrolled_user(runtime, graphql)
    completed = await graphql(
        COMPLETE, {"challenge": await challenge_for(graphql, email), "code": code_at(secret, 1)}
    )
    token = completed.data["completeMfaLogin"]["tokens"]["accessToken"]

    regenerated = await graphql(
        "mutation { regenerateBackupCodes { backupCodes errors { code } } }", token=token
    )
    new_codes = regenerated.data["regenerateBackupCodes"]["backupCodes"]
    old = await graphql(
        COMPLETE, {"challenge": await challenge_for(graphql, email), "backup": old_codes[1]}
    )
    new = await graphql(
        COMPLETE, {"challenge": await challenge_for(graphql, email), "backup": new_codes[0]}
    )

    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    assert old.data["completeMfaLogin"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert new.data["completeMfaLogin"]["errors"] == []
