"""GraphQL calls for payouts, merchants, refunds and reversals, and gateway callbacks."""

import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx
import orjson

from adapters.gateway_signature import HEADER, sign
from server.app import Runtime
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient, GraphQLResponse
from tests.support.payments import Customer, customer

TRANSACTION_FIELDS = """
transaction { id kind status amount { amountMinor currency } fee { amountMinor }
              refunded { amountMinor } failureReason originalTransactionId }
errors { code field message }
"""
WITHDRAW = f"""
mutation($key: String!, $account: ID!, $amount: SafeInt!) {{
  withdraw(input: {{idempotencyKey: $key, accountId: $account,
                   amount: {{amountMinor: $amount, currency: NAD}}, reference: "payout"}}) {{
    {TRANSACTION_FIELDS}
  }}
}}
"""
PAY_MERCHANT = f"""
mutation($key: String!, $merchant: ID!, $amount: SafeInt!) {{
  payMerchant(input: {{idempotencyKey: $key, merchantId: $merchant,
                      amount: {{amountMinor: $amount, currency: NAD}}, reference: "order 7"}}) {{
    {TRANSACTION_FIELDS}
  }}
}}
"""
REFUND = f"""
mutation($key: String!, $payment: ID!, $amount: SafeInt!) {{
  refundPayment(input: {{idempotencyKey: $key, transactionId: $payment,
                        amount: {{amountMinor: $amount, currency: NAD}}}}) {{
    {TRANSACTION_FIELDS}
  }}
}}
"""
REVERSE = f"""
mutation($key: String!, $transaction: ID!, $reason: String!) {{
  reverseTransaction(input: {{idempotencyKey: $key, transactionId: $transaction,
                             reason: $reason}}) {{
    {TRANSACTION_FIELDS}
  }}
}}
"""
APPLY = """
mutation($name: String!) {
  applyAsMerchant(input: {tradingName: $name}) {
    merchant { id tradingName status } errors { code field message }
  }
}
"""
APPROVE = """
mutation($merchant: ID!) {
  approveMerchant(input: {merchantId: $merchant}) {
    merchant { id status } errors { code field message }
  }
}
"""
ALL_ACCOUNTS = (
    "{ me { accounts { id kind currency balance { amountMinor } available { amountMinor } } } }"
)


def key() -> str:
    return uuid.uuid4().hex


async def withdraw(graphql: GraphQLClient, who: Customer, amount: int) -> GraphQLResponse:
    variables = {"key": key(), "account": who.account_id, "amount": amount}
    return await graphql(WITHDRAW, variables, token=who.token)


async def pay(
    graphql: GraphQLClient, payer: Customer, merchant_id: str, amount: int
) -> GraphQLResponse:
    variables = {"key": key(), "merchant": merchant_id, "amount": amount}
    return await graphql(PAY_MERCHANT, variables, token=payer.token)


async def refund(
    graphql: GraphQLClient, token: str, payment_id: str, amount: int
) -> GraphQLResponse:
    variables = {"key": key(), "payment": payment_id, "amount": amount}
    return await graphql(REFUND, variables, token=token)


async def reverse(
    graphql: GraphQLClient, token: str, transaction_id: str, reason: str = "fraud report"
) -> GraphQLResponse:
    variables = {"key": key(), "transaction": transaction_id, "reason": reason}
    return await graphql(REVERSE, variables, token=token)


async def staff_token(runtime: Runtime, role: str = "staff") -> str:
    return await token_for(runtime.services, await create_user(runtime.services, roles=(role,)))


@dataclass
class ShopOwner:
    owner: Customer
    merchant_id: str


async def approved_merchant(runtime: Runtime, graphql: GraphQLClient) -> ShopOwner:
    """A customer whose shop staff approved; the token is issued after the role grant."""
    owner = await customer(runtime, graphql)
    applied = await graphql(APPLY, {"name": "Kapana Corner"}, token=owner.token)
    merchant_id = applied.data["applyAsMerchant"]["merchant"]["id"]
    approved = await graphql(APPROVE, {"merchant": merchant_id}, token=await staff_token(runtime))
    assert approved.data["approveMerchant"]["errors"] == [], approved.body
    return ShopOwner(owner, merchant_id)


async def accounts(graphql: GraphQLClient, token: str) -> dict[str, dict[str, Any]]:
    """The viewer's accounts by kind (CUSTOMER_WALLET, MERCHANT_SETTLEMENT)."""
    listed = (await graphql(ALL_ACCOUNTS, token=token)).data["me"]["accounts"]
    return {f"{a['kind']}:{a['currency']}": a for a in listed}


async def gateway_callback(
    http: httpx.AsyncClient,
    runtime: Runtime,
    event: dict[str, Any],
    *,
    timestamp: int | None = None,
    secret: bytes | None = None,
) -> httpx.Response:
    body = orjson.dumps(event)
    configured = runtime.settings.gateway_callback_secret
    assert configured is not None
    signature = sign(
        secret or configured.get_secret_value().encode(),
        timestamp if timestamp is not None else int(time.time()),
        body,
    )
    return await http.post(
        "/gateway/callbacks/sandbox",
        content=body,
        headers={HEADER: signature, "content-type": "application/json"},
    )
