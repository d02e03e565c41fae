import uuid
from dataclasses import dataclass
from typing import Any

from server.app import Runtime
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient, GraphQLResponse
from tests.support.identity import deliver_outbox

ACCOUNTS = "{ me { accounts { id currency balance { amountMinor } } } }"
DEPOSIT = """
mutation($key: String!, $account: ID!, $amount: SafeInt!) {
  deposit(input: {idempotencyKey: $key, accountId: $account, amount: {amountMinor: $amount, currency: NAD}}) {
    transaction { id status amount { amountMinor } failureReason }
    errors { code field message }
  }
}
"""
TRANSFER = """
mutation($key: String!, $from: ID!, $to: ID!, $amount: SafeInt!) {
  transfer(input: {idempotencyKey: $key, fromAccountId: $from, to: {accountId: $to},
                   amount: {amountMinor: $amount, currency: NAD}, reference: "test"}) {
    transaction { id status amount { amountMinor } }
    errors { code field message }
  }
}
"""


@dataclass
class Customer:
    token: str
    account_id: str


async def customer(
    runtime: Runtime, graphql: GraphQLClient, balance_minor: int = 0, name: str = "Test Person"
) -> Customer:
    """A signed-in customer whose NAD wallet holds `balance_minor`, deposited via the API."""
    user = await create_user(runtime.services, full_name=name)
    await deliver_outbox(runtime)
    token = await token_for(runtime.services, user)
    (account,) = (await graphql(ACCOUNTS, token=token)).data["me"]["accounts"]
    if balance_minor:
        funded = await deposit(graphql, token, account["id"], balance_minor)
        assert funded.data["deposit"]["errors"] == [], funded.body
    return Customer(token, account["id"])


async def deposit(
    graphql: GraphQLClient, token: str, account: str, amount: int, key: str | None = None
) -> GraphQLResponse:
    variables = {"key": key or uuid.uuid4().hex, "account": account, "amount": amount}
    return await graphql(DEPOSIT, variables, token=token)


async def transfer(
    graphql: GraphQLClient,
    sender: Customer,
    recipient: Customer,
    amount: int,
    key: str | None = None,
) -> GraphQLResponse:
    variables: dict[str, Any] = {
        "key": key or uuid.uuid4().hex,
        "from": sender.account_id,
        "to": recipient.account_id,
        "amount": amount,
    }
    return await graphql(TRANSFER, variables, token=sender.token)


async def balance_of(graphql: GraphQLClient, who: Customer) -> int:
    (account,) = (await graphql(ACCOUNTS, token=who.token)).data["me"]["accounts"]
    return account["balance"]["amountMinor"]  # type: ignore[no-any-return]
