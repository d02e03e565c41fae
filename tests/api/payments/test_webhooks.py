"""Signed webhooks to a real receiver on 127.0.0.1: delivered, verified with the receivers'
helper, retried with back-off on an injected clock, and endpoints disabled after a run of
failures."""

from datetime import UTC, datetime, timedelta

import orjson
import pytest

from adapters.mail import RedisMailbox
from domain.shared.clock import FixedClock
from server.app import Runtime
from server.bootstrap import build_webhook_dispatcher, build_webhook_service
from server.settings import Settings
from tests.support.graphql import GraphQLClient
from tests.support.identity import deliver_outbox
from tests.support.money import ShopOwner, approved_merchant, pay
from tests.support.payments import customer
from tests.support.webhooks import (
    CREATE,
    DELIVERIES,
    Receiver,
    deliveries,
    receiving,
    signature_helper,
)

ENDPOINTS = "query($merchant: ID!) { merchant(id: $merchant) { webhookEndpoints { id status consecutiveFailures } } }"
ROTATE = """mutation($id: ID!) { rotateWebhookSecret(input: {id: $id, graceSeconds: 3600}) {
  secret endpoint { previousSecretExpiresAt } errors { code } } }"""
SEND_TEST = "mutation($id: ID!) { sendTestWebhook(input: {id: $id}) { delivery { id status } errors { code } } }"
REDELIVER = "mutation($id: ID!) { redeliverWebhook(input: {deliveryId: $id}) { delivery { status } errors { code } } }"
ENABLE = "mutation($id: ID!) { updateWebhookEndpoint(input: {id: $id, enabled: true}) { endpoint { status consecutiveFailures } errors { code } } }"


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """The receiver runs on 127.0.0.1 over plain HTTP, as development allows."""
    return settings.model_copy(update={"webhooks_allow_private": True})


async def endpoint_for(
    graphql: GraphQLClient, shop: ShopOwner, url: str, events: list[str] | None = None
) -> tuple[str, str]:
    created = await graphql(
        CREATE,
        {"merchant": shop.merchant_id, "url": url, "events": events or ["PAYMENT_COMPLETED"]},
        token=shop.owner.token,
    )
    payload = created.data["createWebhookEndpoint"]
    assert payload["errors"] == [], created.body
    return payload["endpoint"]["id"], payload["secret"]


async def logged(graphql: GraphQLClient, shop: ShopOwner, endpoint: str) -> list[dict]:
    answer = await graphql(DELIVERIES, {"endpoint": endpoint}, token=shop.owner.token)
    return deliveries(answer.body)


