"""Data subject rights through GraphQL: a fully furnished subject, requests and decisions."""

import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import asyncpg

from domain.shared.ids import global_id
from server.app import Runtime
from tests.support.databases import plain_url
from tests.support.factories import PASSWORD, create_user, token_for
from tests.support.graphql import GraphQLClient, GraphQLResponse
from tests.support.identity import (
    BEGIN,
    COMPLETE,
    CONFIRM,
    challenge_for,
    code_at,
    deliver_outbox,
    login,
    tokens_of,
)
from tests.support.payments import ACCOUNTS, Customer, deposit

EXPORT_MINE = "{ exportMyData { subjectId generatedAt document } }"
EXPORT_SUBJECT = (
    "query($user: ID!) { exportSubjectData(userId: $user) { subjectId generatedAt document } }"
)
REQUEST = """mutation($reason: String!) { requestErasure(input: {reason: $reason}) {
  request { id status reason subjectId } errors { code field message } } }"""
APPROVE = """mutation($id: ID!) { approveErasure(input: {requestId: $id}) {
  request { id status reason decidedBy erased } errors { code field message } } }"""
REJECT = """mutation($id: ID!, $reason: String!) { rejectErasure(input: {requestId: $id, reason: $reason}) {
  request { id status decisionReason } errors { code field message } } }"""
TRANSFER = """
mutation($key: String!, $from: ID!, $to: ID!, $amount: SafeInt!, $reference: String!) {
  transfer(input: {idempotencyKey: $key, fromAccountId: $from, to: {accountId: $to},
                   amount: {amountMinor: $amount, currency: NAD}, reference: $reference}) {
    transaction { id } errors { code message }
  }
}
"""
SUBMIT_KYC = """mutation($input: SubmitKycInput!) { submitKyc(input: $input) {
  kyc { id } errors { code } } }"""
REVIEW_KYC = """mutation($id: ID!) { reviewKyc(input: {id: $id, decision: APPROVE, reason: "ID matches"}) {
  errors { code } } }"""
CREATE_KEY = """mutation { createApiKey(input: {name: "Till at the market", scopes: ["payments:transfer"]}) {
  secret errors { code } } }"""


@dataclass
class Subject:
    """A customer with KYC, MFA, an API key, sessions and a funded wallet."""

    user_id: uuid.UUID
    global_id: str
    email: str
    full_name: str
    national_id: str
    phone: str
    wallet: Customer
    api_key: str
    refresh_token: str


async def furnished_subject(
    runtime: Runtime, graphql: GraphQLClient, *, full_name: str, national_id: str, phone: str
) -> Subject:
    email = f"{full_name.split(maxsplit=1)[0].lower()}-{uuid.uuid4().hex[:6]}@example.na"
    user = await create_user(runtime.services, email=email, full_name=full_name)
    await deliver_outbox(runtime)  # opens the wallet
    first = tokens_of(await login(graphql, email, PASSWORD))
    begun = await graphql(BEGIN, token=first["accessToken"])
    uri = begun.data["beginTotpEnrollment"]["otpauthUri"]
    secret = parse_qs(urlsplit(uri).query)["secret"][0]
    confirmed = await graphql(CONFIRM, {"code": code_at(secret, -1)}, token=first["accessToken"])
    assert confirmed.data["confirmTotpEnrollment"]["errors"] == []
    completed = await graphql(
        COMPLETE, {"challenge": await challenge_for(graphql, email), "code": code_at(secret, 1)}
    )
    stepped_up = completed.data["completeMfaLogin"]["tokens"]
    created = await graphql(CREATE_KEY, token=stepped_up["accessToken"])
    assert created.data["createApiKey"]["errors"] == [], created.body
    kyc = await graphql(
        SUBMIT_KYC,
        {"input": {"nationalId": national_id, "phone": phone, "dateOfBirth": "1990-01-01"}},
        token=first["accessToken"],
    )
    verifier = await staff(runtime, "verifier")
    reviewed = await graphql(REVIEW_KYC, {"id": kyc.data["submitKyc"]["kyc"]["id"]}, token=verifier)
    assert reviewed.data["reviewKyc"]["errors"] == []
    (account,) = (await graphql(ACCOUNTS, token=first["accessToken"])).data["me"]["accounts"]
    funded = await deposit(graphql, first["accessToken"], account["id"], 100_000)
    assert funded.data["deposit"]["errors"] == [], funded.body
    return Subject(
        user_id=user.id,
        global_id=global_id("User", user.id),
        email=email,
        full_name=full_name,
        national_id=national_id,
        phone=phone,
        wallet=Customer(first["accessToken"], account["id"]),
        api_key=created.data["createApiKey"]["secret"],
        refresh_token=stepped_up["refreshToken"],
    )


async def staff(runtime: Runtime, role: str) -> str:
    return await token_for(runtime.services, await create_user(runtime.services, roles=[role]))


async def send(
    graphql: GraphQLClient, sender: Customer, recipient: Customer, amount: int, reference: str
) -> str:
    variables = {
        "key": uuid.uuid4().hex,
        "from": sender.account_id,
        "to": recipient.account_id,
        "amount": amount,
        "reference": reference,
    }
    sent = await graphql(TRANSFER, variables, token=sender.token)
    assert sent.data["transfer"]["errors"] == [], sent.body
    return sent.data["transfer"]["transaction"]["id"]  # type: ignore[no-any-return]


async def requested(graphql: GraphQLClient, token: str, reason: str = "Leaving Elcorp") -> str:
    answer = await graphql(REQUEST, {"reason": reason}, token=token)
    assert answer.data["requestErasure"]["errors"] == [], answer.body
    return answer.data["requestErasure"]["request"]["id"]  # type: ignore[no-any-return]


async def approve(graphql: GraphQLClient, officer: str, request_id: str) -> GraphQLResponse:
    return await graphql(APPROVE, {"id": request_id}, token=officer)


async def fetch(database_url: str, query: str, *args: Any) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        return list(await connection.fetch(query, *args))
    finally:
        await connection.close()


async def rows_by_table(database_url: str) -> dict[str, str]:
    """Every table's rows (every column) as text, in a stable order."""
    tables = await fetch(
        database_url, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
    )
    dumps = {}
    for (table,) in tables:
        (row,) = await fetch(
            database_url,
            f"SELECT string_agg(t::text, ' ' ORDER BY t::text) AS dump FROM \"{table}\" t",
        )
        dumps[table] = row["dump"] or ""
    return dumps


async def every_row_as_text(database_url: str) -> str:
    """The whole database as text, to search for plaintext."""
    return "\n".join((await rows_by_table(database_url)).values())
