"""The merchant dashboard: daily totals that match the settlement account, for the
merchant's users only, and its recent payments."""

from datetime import UTC, datetime, timedelta

from domain.shared.calendar import NAMIBIA
from server.app import Runtime
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient, GraphQLResponse
from tests.support.identity import deliver_outbox
from tests.support.metrics import cache_counts
from tests.support.money import accounts, approved_merchant, pay, refund, reverse, staff_token
from tests.support.payments import customer, transfer

DASHBOARD = """
query($merchant: ID!, $from: Date!, $to: Date!) {
  merchant(id: $merchant) { tradingName dashboard {
    days(from: $from, to: $to) {
      date sales { amountMinor } fees { amountMinor } refunds { amountMinor }
      net { amountMinor } paymentCount refundCount }
    recentPayments(first: 1) {
      edges { node { amount { amountMinor } direction counterparty { displayName } } }
      pageInfo { hasNextPage } } } } }
"""
ADD_USER = (
    "mutation($email: String!) { addMerchantUser(input: {email: $email}) { errors { code } } }"
)
MY_MERCHANTS = "{ myMerchants { id tradingName } }"
TRANSACTION = "query($id: ID!) { transaction(id: $id) { id kind } }"
CACHE = "merchantDashboardDays"


def today() -> str:
    return datetime.now(UTC).astimezone(NAMIBIA).date().isoformat()


def days_ago(days: int) -> str:
    return (datetime.now(UTC).astimezone(NAMIBIA).date() - timedelta(days=days)).isoformat()


