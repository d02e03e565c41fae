"""Password reset by emailed code and password change, through GraphQL."""

from server.app import Runtime
from tests.support.factories import PASSWORD, create_user
from tests.support.graphql import GraphQLClient
from tests.support.identity import last_code_sent_to, login, refresh, tokens_of

REQUEST = "mutation($email: String!) { requestPasswordReset(input: {email: $email}) { ok errors { code } } }"
RESET = "mutation($token: String!, $password: String!) { resetPassword(input: {token: $token, newPassword: $password}) { ok errors { code field } } }"
CHANGE = "mutation($current: String!, $new: String!) { changePassword(input: {currentPassword: $current, newPassword: $new}) { ok errors { code field } } }"
NEW_PASSWORD = "a brand new passphrase"


async def test_a_reset_sets_the_password_once_and_ends_every_session(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    user = await create_user(runtime.services)
    old_session = tokens_of(await login(graphql, user.email, PASSWORD))

    known = await graphql(REQUEST, {"email": user.email.upper()})
    unknown = await graphql(REQUEST, {"email": "ghost@example.na"})
    code = await last_code_sent_to(runtime, user.email)
    weak = await graphql(RESET, {"token": code, "password": "short"})
    done = await graphql(RESET, {"token": code, "password": NEW_PASSWORD})
    again = await graphql(RESET, {"token": code, "password": "another new passphrase"})

    assert known.data == unknown.data == {"requestPasswordReset": {"ok": True, "errors": []}}
    assert weak.data["resetPassword"]["errors"] == [
        {"code": "WEAK_PASSWORD", "field": ["newPassword"]}
    ]
    assert done.data["resetPassword"] == {"ok": True, "errors": []}
    assert again.data["resetPassword"]["errors"][0]["code"] == "INVALID_TOKEN"
    assert (await login(graphql, user.email, PASSWORD)).data["login"]["errors"][0][
        "code"
    ] == "INVALID_CREDENTIALS"
    assert (await login(graphql, user.email, NEW_PASSWORD)).data["login"]["errors"] == []
    stale = await refresh(graphql, old_session["refreshToken"])
    assert stale.data["refreshSession"]["errors"][0]["code"] == "INVALID_TOKEN"


async def test_changing_the_password_needs_the_current_one_and_ends_other_sessions(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    user = await create_user(runtime.services)
    phone = tokens_of(await login(graphql, user.email, PASSWORD, device="phone"))
    laptop = tokens_of(await login(graphql, user.email, PASSWORD, device="laptop"))

    wrong = await graphql(
        CHANGE, {"current": "not my password", "new": NEW_PASSWORD}, token=laptop["accessToken"]
    )
    changed = await graphql(
        CHANGE, {"current": PASSWORD, "new": NEW_PASSWORD}, token=laptop["accessToken"]
    )
    laptop_still_in = await graphql("{ me { email } }", token=laptop["accessToken"])
    phone_out = await graphql("{ me { email } }", token=phone["accessToken"])

    assert wrong.data["changePassword"]["errors"] == [
        {"code": "INVALID_CREDENTIALS", "field": None}
    ]
    assert changed.data["changePassword"] == {"ok": True, "errors": []}
    assert laptop_still_in.data == {"me": {"email": user.email}}
    assert phone_out.status_code == 401
