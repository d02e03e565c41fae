"""Staff searches over every transaction and account (`payments:read_any`), and exact
amounts beyond GraphQL's 32-bit Int."""

from server.app import Runtime
from tests.support.graphql import GraphQLClient
from tests.support.money import approved_merchant, pay, staff_token
from tests.support.payments import customer, deposit, transfer

SEARCH = """
query($filter: TransactionSearchFilter, $first: Int! = 20, $after: String) {
  transactions(filter: $filter, first: $first, after: $after) {
    edges { node { kind amount { amountMinor } } } pageInfo { hasNextPage endCursor } } }
"""
ACCOUNTS = (
    "query($filter: AccountFilter) { accounts(filter: $filter) { edges { node { id kind } } } }"
)
USER_ID = "{ me { id } }"


async def test_staff_search_narrows_by_user_merchant_and_kind(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql, 10_000)
    shop = await approved_merchant(runtime, graphql)
    await transfer(graphql, ada, bob, 111)
    await pay(graphql, bob, shop.merchant_id, 222)
    staff = await staff_token(runtime)
    ada_id = (await graphql(USER_ID, token=ada.token)).data["me"]["id"]

    def found(answer) -> list[tuple[str, int]]:  # type: ignore[no-untyped-def]
        edges = answer.data["transactions"]["edges"]
        return [(e["node"]["kind"], e["node"]["amount"]["amountMinor"]) for e in edges]

    adas = await graphql(SEARCH, {"filter": {"userId": ada_id}}, token=staff)
    shops = await graphql(SEARCH, {"filter": {"merchantId": shop.merchant_id}}, token=staff)
    deposits = await graphql(
        SEARCH, {"filter": {"kinds": ["DEPOSIT"], "accountId": bob.account_id}}, token=staff
    )

    assert found(adas) == [("TRANSFER", 111), ("DEPOSIT", 10_000)]
    assert found(shops) == [("PAYMENT", 222)]
    assert found(deposits) == [("DEPOSIT", 10_000)]


async def test_staff_search_pages_with_cursors(runtime: Runtime, graphql: GraphQLClient) -> None:
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql)
    for cents in (1, 2, 3):
        await transfer(graphql, ada, bob, cents)
    staff = await staff_token(runtime)
    only_transfers = {"kinds": ["TRANSFER"], "accountId": ada.account_id}

    first = await graphql(SEARCH, {"filter": only_transfers, "first": 2}, token=staff)
    cursor = first.data["transactions"]["pageInfo"]["endCursor"]
    rest = await graphql(
        SEARCH, {"filter": only_transfers, "first": 2, "after": cursor}, token=staff
    )

    def cents(answer) -> list[int]:  # type: ignore[no-untyped-def]
        return [e["node"]["amount"]["amountMinor"] for e in answer.data["transactions"]["edges"]]

    assert cents(first) == [3, 2]
    assert first.data["transactions"]["pageInfo"]["hasNextPage"] is True
    assert cents(rest) == [1]
    assert rest.data["transactions"]["pageInfo"]["hasNextPage"] is False


async def test_customers_cannot_search_or_list_accounts(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 1_000)

    searched = await graphql(SEARCH, token=ada.token)
    listed = await graphql(ACCOUNTS, token=ada.token)
    anonymous = await graphql(SEARCH)

    assert searched.error_codes == ["FORBIDDEN"]
    assert listed.error_codes == ["FORBIDDEN"]
    assert anonymous.error_codes == ["UNAUTHENTICATED"]
    assert searched.data is None
    assert listed.data is None


async def test_staff_list_accounts_by_owner_and_kind(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql)
    await customer(runtime, graphql)
    staff = await staff_token(runtime)
    ada_id = (await graphql(USER_ID, token=ada.token)).data["me"]["id"]

    adas = await graphql(ACCOUNTS, {"filter": {"ownerId": ada_id}}, token=staff)
    fees = await graphql(ACCOUNTS, {"filter": {"kind": "FEES", "currency": "NAD"}}, token=staff)

    assert adas.data["accounts"]["edges"] == [
        {"node": {"id": ada.account_id, "kind": "CUSTOMER_WALLET"}}
    ]
    assert [e["node"]["kind"] for e in fees.data["accounts"]["edges"]] == ["FEES"]


async def test_amounts_past_32_bits_are_read_exactly_and_checked_by_the_rules(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql)

    huge = await deposit(graphql, ada.token, ada.account_id, 3_000_000_000)
    fractional = await deposit(graphql, ada.token, ada.account_id, 10.5)  # type: ignore[arg-type]

    assert huge.data["deposit"]["errors"][0]["code"] == "LIMIT_EXCEEDED"
    assert fractional.error_codes == ["BAD_USER_INPUT"]
