"""Drives identity's public mutations the way a client would."""

import re
from typing import Any

from adapters.mail import RedisMailbox
from server.app import Runtime
from server.bootstrap import build_dispatcher
from tests.support.graphql import GraphQLClient, GraphQLResponse

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
    await build_dispatcher(runtime.services).dispatch_once()


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
