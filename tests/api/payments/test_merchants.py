"""Merchants: approval by staff, payments with a fee, refunds that never exceed the payment."""

import asyncio

from schema.ids import to_global_id
from server.app import Runtime
from tests.api.payments.test_transfers import ledger_totals
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient
from tests.support.money import (
    APPLY,
    APPROVE,
    accounts,
    approved_merchant,
    pay,
    refund,
    staff_token,
)
from tests.support.payments import balance_of, customer

FEES = "SELECT balance_minor FROM accounts WHERE kind = 'fees' AND currency = 'NAD'"


async def test_a_payment_credits_the_merchant_less_a_half_even_fee(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    shop = await approved_merchant(runtime, graphql)
    ada = await customer(runtime, graphql, 50_000)

    paid = (await pay(graphql, ada, shop.merchant_id, 10_100)).data["payMerchant"]
    # 1.5% of 101.00 = 1.515 -> 1.52 (half to even: 151.5 cents -> 152)
    odd = (await pay(graphql, ada, shop.merchant_id, 10_300)).data["payMerchant"]
    # 1.5% of 103.00 = 1.545 -> 1.54 (154.5 cents -> 154, the even neighbour)

    assert paid["transaction"]["kind"] == "PAYMENT"
    assert paid["transaction"]["fee"] == {"amountMinor": 152}
    assert odd["transaction"]["fee"] == {"amountMinor": 154}
    settlement = (await accounts(graphql, shop.owner.token))["MERCHANT_SETTLEMENT:NAD"]
    assert settlement["balance"]["amountMinor"] == 10_100 - 152 + 10_300 - 154
    assert await balance_of(graphql, ada) == 50_000 - 20_400
    assert await ledger_totals(database_url) == [("NAD", 0)]


async def test_partial_refunds_never_exceed_the_payment_even_concurrently(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    shop = await approved_merchant(runtime, graphql)
    ada = await customer(runtime, graphql, 20_000)
    payment = (await pay(graphql, ada, shop.merchant_id, 10_000)).data["payMerchant"]
    payment_id = payment["transaction"]["id"]
    await pay(graphql, ada, shop.merchant_id, 10_000)  # so the merchant can refund in full

    first = (await refund(graphql, shop.owner.token, payment_id, 4_000)).data["refundPayment"]
    racing = await asyncio.gather(
        *(refund(graphql, shop.owner.token, payment_id, 2_000) for _ in range(5))
    )

    assert first["transaction"]["kind"] == "REFUND"
    assert first["transaction"]["originalTransactionId"] == payment_id
    codes = sorted(
        r.data["refundPayment"]["errors"][0]["code"]
        for r in racing
        if r.data["refundPayment"]["errors"]
    )
    assert codes == ["REFUND_EXCEEDS_PAYMENT"] * 2
    assert await balance_of(graphql, ada) == 20_000 - 20_000 + 10_000
    shown = await graphql(
        "query($id: ID!) { transaction(id: $id) { refunded { amountMinor } } }",
        {"id": payment_id},
        token=ada.token,
    )
    assert shown.data["transaction"]["refunded"] == {"amountMinor": 10_000}
    assert await ledger_totals(database_url) == [("NAD", 0)]


async def test_only_the_merchant_refunds_its_own_payments(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    shop = await approved_merchant(runtime, graphql)
    other_shop = await approved_merchant(runtime, graphql)
    ada = await customer(runtime, graphql, 5_000)
    payment_id = (await pay(graphql, ada, shop.merchant_id, 1_000)).data["payMerchant"][
        "transaction"
    ]["id"]

    by_customer = await refund(graphql, ada.token, payment_id, 1_000)
    by_other_merchant = await refund(graphql, other_shop.owner.token, payment_id, 1_000)

    assert by_customer.error_codes == ["FORBIDDEN"]
    assert by_other_merchant.data["refundPayment"]["errors"][0]["code"] == "NOT_FOUND"
    assert await balance_of(graphql, ada) == 4_000


async def test_merchants_need_approval_by_someone_else(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    owner = await customer(runtime, graphql)
    ada = await customer(runtime, graphql, 5_000)
    applied = (await graphql(APPLY, {"name": "  Oshakati   Motors "}, token=owner.token)).data
    merchant = applied["applyAsMerchant"]["merchant"]
    again = await graphql(APPLY, {"name": "Second Try"}, token=owner.token)

    unpaid = (await pay(graphql, ada, merchant["id"], 1_000)).data["payMerchant"]
    by_customer = await graphql(APPROVE, {"merchant": merchant["id"]}, token=ada.token)
    staff = await staff_token(runtime)
    approved = await graphql(APPROVE, {"merchant": merchant["id"]}, token=staff)
    twice = await graphql(APPROVE, {"merchant": merchant["id"]}, token=staff)

    assert (merchant["tradingName"], merchant["status"]) == ("Oshakati Motors", "PENDING")
    assert again.data["applyAsMerchant"]["errors"][0]["code"] == "CONFLICT"
    assert unpaid["errors"][0]["code"] == "NOT_FOUND"
    assert by_customer.error_codes == ["FORBIDDEN"]
    assert approved.data["approveMerchant"]["merchant"]["status"] == "APPROVED"
    assert twice.data["approveMerchant"]["errors"][0]["code"] == "INVALID_STATE"
    mine = await graphql("{ myMerchant { status } }", token=owner.token)
    assert mine.data["myMerchant"] == {"status": "APPROVED"}


async def test_a_merchant_cannot_pay_itself_or_be_paid_beyond_the_balance(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    shop = await approved_merchant(runtime, graphql)
    ada = await customer(runtime, graphql, 500)

    itself = (await pay(graphql, shop.owner, shop.merchant_id, 100)).data["payMerchant"]
    too_much = (await pay(graphql, ada, shop.merchant_id, 501)).data["payMerchant"]

    assert itself["errors"][0]["code"] == "SELF_TRANSFER"
    assert too_much["errors"][0]["code"] == "INSUFFICIENT_FUNDS"
    assert await balance_of(graphql, ada) == 500


ADD_USER = """
mutation($email: String!) {
  addMerchantUser(input: {email: $email}) { merchant { id } errors { code field } }
}
"""
REMOVE_USER = """
mutation($user: ID!) {
  removeMerchantUser(input: {userId: $user}) { merchant { id } errors { code field } }
}
"""


async def test_the_owner_lets_other_users_act_for_the_merchant(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    shop = await approved_merchant(runtime, graphql)
    ada = await customer(runtime, graphql, 5_000)
    clerk_user = await create_user(runtime.services, email="clerk@kapana.na")
    clerk = await token_for(runtime.services, clerk_user)
    payment_id = (await pay(graphql, ada, shop.merchant_id, 2_000)).data["payMerchant"][
        "transaction"
    ]["id"]

    by_stranger = await graphql(ADD_USER, {"email": "clerk@kapana.na"}, token=ada.token)
    added = await graphql(ADD_USER, {"email": "Clerk@Kapana.na"}, token=shop.owner.token)
    twice = await graphql(ADD_USER, {"email": "clerk@kapana.na"}, token=shop.owner.token)
    refunded = await refund(graphql, clerk, payment_id, 300)
    clerk_id = to_global_id("User", clerk_user.id)
    removed = await graphql(REMOVE_USER, {"user": clerk_id}, token=shop.owner.token)
    after_removal = await refund(graphql, clerk, payment_id, 300)

    assert by_stranger.data["addMerchantUser"]["errors"][0]["code"] == "NOT_FOUND"
    assert added.data["addMerchantUser"]["merchant"]["id"] == shop.merchant_id
    assert twice.data["addMerchantUser"]["errors"][0]["code"] == "CONFLICT"
    assert refunded.data["refundPayment"]["transaction"]["kind"] == "REFUND"
    assert removed.data["removeMerchantUser"]["errors"] == []
    assert after_removal.data["refundPayment"]["errors"][0]["code"] == "NOT_FOUND"
    assert await balance_of(graphql, ada) == 3_300
