"""`elcorp seed`: demo users, a merchant, balances and history, once."""

from server.app import Runtime
from server.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo_data
from tests.api.payments.test_transfers import ledger_totals
from tests.support.graphql import GraphQLClient
from tests.support.identity import login, tokens_of
from tests.support.money import accounts

HISTORY = "{ me { accounts { transactions(first: 20) { edges { node { kind status } } } } } }"


async def test_demo_data_has_balances_a_merchant_and_history_and_seeds_once(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    first = await seed_demo_data(runtime.services)
    second = await seed_demo_data(runtime.services)

    customer = tokens_of(await login(graphql, "customer@elcorp.na", DEMO_PASSWORD))
    merchant = tokens_of(await login(graphql, "merchant@elcorp.na", DEMO_PASSWORD))
    wallet = (await accounts(graphql, customer["accessToken"]))["CUSTOMER_WALLET:NAD"]
    shop = await graphql("{ myMerchant { tradingName status } }", token=merchant["accessToken"])
    history = await graphql(HISTORY, token=customer["accessToken"])

    assert (first, second) == (len(DEMO_ACCOUNTS), 0)
    assert wallet["balance"]["amountMinor"] == 250_000 - 35_000 - 8_950 + 1_500
    assert shop.data["myMerchant"] == {"tradingName": "Kapana Corner", "status": "APPROVED"}
    (account,) = history.data["me"]["accounts"]
    kinds = sorted(edge["node"]["kind"] for edge in account["transactions"]["edges"])
    assert kinds == ["DEPOSIT", "PAYMENT", "REFUND", "TRANSFER"]
    assert await ledger_totals(database_url) == [("NAD", 0)]
    requests = await graphql(
        "{ myServiceRequests { edges { node { status comments { edges { node { body } } } } } } }",
        token=customer["accessToken"],
    )
    assert [
        (edge["node"]["status"], len(edge["node"]["comments"]["edges"]))
        for edge in requests.data["myServiceRequests"]["edges"]
    ] == [("IN_PROGRESS", 1), ("OPEN", 0)]
