"""Webhook URLs must be HTTPS and reach only public addresses (production settings): no
loopback, private, link-local or metadata ranges, also after DNS resolution."""

import pytest

from server.app import Runtime
from tests.support.graphql import GraphQLClient
from tests.support.money import approved_merchant
from tests.support.webhooks import CREATE

ENDPOINTS = "query($merchant: ID!) { merchant(id: $merchant) { webhookEndpoints { id } } }"
REFUSED = [
    "https://127.0.0.1/hook",
    "https://10.0.0.1/hook",
    "https://192.168.1.20/hook",
    "https://169.254.169.254/latest/meta-data/",
    "https://100.64.0.1/hook",
    "https://0.0.0.0/hook",
    "https://[::1]/hook",
    "https://[::ffff:127.0.0.1]/hook",
    "https://[fd00::1]/hook",
    "https://localhost/hook",  # a name that resolves to loopback
    "https://no-such-host.invalid/hook",  # does not resolve at all
    "http://203.0.113.10/hook",  # public, but not HTTPS
    "ftp://203.0.113.10/hook",
    "https://user:secret@203.0.113.10/hook",
    "not a url",
]


@pytest.mark.parametrize("url", REFUSED)
async def test_unsafe_webhook_urls_are_refused_and_nothing_is_created(
    runtime: Runtime, graphql: GraphQLClient, url: str
) -> None:
    shop = await approved_merchant(runtime, graphql)

    created = await graphql(
        CREATE,
        {"merchant": shop.merchant_id, "url": url, "events": ["PAYMENT_COMPLETED"]},
        token=shop.owner.token,
    )
    listed = await graphql(ENDPOINTS, {"merchant": shop.merchant_id}, token=shop.owner.token)

    payload = created.data["createWebhookEndpoint"]
    assert [(e["code"], e["field"]) for e in payload["errors"]] == [("INVALID_URL", ["url"])]
    assert payload["endpoint"] is None
    assert payload["secret"] is None
    assert listed.data["merchant"]["webhookEndpoints"] == []


async def test_an_endpoint_needs_at_least_one_known_event(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    shop = await approved_merchant(runtime, graphql)

    none = await graphql(
        CREATE,
        {"merchant": shop.merchant_id, "url": "https://8.8.8.8/", "events": []},
        token=shop.owner.token,
    )
    test_only = await graphql(
        CREATE,
        {"merchant": shop.merchant_id, "url": "https://8.8.8.8/", "events": ["TEST"]},
        token=shop.owner.token,
    )

    for answer in (none, test_only):
        assert answer.data["createWebhookEndpoint"]["errors"][0]["field"] == ["events"]
