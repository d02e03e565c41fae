"""Staff reverse completed transactions with the exact opposite entries."""

from server.app import Runtime
from tests.api.payments.test_transfers import ledger_totals
from tests.support.graphql import GraphQLClient
from tests.support.money import accounts, approved_merchant, pay, refund, reverse, staff_token
from tests.support.payments import balance_of, customer, transfer


async def test_a_reversed_transfer_returns_the_money_once(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql)
    sent = (await transfer(graphql, ada, bob, 3_000)).data["transfer"]["transaction"]
    admin = await staff_token(runtime, "admin")

    reversed_ = (await reverse(graphql, admin, sent["id"])).data["reverseTransaction"]
    again = (await reverse(graphql, admin, sent["id"])).data["reverseTransaction"]

    assert reversed_["transaction"]["kind"] == "REVERSAL"
    assert reversed_["transaction"]["originalTransactionId"] == sent["id"]
    assert again["errors"][0]["code"] == "INVALID_STATE"
    original = await graphql(
        "query($id: ID!) { transaction(id: $id) { status } }", {"id": sent["id"]}, token=ada.token
    )
    assert original.data["transaction"]["status"] == "REVERSED"
    assert (await balance_of(graphql, ada), await balance_of(graphql, bob)) == (10_000, 0)
    assert await ledger_totals(database_url) == [("NAD", 0)]


async def test_a_reversed_payment_takes_back_the_fee_too(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    shop = await approved_merchant(runtime, graphql)
    ada = await customer(runtime, graphql, 10_000)
    payment = (await pay(graphql, ada, shop.merchant_id, 2_000)).data["payMerchant"]

    done = await reverse(graphql, await staff_token(runtime, "admin"), payment["transaction"]["id"])

    assert done.data["reverseTransaction"]["errors"] == []
    assert await balance_of(graphql, ada) == 10_000
    settlement = (await accounts(graphql, shop.owner.token))["MERCHANT_SETTLEMENT:NAD"]
    assert settlement["balance"]["amountMinor"] == 0
    assert await ledger_totals(database_url) == [("NAD", 0)]


async def test_reversal_needs_the_permission_and_money_still_there(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql)
    carol = await customer(runtime, graphql)
    sent = (await transfer(graphql, ada, bob, 3_000)).data["transfer"]["transaction"]
    await transfer(graphql, bob, carol, 2_500)

    by_staff = await reverse(graphql, await staff_token(runtime), sent["id"])
    by_admin = await reverse(graphql, await staff_token(runtime, "admin"), sent["id"])

    assert by_staff.error_codes == ["FORBIDDEN"]
    assert by_admin.data["reverseTransaction"]["errors"][0]["code"] == "INSUFFICIENT_FUNDS"
    assert await balance_of(graphql, bob) == 500


async def test_a_partly_refunded_payment_is_not_reversed(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    shop = await approved_merchant(runtime, graphql)
    ada = await customer(runtime, graphql, 10_000)
    payment_id = (await pay(graphql, ada, shop.merchant_id, 2_000)).data["payMerchant"][
        "transaction"
    ]["id"]
    await refund(graphql, shop.owner.token, payment_id, 500)

    refused = await reverse(graphql, await staff_token(runtime, "admin"), payment_id)

    assert refused.data["reverseTransaction"]["errors"][0]["code"] == "INVALID_STATE"