async def test_the_day_totals_sales_fees_refunds_and_reversals_as_the_account_moved(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    shop = await approved_merchant(runtime, graphql)
    ada = await customer(runtime, graphql, 50_000, name="Ada Nangolo")
    kept = (await pay(graphql, ada, shop.merchant_id, 10_000)).data["payMerchant"]["transaction"]
    undone = (await pay(graphql, ada, shop.merchant_id, 20_000)).data["payMerchant"]["transaction"]
    await refund(graphql, shop.owner.token, kept["id"], 5_000)
    await reverse(graphql, await staff_token(runtime, "admin"), undone["id"])
    variables = {"merchant": shop.merchant_id, "from": days_ago(1), "to": today()}

    shown = await graphql(DASHBOARD, variables, token=shop.owner.token)

    dashboard = shown.data["merchant"]["dashboard"]
    settlement = (await accounts(graphql, shop.owner.token))["MERCHANT_SETTLEMENT:NAD"]
    assert dashboard["days"] == [
        {
            "date": days_ago(1),
            "sales": {"amountMinor": 0},
            "fees": {"amountMinor": 0},
            "refunds": {"amountMinor": 0},
            "net": {"amountMinor": 0},
            "paymentCount": 0,
            "refundCount": 0,
        },
        {
            "date": today(),
            "sales": {"amountMinor": 30_000},
            "fees": {"amountMinor": 150 + 300},
            "refunds": {"amountMinor": 5_000 + 20_000},
            "net": {"amountMinor": 30_000 - 450 - 25_000 + 300},
            "paymentCount": 2,
            "refundCount": 2,
        },
    ]
    assert settlement["balance"]["amountMinor"] == 30_000 - 450 - 25_000 + 300
    assert dashboard["recentPayments"] == {
        "edges": [
            {
                "node": {
                    "amount": {"amountMinor": 20_000},
                    "direction": "IN",
                    "counterparty": {"displayName": "Ada N."},
                }
            }
        ],
        "pageInfo": {"hasNextPage": True},
    }


async def test_only_the_merchants_users_and_staff_see_the_dashboard(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    shop = await approved_merchant(runtime, graphql)
    ada = await customer(runtime, graphql, 5_000)
    payment = (await pay(graphql, ada, shop.merchant_id, 1_000)).data["payMerchant"]
    clerk = await token_for(
        runtime.services, await create_user(runtime.services, email="till@kapana.na")
    )
    variables = {"merchant": shop.merchant_id, "from": today(), "to": today()}

    by_customer = await graphql(DASHBOARD, variables, token=ada.token)
    clerk_before = await graphql(DASHBOARD, variables, token=clerk)
    clerk_payment_before = await graphql(
        TRANSACTION, {"id": payment["transaction"]["id"]}, token=clerk
    )
    await graphql(ADD_USER, {"email": "till@kapana.na"}, token=shop.owner.token)
    clerk_after = await graphql(DASHBOARD, variables, token=clerk)
    clerk_payment_after = await graphql(
        TRANSACTION, {"id": payment["transaction"]["id"]}, token=clerk
    )
    by_staff = await graphql(DASHBOARD, variables, token=await staff_token(runtime))
    clerks_merchants = await graphql(MY_MERCHANTS, token=clerk)

    assert by_customer.data["merchant"] == {"tradingName": "Kapana Corner", "dashboard": None}
    assert clerk_before.data["merchant"]["dashboard"] is None
    assert clerk_payment_before.data["transaction"] is None
    assert clerk_after.data["merchant"]["dashboard"]["days"][0]["sales"] == {"amountMinor": 1_000}
    assert clerk_payment_after.data["transaction"]["kind"] == "PAYMENT"
    assert by_staff.data["merchant"]["dashboard"]["days"][0]["paymentCount"] == 1
    assert clerks_merchants.data["myMerchants"] == [
        {"id": shop.merchant_id, "tradingName": "Kapana Corner"}
    ]


async def test_a_repeated_read_is_served_from_the_cache_until_the_merchants_next_payment(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    shop, rival = (
        await approved_merchant(runtime, graphql),
        await approved_merchant(runtime, graphql),
    )
    ada = await customer(runtime, graphql, 50_000)
    bob = await customer(runtime, graphql)
    await pay(graphql, ada, shop.merchant_id, 1_000)
    await deliver_outbox(runtime)
    variables = {"merchant": shop.merchant_id, "from": today(), "to": today()}

    def sales(response: GraphQLResponse) -> int:
        return int(response.data["merchant"]["dashboard"]["days"][0]["sales"]["amountMinor"])

    first = await graphql(DASHBOARD, variables, token=shop.owner.token)
    after_first = await cache_counts(graphql.http, CACHE)
    await pay(graphql, ada, rival.merchant_id, 500)  # neither another merchant's payment
    await transfer(graphql, ada, bob, 100)  # nor a customer's transfer makes it stale
    await deliver_outbox(runtime)
    repeated = await graphql(DASHBOARD, variables, token=shop.owner.token)
    by_rival = await graphql(DASHBOARD, variables, token=rival.owner.token)
    after_repeat = await cache_counts(graphql.http, CACHE)
    paid = (await pay(graphql, ada, shop.merchant_id, 2_000)).data["payMerchant"]
    await deliver_outbox(runtime)
    after_payment = await graphql(DASHBOARD, variables, token=shop.owner.token)
    rival_reads_the_payment = await graphql(
        TRANSACTION, {"id": paid["transaction"]["id"]}, token=rival.owner.token
    )

    assert (sales(first), sales(repeated), sales(after_payment)) == (1_000, 1_000, 3_000)
    assert after_first == (0, 1)
    assert after_repeat == (1, 1)
    assert by_rival.data["merchant"] == {"tradingName": "Kapana Corner", "dashboard": None}
    assert rival_reads_the_payment.data["transaction"] is None
    assert await cache_counts(graphql.http, CACHE) == (1, 2)


async def test_a_backwards_or_overlong_range_is_bad_user_input(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    shop = await approved_merchant(runtime, graphql)
    backwards = {"merchant": shop.merchant_id, "from": today(), "to": days_ago(1)}
    overlong = {"merchant": shop.merchant_id, "from": days_ago(366), "to": today()}

    answers = [
        await graphql(DASHBOARD, variables, token=shop.owner.token)
        for variables in (backwards, overlong)
    ]

    assert [answer.error_codes for answer in answers] == [["BAD_USER_INPUT"]] * 2
    assert [answer.errors[0]["path"][-1] for answer in answers] == ["days", "days"]
