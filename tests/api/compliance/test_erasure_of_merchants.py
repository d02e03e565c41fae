"""Erasure where merchants are involved: a payer's words leave the merchant's records
(payment, refund, webhook bodies); an erased owner's shop is suspended, its name and
webhook endpoints tombstoned, while its customers keep their payment history."""

from dataclasses import dataclass

import pytest

from server.app import Runtime
from server.settings import Settings
from tests.support.graphql import GraphQLClient
from tests.support.identity import deliver_outbox
from tests.support.money import ShopOwner, approved_merchant, pay, refund
from tests.support.payments import Customer, customer
from tests.support.privacy import approve, fetch, requested, staff
from tests.support.webhooks import CREATE

PAYMENT = """query($id: ID!) { transaction(id: $id) { reference
  counterparty { displayName } } }"""
BODIES = """SELECT body::jsonb #>> '{data,object,reference}' AS reference
  FROM webhook_deliveries ORDER BY created_at"""
ENDPOINTS = "SELECT url, status, description FROM webhook_endpoints"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"webhooks_allow_private": True})


@dataclass
class Shop:
    shop: ShopOwner
    payer: Customer
    payment_id: str


async def a_paid_shop(runtime: Runtime, graphql: GraphQLClient) -> Shop:
    """A merchant with a webhook endpoint, paid "order 7" and refunding part of it."""
    shop = await approved_merchant(runtime, graphql)
    created = await graphql(
        CREATE,
        {
            "merchant": shop.merchant_id,
            "url": "http://127.0.0.1:9/hooks?owner=kapana",
            "events": ["PAYMENT_COMPLETED", "REFUND_COMPLETED"],
        },
        token=shop.owner.token,
    )
    assert created.data["createWebhookEndpoint"]["errors"] == [], created.body
    payer = await customer(runtime, graphql, 10_000)
    paid = await pay(graphql, payer, shop.merchant_id, 2_000)
    payment_id = paid.data["payMerchant"]["transaction"]["id"]
    refunded = await refund(graphql, shop.owner.token, payment_id, 500)
    assert refunded.data["refundPayment"]["errors"] == [], refunded.body
    await deliver_outbox(runtime)
    return Shop(shop, payer, payment_id)


async def test_an_erased_payer_s_reference_leaves_the_merchant_s_records(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    paid = await a_paid_shop(runtime, graphql)
    officer = await staff(runtime, "compliance_officer")

    approved = await approve(graphql, officer, await requested(graphql, paid.payer.token))

    erased = approved.data["approveErasure"]["request"]["erased"]["payments"]
    seen = await graphql(PAYMENT, {"id": paid.payment_id}, token=paid.shop.owner.token)
    bodies = [row["reference"] for row in await fetch(database_url, BODIES)]
    assert erased["transaction_references_tombstoned"] == 2  # the payment and its refund
    assert erased["webhook_bodies_tombstoned"] == 2
    assert bodies == ["[erased]", "[erased]"]
    assert seen.data["transaction"] == {
        "reference": "[erased]",
        "counterparty": {"displayName": "[erased]"},
    }


async def test_an_erased_owner_s_shop_is_suspended_and_its_endpoints_tombstoned(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    paid = await a_paid_shop(runtime, graphql)
    officer = await staff(runtime, "compliance_officer")

    approved = await approve(graphql, officer, await requested(graphql, paid.shop.owner.token))

    erased = approved.data["approveErasure"]["request"]["erased"]["payments"]
    seen = await graphql(PAYMENT, {"id": paid.payment_id}, token=paid.payer.token)
    paying_again = await pay(graphql, paid.payer, paid.shop.merchant_id, 1_000)
    assert (erased["merchants_suspended"], erased["webhook_endpoints_deleted"]) == (1, 1)
    assert erased["transaction_references_tombstoned"] == 0  # "order 7" was the payer's
    assert seen.data["transaction"] == {
        "reference": "order 7",
        "counterparty": {"displayName": "[erased]"},
    }
    assert paying_again.data["payMerchant"]["errors"][0]["code"] == "NOT_FOUND"
    assert [dict(row) for row in await fetch(database_url, ENDPOINTS)] == [
        {"url": "https://erased.invalid/", "status": "deleted", "description": ""}
    ]
    (merchant,) = await fetch(database_url, "SELECT trading_name, status FROM merchants")
    assert dict(merchant) == {"trading_name": "[erased]", "status": "suspended"}
