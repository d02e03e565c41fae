"""Histories seen from each side: direction, counterparty, filters, and statement counts."""

from datetime import UTC, datetime, timedelta

from server.app import Runtime
from tests.support.graphql import GraphQLClient
from tests.support.money import approved_merchant, pay, staff_token
from tests.support.payments import customer, deposit, transfer

SIDES = """
{ me { accounts { transactions(first: 10) { edges { node {
    kind amount { amountMinor } direction counterparty { kind displayName } } } } } } }
"""
FILTERED = """
query($filter: TransactionFilter) { me { accounts { transactions(first: 50, filter: $filter) {
    edges { node { kind status amount { amountMinor } } } } } } }
"""
COUNTERPARTIES = """
query($first: Int!) { accounts(first: $first, filter: {kind: CUSTOMER_WALLET}) { edges { node { transactions(first: 50) {
    edges { node { counterparty { displayName } } } } } } } }
"""
MY_COUNTERPARTIES = "{ me { accounts { transactions(first: 50) { edges { node { counterparty { displayName } } } } } } }"


def nodes(answer) -> list[dict]:  # type: ignore[no-untyped-def]
    (account,) = answer.data["me"]["accounts"]
    return [edge["node"] for edge in account["transactions"]["edges"]]


async def test_each_party_sees_the_other_side_by_a_public_name(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 10_000, name="Ada Nangolo Lovelace")
    bob = await customer(runtime, graphql, name="Bob Shikongo")
    shop = await approved_merchant(runtime, graphql)
    await transfer(graphql, ada, bob, 700)
    await pay(graphql, ada, shop.merchant_id, 1_000)

    ada_sees = nodes(await graphql(SIDES, token=ada.token))
    bob_sees = nodes(await graphql(SIDES, token=bob.token))

    assert ada_sees == [
        {
            "kind": "PAYMENT",
            "amount": {"amountMinor": 1_000},
            "direction": "OUT",
            "counterparty": {"kind": "MERCHANT_SETTLEMENT", "displayName": "Kapana Corner"},
        },
        {
            "kind": "TRANSFER",
            "amount": {"amountMinor": 700},
            "direction": "OUT",
            "counterparty": {"kind": "CUSTOMER_WALLET", "displayName": "Bob S."},
        },
        {
            "kind": "DEPOSIT",
            "amount": {"amountMinor": 10_000},
            "direction": "IN",
            "counterparty": {"kind": "GATEWAY_CLEARING", "displayName": "Sandbox gateway"},
        },
    ]
    assert bob_sees == [
        {
            "kind": "TRANSFER",
            "amount": {"amountMinor": 700},
            "direction": "IN",
            "counterparty": {"kind": "CUSTOMER_WALLET", "displayName": "Ada L."},
        }
    ]


async def test_history_filters_by_kind_status_amount_and_time(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql)
    await deposit(graphql, ada.token, ada.account_id, 1_013)  # declined by the sandbox
    for cents in (100, 250, 400):
        await transfer(graphql, ada, bob, cents)
    now = datetime.now(UTC)

    def amounts(answer) -> list[int]:  # type: ignore[no-untyped-def]
        return [node["amount"]["amountMinor"] for node in nodes(answer)]

    transfers = await graphql(FILTERED, {"filter": {"kinds": ["TRANSFER"]}}, token=ada.token)
    failed = await graphql(FILTERED, {"filter": {"statuses": ["FAILED"]}}, token=ada.token)
    middling = await graphql(
        FILTERED,
        {"filter": {"kinds": ["TRANSFER"], "minAmountMinor": 200, "maxAmountMinor": 400}},
        token=ada.token,
    )
    later = await graphql(
        FILTERED,
        {"filter": {"createdFrom": (now + timedelta(seconds=5)).isoformat()}},
        token=ada.token,
    )
    earlier = await graphql(
        FILTERED,
        {"filter": {"createdBefore": (now + timedelta(seconds=5)).isoformat()}},
        token=ada.token,
    )

    assert amounts(transfers) == [400, 250, 100]
    assert amounts(failed) == [1_013]
    assert amounts(middling) == [400, 250]
    assert amounts(later) == []
    assert len(amounts(earlier)) == 5


async def test_a_contradictory_filter_is_bad_user_input(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 1_000)
    cases = [
        {"createdFrom": "2026-06-02T00:00:00+00:00", "createdBefore": "2026-06-01T00:00:00+00:00"},
        {"createdFrom": "2026-06-02T00:00:00"},  # no UTC offset: ambiguous
        {"minAmountMinor": 500, "maxAmountMinor": 100},
        {"minAmountMinor": -1},
    ]

    answers = [await graphql(FILTERED, {"filter": case}, token=ada.token) for case in cases]

    assert [answer.error_codes for answer in answers] == [["BAD_USER_INPUT"]] * len(cases)
    assert all(answer.data == {"me": None} for answer in answers)


async def test_counterparties_take_the_same_statements_for_one_account_or_twenty(
    runtime: Runtime, graphql: GraphQLClient, count_sql
) -> None:
    """A customer holds at most one wallet per currency, so twenty accounts with their
    histories are read through the staff listing, with the same nested selection."""
    payer = await customer(runtime, graphql, 100_000, name="Payer One")
    for n in range(20):
        payee = await customer(runtime, graphql, name=f"Payee Number{n}")
        await transfer(graphql, payer, payee, 10 + n)
    staff = await staff_token(runtime)
    own = await graphql(MY_COUNTERPARTIES, token=payer.token)

    with count_sql() as one:
        single = await graphql(COUNTERPARTIES, {"first": 1}, token=staff)
    with count_sql() as twenty:
        many = await graphql(COUNTERPARTIES, {"first": 20}, token=staff)

    assert len(nodes(own)) == 21
    assert {n["counterparty"]["displayName"] for n in nodes(own)} >= {"Payee N.", "Sandbox gateway"}
    assert len(single.data["accounts"]["edges"]) == 1
    assert len(many.data["accounts"]["edges"]) == 20
    assert [
        edge["node"]["transactions"]["edges"][0]["node"]["counterparty"]["displayName"]
        for edge in many.data["accounts"]["edges"]
    ] == ["Payer O."] * 20
    assert twenty.count == one.count


async def test_my_accounts_with_counterparties_take_statements_independent_of_rows(
    runtime: Runtime, graphql: GraphQLClient, count_sql
) -> None:
    ada = await customer(runtime, graphql, 100_000)
    bob = await customer(runtime, graphql)
    await transfer(graphql, ada, bob, 100)

    with count_sql() as few:
        await graphql(MY_COUNTERPARTIES, token=ada.token)
    for n in range(10):
        await transfer(graphql, ada, await customer(runtime, graphql, name=f"Payee {n}"), 100)
    with count_sql() as many:
        answer = await graphql(MY_COUNTERPARTIES, token=ada.token)

    assert len(nodes(answer)) == 12
    assert many.count == few.count
