"""Reading accounts and transactions: only your own, in batched statements."""

from server.app import Runtime
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient
from tests.support.payments import ACCOUNTS, customer, transfer

TRANSACTION = "query($id: ID!) { transaction(id: $id) { id amount { amountMinor } } }"


async def test_history_pages_newest_first(runtime: Runtime, graphql: GraphQLClient) -> None:
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql)
    for cents in (100, 200, 300):
        await transfer(graphql, ada, bob, cents)

    page = await graphql(
        "{ me { accounts { transactions(first: 2) { edges { node { amount { amountMinor } } } pageInfo { hasNextPage endCursor } } } } }",
        token=ada.token,
    )

    (account,) = page.data["me"]["accounts"]
    amounts = [e["node"]["amount"]["amountMinor"] for e in account["transactions"]["edges"]]
    assert amounts == [300, 200]
    assert account["transactions"]["pageInfo"]["hasNextPage"] is True


async def test_a_transaction_is_visible_to_its_parties_only(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql)
    mallory = await customer(runtime, graphql)
    staff = await token_for(runtime.services, await create_user(runtime.services, roles=["staff"]))
    sent = await transfer(graphql, ada, bob, 500)
    transaction_id = sent.data["transfer"]["transaction"]["id"]

    seen = {
        who: (await graphql(TRANSACTION, {"id": transaction_id}, token=token)).data["transaction"]
        for who, token in (
            ("ada", ada.token),
            ("bob", bob.token),
            ("mallory", mallory.token),
            ("staff", staff),
        )
    }

    assert (
        seen["ada"]
        == seen["bob"]
        == seen["staff"]
        == {"id": transaction_id, "amount": {"amountMinor": 500}}
    )
    assert seen["mallory"] is None


async def test_another_customers_accounts_are_not_listed(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 1_000)
    mallory = await customer(runtime, graphql)
    ada_user_id = (await graphql("{ me { id } }", token=ada.token)).data["me"]["id"]

    probe = await graphql(
        "query($id: ID!) { node(id: $id) { ... on User { accounts { id } } } }",
        {"id": ada_user_id},
        token=mallory.token,
    )
    mine = await graphql(ACCOUNTS, token=mallory.token)

    assert probe.result == {"data": {"node": None}}
    assert len(mine.data["me"]["accounts"]) == 1