async def paid_once(
    runtime: Runtime, graphql: GraphQLClient, shop: ShopOwner, cents: int = 1_000
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    await pay(graphql, ada, shop.merchant_id, cents)
    await deliver_outbox(runtime)  # the payment's event becomes a delivery


async def test_a_completed_payment_is_posted_signed_and_logged(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    receiver = Receiver()
    shop = await approved_merchant(runtime, graphql)
    async with receiving(receiver) as url:
        endpoint, secret = await endpoint_for(graphql, shop, url)
        await paid_once(runtime, graphql, shop, 1_000)
        dispatcher = build_webhook_dispatcher(runtime.services)
        attempted = await dispatcher.deliver_due()
        await dispatcher.aclose()
    delivered = await logged(graphql, shop, endpoint)

    (post,) = receiver.received
    signature_helper().verify(post.body, post.headers["elcorp-signature"], secret)
    event = orjson.loads(post.body)
    assert attempted == 1
    assert post.headers["elcorp-event-type"] == "payment.completed"
    assert post.headers["elcorp-event-id"] == event["id"] == delivered[0]["eventId"]
    assert event["type"] == "payment.completed"
    assert event["data"]["object"]["amount"] == {"amountMinor": 1_000, "currency": "NAD"}
    assert event["data"]["object"]["fee"] == {"amountMinor": 15, "currency": "NAD"}
    assert [(d["status"], d["attemptCount"]) for d in delivered] == [("SUCCEEDED", 1)]
    assert delivered[0]["attempts"][0]["statusCode"] == 200
    assert delivered[0]["attempts"][0]["responseExcerpt"] == "thanks"
    assert delivered[0]["body"].encode() == post.body


async def test_a_failing_receiver_gets_backed_off_retries_until_one_succeeds(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    receiver = Receiver(failures=3)
    shop = await approved_merchant(runtime, graphql)
    async with receiving(receiver) as url:
        endpoint, _ = await endpoint_for(graphql, shop, url)
        await paid_once(runtime, graphql, shop)
        clock = FixedClock(datetime.now(UTC))
        dispatcher = build_webhook_dispatcher(runtime.services, clock)
        rounds = []
        for _ in range(4):
            rounds.append(await dispatcher.deliver_due())
            rounds.append(await dispatcher.deliver_due())  # not due again yet
            clock.advance(timedelta(hours=1, minutes=15))  # past any back-off
        await dispatcher.aclose()
    delivered = await logged(graphql, shop, endpoint)

    assert rounds == [1, 0, 1, 0, 1, 0, 1, 0]
    assert len(receiver.received) == 4
    assert len({post.headers["elcorp-event-id"] for post in receiver.received}) == 1
    (delivery,) = delivered
    assert delivery["status"] == "SUCCEEDED"
    assert [a["statusCode"] for a in delivery["attempts"]] == [500, 500, 500, 200]
    assert delivery["attempts"][0]["responseExcerpt"] == "receiver is down"


async def test_an_endpoint_failing_past_the_limit_is_disabled_and_its_owner_emailed(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    receiver = Receiver(failures=100)
    shop = await approved_merchant(runtime, graphql)
    async with receiving(receiver) as url:
        endpoint, _ = await endpoint_for(graphql, shop, url)
        await paid_once(runtime, graphql, shop)
        clock = FixedClock(datetime.now(UTC))
        strict = build_webhook_service(runtime.settings, clock, failure_limit=2)
        dispatcher = build_webhook_dispatcher(runtime.services, clock, webhooks=strict)
        for _ in range(3):
            await dispatcher.deliver_due()
            clock.advance(timedelta(hours=2))
        await dispatcher.aclose()
        await deliver_outbox(runtime)
    shown = await graphql(ENDPOINTS, {"merchant": shop.merchant_id}, token=shop.owner.token)
    mail = await RedisMailbox(runtime.redis).messages()
    revived = await graphql(ENABLE, {"id": endpoint}, token=shop.owner.token)

    assert len(receiver.received) == 2
    assert shown.data["merchant"]["webhookEndpoints"] == [
        {"id": endpoint, "status": "DISABLED", "consecutiveFailures": 2}
    ]
    assert [m.subject for m in mail] == ["An Elcorp webhook endpoint was disabled"]
    assert revived.data["updateWebhookEndpoint"]["endpoint"] == {
        "status": "ACTIVE",
        "consecutiveFailures": 0,
    }


async def test_the_address_is_checked_again_on_every_connection(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    """Registered while private addresses were allowed; a production dispatcher refuses to
    connect to it all the same."""
    receiver = Receiver()
    shop = await approved_merchant(runtime, graphql)
    async with receiving(receiver) as url:
        endpoint, _ = await endpoint_for(graphql, shop, url)
        await paid_once(runtime, graphql, shop)
        dispatcher = build_webhook_dispatcher(runtime.services, allow_private=False)
        await dispatcher.deliver_due()
        await dispatcher.aclose()
    delivered = await logged(graphql, shop, endpoint)

    assert receiver.received == []
    (attempt,) = delivered[0]["attempts"]
    assert attempt["statusCode"] is None
    assert "127.0.0.1, which webhooks may not reach" in attempt["error"]
    assert delivered[0]["status"] == "PENDING"


async def test_a_rotated_secret_signs_beside_the_new_one_for_its_grace_period(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    receiver = Receiver()
    helper = signature_helper()
    shop = await approved_merchant(runtime, graphql)
    async with receiving(receiver) as url:
        endpoint, old = await endpoint_for(graphql, shop, url)
        rotated = (await graphql(ROTATE, {"id": endpoint}, token=shop.owner.token)).data
        new = rotated["rotateWebhookSecret"]["secret"]
        await graphql(SEND_TEST, {"id": endpoint}, token=shop.owner.token)
        clock = FixedClock(datetime.now(UTC))
        dispatcher = build_webhook_dispatcher(runtime.services, clock)
        await dispatcher.deliver_due()
        clock.advance(timedelta(hours=2))
        await graphql(SEND_TEST, {"id": endpoint}, token=shop.owner.token)
        await dispatcher.deliver_due()
        await dispatcher.aclose()
    during, after = receiver.received
    at = clock.now().timestamp()

    assert new != old
    for secret in (old, new):
        helper.verify(during.body, during.headers["elcorp-signature"], secret, now=at - 7200)
    helper.verify(after.body, after.headers["elcorp-signature"], new, now=at)
    with pytest.raises(helper.InvalidSignature):
        helper.verify(after.body, after.headers["elcorp-signature"], old, now=at)
    assert during.headers["elcorp-event-type"] == "webhook.test"


async def test_a_finished_delivery_can_be_sent_again(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    receiver = Receiver()
    shop = await approved_merchant(runtime, graphql)
    async with receiving(receiver) as url:
        endpoint, _ = await endpoint_for(graphql, shop, url)
        await paid_once(runtime, graphql, shop)
        dispatcher = build_webhook_dispatcher(runtime.services)
        await dispatcher.deliver_due()
        (delivery,) = await logged(graphql, shop, endpoint)
        again = await graphql(REDELIVER, {"id": delivery["id"]}, token=shop.owner.token)
        await dispatcher.deliver_due()
        await dispatcher.aclose()
    (after,) = await logged(graphql, shop, endpoint)

    assert again.data["redeliverWebhook"] == {"delivery": {"status": "PENDING"}, "errors": []}
    assert [post.body for post in receiver.received] == [receiver.received[0].body] * 2
    assert (after["status"], after["attemptCount"]) == ("SUCCEEDED", 2)


async def test_other_merchants_and_customers_cannot_touch_an_endpoint(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    shop = await approved_merchant(runtime, graphql)
    rival = await approved_merchant(runtime, graphql)
    ada = await customer(runtime, graphql)
    endpoint, _ = await endpoint_for(graphql, shop, "http://127.0.0.1:9/hook")

    rival_sees = await graphql(DELIVERIES, {"endpoint": endpoint}, token=rival.owner.token)
    rival_rotates = await graphql(ROTATE, {"id": endpoint}, token=rival.owner.token)
    rival_lists = await graphql(ENDPOINTS, {"merchant": shop.merchant_id}, token=rival.owner.token)
    rival_creates = await graphql(
        CREATE,
        {
            "merchant": shop.merchant_id,
            "url": "http://127.0.0.1:9/x",
            "events": ["PAYMENT_COMPLETED"],
        },
        token=rival.owner.token,
    )
    customer_rotates = await graphql(ROTATE, {"id": endpoint}, token=ada.token)

    assert rival_sees.error_codes == ["NOT_FOUND"]
    assert rival_rotates.data["rotateWebhookSecret"]["errors"] == [{"code": "NOT_FOUND"}]
    assert rival_lists.data["merchant"]["webhookEndpoints"] == []
    assert rival_creates.data["createWebhookEndpoint"]["errors"][0]["code"] == "NOT_FOUND"
    assert customer_rotates.error_codes == ["FORBIDDEN"]
