"""Register → verify → login → refresh → logout, through GraphQL."""

from server.app import Runtime
from tests.support.factories import PASSWORD, create_user
from tests.support.graphql import GraphQLClient
from tests.support.identity import (
    VERIFY,
    last_code_sent_to,
    login,
    refresh,
    register,
    tokens_of,
)

ME = "{ me { email } }"


async def test_the_whole_journey_from_sign_up_to_sign_out(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    signed_up = await register(graphql, "Nda@Example.NA", PASSWORD)
    before_verifying = await login(graphql, "nda@example.na", PASSWORD)
    code = await last_code_sent_to(runtime, "nda@example.na")
    verified = await graphql(VERIFY, {"token": code})
    reused_code = await graphql(VERIFY, {"token": code})
    tokens = tokens_of(await login(graphql, "nda@example.na", PASSWORD))
    me = await graphql(ME, token=tokens["accessToken"])
    renewed = tokens_of(await refresh(graphql, tokens["refreshToken"]), "refreshSession")
    still_me = await graphql(ME, token=renewed["accessToken"])
    logged_out = await graphql("mutation { logout { ok } }", token=renewed["accessToken"])
    after_logout = await graphql(ME, token=renewed["accessToken"])
    refresh_after_logout = await refresh(graphql, renewed["refreshToken"])

    assert signed_up.data["register"]["errors"] == []
    assert before_verifying.data["login"]["errors"][0]["code"] == "EMAIL_NOT_VERIFIED"
    assert verified.data["verifyEmail"] == {"verified": True, "errors": []}
    assert reused_code.data["verifyEmail"]["errors"] == [{"code": "INVALID_TOKEN"}]
    assert tokens["tokenType"] == "Bearer"
    assert tokens["session"]["current"] is True
    assert me.data == {"me": {"email": "nda@example.na"}}
    assert renewed["refreshToken"] != tokens["refreshToken"]
    assert still_me.data == {"me": {"email": "nda@example.na"}}
    assert logged_out.data == {"logout": {"ok": True}}
    assert (after_logout.status_code, after_logout.error_codes) == (401, ["UNAUTHENTICATED"])
    assert refresh_after_logout.data["refreshSession"]["errors"][0]["code"] == "INVALID_TOKEN"


async def test_weak_passwords_and_taken_emails_are_typed_errors(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    await create_user(runtime.services, email="taken@example.na")

    short = await register(graphql, "new@example.na", "short")
    taken = await register(graphql, "TAKEN@example.na", PASSWORD)
    retry = await register(graphql, "new@example.na", PASSWORD)

    assert short.data["register"] == {
        "userId": None,
        "errors": [
            {
                "code": "WEAK_PASSWORD",
                "field": ["password"],
                "message": "Passwords are 12 to 256 characters",
            }
        ],
    }
    assert taken.data["register"]["errors"][0]["code"] == "CONFLICT"
    assert retry.data["register"]["errors"] == []


async def test_unknown_email_and_wrong_password_look_the_same(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    user = await create_user(runtime.services)

    wrong_password = await login(graphql, user.email, "not the right password")
    unknown_email = await login(graphql, "nobody@example.na", "not the right password")

    assert wrong_password.data == unknown_email.data
    assert wrong_password.data["login"]["errors"] == [
        {"code": "INVALID_CREDENTIALS", "field": None, "message": "Invalid email or password"}
    ]


async def test_resending_verification_answers_the_same_for_unknown_addresses(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    await register(graphql, "nda@example.na", PASSWORD)
    query = "mutation($email: String!) { resendVerification(input: {email: $email}) { ok errors { code } } }"

    known = await graphql(query, {"email": "nda@example.na"})
    unknown = await graphql(query, {"email": "ghost@example.na"})
    code = await last_code_sent_to(runtime, "nda@example.na")
    verified = await graphql(VERIFY, {"token": code})

    assert known.data == unknown.data == {"resendVerification": {"ok": True, "errors": []}}
    assert verified.data["verifyEmail"]["verified"] is True


async def test_a_forged_verification_code_is_refused(graphql: GraphQLClient) -> None:
    forged = "0" * 32 + "." + "0" * 64

    response = await graphql(VERIFY, {"token": forged})

    assert response.data["verifyEmail"] == {
        "verified": False,
        "errors": [{"code": "INVALID_TOKEN"}],
    }
