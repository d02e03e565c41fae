"""Wallets in other currencies, and sending money by email or by KYC-verified phone."""

import uuid

from server.app import Runtime
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient
from tests.support.identity import deliver_outbox
from tests.support.money import accounts
from tests.support.payments import balance_of, customer

OPEN = """
mutation($currency: Currency!) {
  openWallet(input: {currency: $currency}) {
    account { id kind currency balance { amountMinor display } } errors { code field }
  }
}
"""
SEND = """
mutation($key: String!, $from: ID!, $to: RecipientInput!, $amount: SafeInt!, $currency: Currency!) {
  transfer(input: {idempotencyKey: $key, fromAccountId: $from, to: $to,
                   amount: {amountMinor: $amount, currency: $currency}}) {
    transaction { status amount { display } } errors { code field message }
  }
}
"""
SUBMIT_KYC = """
mutation($input: SubmitKycInput!) { submitKyc(input: $input) { kyc { id } errors { code } } }
"""
REVIEW_KYC = """
mutation($id: ID!) {
  reviewKyc(input: {id: $id, decision: APPROVE, reason: "ok"}) { errors { code } }
}
"""


async def send(
    graphql: GraphQLClient,
    token: str,
    source: str,
    to: dict[str, str],
    amount: int,
    currency: str = "NAD",
) -> dict:
    variables = {
        "key": uuid.uuid4().hex,
        "from": source,
        "to": to,
        "amount": amount,
        "currency": currency,
    }
    return (await graphql(SEND, variables, token=token)).body


async def test_a_customer_opens_one_wallet_per_currency(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql)

    opened = (await graphql(OPEN, {"currency": "ZAR"}, token=ada.token)).data["openWallet"]
    again = (await graphql(OPEN, {"currency": "ZAR"}, token=ada.token)).data["openWallet"]
    nad = (await graphql(OPEN, {"currency": "NAD"}, token=ada.token)).data["openWallet"]

    assert opened["account"]["currency"] == "ZAR"
    assert opened["account"]["balance"] == {"amountMinor": 0, "display": "R0.00"}
    assert again["errors"] == [{"code": "CONFLICT", "field": ["currency"]}]
    assert nad["errors"][0]["code"] == "CONFLICT"
    assert set(await accounts(graphql, ada.token)) == {"CUSTOMER_WALLET:NAD", "CUSTOMER_WALLET:ZAR"}


async def test_money_never_crosses_currencies(runtime: Runtime, graphql: GraphQLClient) -> None:
    ada = await customer(runtime, graphql, 5_000)
    bob = await customer(runtime, graphql)
    zar = (await graphql(OPEN, {"currency": "ZAR"}, token=bob.token)).data["openWallet"]

    to_zar = await send(
        graphql, ada.token, ada.account_id, {"accountId": zar["account"]["id"]}, 100
    )
    in_zar = await send(
        graphql, ada.token, ada.account_id, {"accountId": bob.account_id}, 100, "ZAR"
    )

    assert to_zar["data"]["transfer"]["errors"][0]["code"] == "CURRENCY_MISMATCH"
    assert in_zar["data"]["transfer"]["errors"][0]["code"] == "CURRENCY_MISMATCH"
    assert await balance_of(graphql, ada) == 5_000


async def test_send_by_email_or_by_verified_phone(runtime: Runtime, graphql: GraphQLClient) -> None:
    ada = await customer(runtime, graphql, 5_000)
    bob_user = await create_user(runtime.services, email="bob.shikongo@example.na")
    bob_token = await token_for(runtime.services, bob_user)
    await deliver_outbox(runtime)  # opens bob's wallet
    verifier = await token_for(
        runtime.services, await create_user(runtime.services, roles=["verifier"])
    )
    profile = {"nationalId": "90010112345", "phone": "+264811234567", "dateOfBirth": "1990-01-01"}

    by_email = await send(
        graphql, ada.token, ada.account_id, {"email": " Bob.Shikongo@Example.NA"}, 700
    )
    before_kyc = await send(graphql, ada.token, ada.account_id, {"phone": "+264 81 123 4567"}, 300)
    submitted = (await graphql(SUBMIT_KYC, {"input": profile}, token=bob_token)).data
    await graphql(REVIEW_KYC, {"id": submitted["submitKyc"]["kyc"]["id"]}, token=verifier)
    by_phone = await send(graphql, ada.token, ada.account_id, {"phone": "+264 81 123 4567"}, 300)
    unknown = await send(graphql, ada.token, ada.account_id, {"email": "nobody@example.na"}, 1)

    assert by_email["data"]["transfer"]["transaction"]["amount"] == {"display": "N$7.00"}
    assert before_kyc["data"]["transfer"]["errors"][0]["code"] == "NOT_FOUND"
    assert by_phone["data"]["transfer"]["transaction"]["status"] == "COMPLETED"
    assert unknown["data"]["transfer"]["errors"] == [
        {"code": "NOT_FOUND", "field": ["to"], "message": "No NAD wallet belongs to that recipient"}
    ]
    wallet = (await accounts(graphql, bob_token))["CUSTOMER_WALLET:NAD"]
    assert wallet["balance"]["amountMinor"] == 1_000


async def test_a_recipient_is_exactly_one_of_account_email_or_phone(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 5_000)

    both = await send(
        graphql, ada.token, ada.account_id, {"email": "a@b.na", "phone": "+264811234567"}, 1
    )
    neither = await send(graphql, ada.token, ada.account_id, {}, 1)

    assert [e["extensions"]["code"] for e in both["errors"]] == ["GRAPHQL_VALIDATION_FAILED"]
    assert [e["extensions"]["code"] for e in neither["errors"]] == ["GRAPHQL_VALIDATION_FAILED"]
    assert await balance_of(graphql, ada) == 5_000
