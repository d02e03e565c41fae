"""Drives identity's public mutations the way a client would."""

import re
import time
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pyotp

from adapters.mail import RedisMailbox
from auth.mfa import STEP_S
from server.app import Runtime
from server.bootstrap import build_dispatcher
from tests.support.factories import PASSWORD, create_user
from tests.support.graphql import GraphQLClient, GraphQLResponse

STEP_MARGIN_S = 2.0

REGISTER = """
mutation($input: RegisterInput!) { register(input: $input) { userId errors { code field message } } }
"""
VERIFY = (
    "mutation($token: String!) { verifyEmail(input: {token: $token}) { verified errors { code } } }"
)
LOGIN = """
mutation($email: String!, $password: String!, $device: String!) {
  login(input: {email: $email, password: $password, device: {id: $device, name: "Test phone"}}) {
    tokens { accessToken refreshToken tokenType session { id deviceId current } }
    mfaChallenge
    errors { code field message }
  }
}
"""
REFRESH = """
mutation($token: String!, $device: String!) {
  refreshSession(input: {refreshToken: $token, deviceId: $device}) {
    tokens { accessToken refreshToken }
    errors { code field message }
  }
}
"""
CODE = re.compile(r"^([0-9a-f]{32}\.[0-9a-f]{64})$", re.MULTILINE)


async def deliver_outbox(runtime: Runtime) -> None:
    """Dispatches until the outbox is empty (handlers may add events of their own)."""
    dispatcher = build_dispatcher(runtime.services)
    while await dispatcher.dispatch_once():
        pass


async def last_code_sent_to(runtime: Runtime, email: str) -> str:
    await deliver_outbox(runtime)
    for message in await RedisMailbox(runtime.redis).messages():
        if message.to == email and (match := CODE.search(message.body)):
            return match.group(1)
    raise AssertionError(f"no code was emailed to {email}")


async def register(graphql: GraphQLClient, email: str, password: str) -> GraphQLResponse:
    variables = {"input": {"email": email, "password": password, "fullName": "Ndapewa Shikongo"}}
    return await graphql(REGISTER, variables)


async def login(
    graphql: GraphQLClient, email: str, password: str, device: str = "phone-1"
) -> GraphQLResponse:
    return await graphql(LOGIN, {"email": email, "password": password, "device": device})


async def refresh(graphql: GraphQLClient, token: str, device: str = "phone-1") -> GraphQLResponse:
    return await graphql(REFRESH, {"token": token, "device": device})


def tokens_of(response: GraphQLResponse, field: str = "login") -> dict[str, Any]:
    payload = response.data[field]
    assert payload["errors"] == [], payload["errors"]
    return payload["tokens"]  # type: ignore[no-any-return]


BEGIN = "mutation { beginTotpEnrollment { otpauthUri qrCodeSvg errors { code } } }"
CONFIRM = "mutation($code: String!) { confirmTotpEnrollment(input: {code: $code}) { backupCodes errors { code message } } }"
COMPLETE = """
mutation($challenge: String!, $code: String, $backup: String) {
  completeMfaLogin(input: {challenge: $challenge, code: $code, backupCode: $backup}) {
    tokens { accessToken refreshToken }
    errors { code field }
  }
}
"""


def code_at(secret: str, offset_steps: int) -> str:
    """The code `offset_steps` from now, never taken in a step's last seconds: the server
    checks it a moment later, and a step that ended meanwhile would shift the window."""
    left_in_step = STEP_S - time.time() % STEP_S
    if left_in_step < STEP_MARGIN_S:
        time.sleep(left_in_step)
    return pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=STEP_S * offset_steps))


async def enrolled_user(
    runtime: Runtime, graphql: GraphQLClient, roles: Sequence[str] = ("customer",)
) -> tuple[str, str, list[str]]:
    """A user with TOTP on: (email, secret, backup codes); the current step is used up."""
    user = await create_user(runtime.services, roles=roles)
    access = tokens_of(await login(graphql, user.email, PASSWORD))["accessToken"]
    begun = await graphql(BEGIN, token=access)
    uri = begun.data["beginTotpEnrollment"]["otpauthUri"]
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    confirmed = await graphql(CONFIRM, {"code": code_at(secret, -1)}, token=access)
    assert confirmed.data["confirmTotpEnrollment"]["errors"] == []
    return user.email, secret, confirmed.data["confirmTotpEnrollment"]["backupCodes"]


async def challenge_for(graphql: GraphQLClient, email: str) -> str:
    response = await login(graphql, email, PASSWORD)
    assert response.data["login"]["tokens"] is None
    return response.data["login"]["mfaChallenge"]  # type: ignore[no-any-return]


async def stepped_up_token(
    runtime: Runtime, graphql: GraphQLClient, roles: Sequence[str] = ("customer",)
) -> str:
    """An access token from a login completed with TOTP just now."""
    email, secret, _ = await enrolled_user(runtime, graphql, roles)
    challenge = await challenge_for(graphql, email)
    completed = await graphql(COMPLETE, {"challenge": challenge, "code": code_at(secret, 1)})
    return completed.data["completeMfaLogin"]["tokens"]["accessToken"]  # type: ignore[no-any-return]
