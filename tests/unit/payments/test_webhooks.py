"""Webhook rules without a database: addresses, URLs, back-off, secrets, attempt outcomes."""

import random
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID, uuid4

import pytest

from domain.payments.model import Merchant, MerchantStatus, TransactionKind, TransactionStatus
from domain.payments.webhook_rules import (
    InvalidWebhookUrl,
    RetryPolicy,
    WebhookEventType,
    allowed_address,
    event_type_for,
    parse_webhook_url,
)
from domain.payments.webhook_service import ENDPOINT_DISABLED, WebhookService
from domain.payments.webhooks import (
    AttemptOutcome,
    DeliveryStatus,
    EndpointStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from domain.shared.clock import FixedClock
from domain.shared.errors import DomainError
from domain.shared.events import AuditRecord, DomainEvent
from domain.shared.signatures import digest, signature_header

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("8.8.8.8", True),
        ("2a00:1450:4001:81b::200e", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("100.100.100.200", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fe80::1%eth0", False),
        ("fd12::1", False),
        ("::ffff:10.0.0.1", False),
        ("not-an-ip", False),
    ],
)
def test_only_public_unicast_addresses_are_allowed(address: str, public: bool) -> None:
    assert allowed_address(address, allow_private=False) is public


def test_development_allows_private_addresses_but_never_unspecified_ones() -> None:
    assert allowed_address("127.0.0.1", allow_private=True)
    assert not allowed_address("0.0.0.0", allow_private=True)


def test_urls_are_https_with_a_host_and_no_credentials() -> None:
    parsed = parse_webhook_url(" https://hooks.example.na/elcorp?x=1 ", allow_private=False)

    assert (parsed.url, parsed.host, parsed.port) == (
        "https://hooks.example.na/elcorp?x=1",
        "hooks.example.na",
        443,
    )
    assert parse_webhook_url("http://localhost:8080/h", allow_private=True).port == 8080
    for bad in ("http://hooks.example.na/", "https://u:p@example.na/", "https://x.na/#f", ""):
        with pytest.raises(InvalidWebhookUrl):
            parse_webhook_url(bad, allow_private=False)


def test_merchant_transactions_map_to_webhook_events() -> None:
    assert event_type_for(TransactionKind.PAYMENT, TransactionStatus.COMPLETED) is (
        WebhookEventType.PAYMENT_COMPLETED
    )
    assert event_type_for(TransactionKind.REFUND, TransactionStatus.COMPLETED) is (
        WebhookEventType.REFUND_COMPLETED
    )
    assert event_type_for(TransactionKind.TRANSFER, TransactionStatus.COMPLETED) is None


def test_back_off_doubles_with_jitter_is_capped_and_gives_up_after_a_day() -> None:
    policy = RetryPolicy()
    rng = random.Random(7)
    until = NOW + timedelta(hours=24)

    delays = [(policy.next_attempt(n, until, NOW, rng) - NOW) for n in range(1, 12)]  # type: ignore[operator]

    for n, delay in enumerate(delays[:6], start=1):
        expected = timedelta(seconds=10 * 2 ** (n - 1))
        assert expected * 0.8 <= delay <= expected * 1.2
    assert max(delays) <= timedelta(hours=1) * 1.2
    assert policy.next_attempt(3, until, until - timedelta(seconds=1), rng) is None


def test_signatures_sign_the_timestamp_and_body_with_every_secret() -> None:
    body = b'{"a":1}'

    header = signature_header([b"new", b"old"], 1_700_000_000, body)

    new, old = digest(b"new", 1_700_000_000, body), digest(b"old", 1_700_000_000, body)
    assert header == f"t=1700000000,v1={new},v1={old}"


def endpoint(**changes: object) -> WebhookEndpoint:
    made = WebhookEndpoint(
        id=uuid4(),
        merchant_id=MERCHANT.id,
        url="https://hooks.example.na/",
        events=frozenset({WebhookEventType.PAYMENT_COMPLETED}),
        status=EndpointStatus.ACTIVE,
        description="",
        secret="whsec_new",
        created_at=NOW,
        updated_at=NOW,
    )
    return replace(made, **changes)  # type: ignore[arg-type]


def test_the_old_secret_signs_only_during_its_grace_period() -> None:
    rotated = endpoint(
        previous_secret="whsec_old", previous_secret_expires_at=NOW + timedelta(hours=1)
    )

    assert rotated.signing_secrets(NOW) == ["whsec_new", "whsec_old"]
    assert rotated.signing_secrets(NOW + timedelta(hours=1)) == ["whsec_new"]


MERCHANT = Merchant(
    id=uuid4(),
    owner_id=uuid4(),
    trading_name="Kapana",
    status=MerchantStatus.APPROVED,
    created_at=NOW,
)


class FakeWebhooks:
    def __init__(self, endpoint: WebhookEndpoint, delivery: WebhookDelivery) -> None:
        self.endpoints = {endpoint.id: endpoint}
        self.deliveries = {delivery.id: delivery}
        self.attempts: list[WebhookAttempt] = []

    async def endpoint(self, endpoint_id: UUID, *, lock: bool = False) -> WebhookEndpoint | None:
        return self.endpoints.get(endpoint_id)

    async def save_endpoint(self, endpoint: WebhookEndpoint) -> None:
        self.endpoints[endpoint.id] = endpoint

    async def delivery(self, delivery_id: UUID, *, lock: bool = False) -> WebhookDelivery | None:
        return self.deliveries.get(delivery_id)

    async def save_delivery(self, delivery: WebhookDelivery) -> None:
        self.deliveries[delivery.id] = delivery

    async def add_attempt(self, attempt: WebhookAttempt) -> None:
        self.attempts.append(attempt)


class FakeMerchants:
    async def get(self, merchant_id: UUID, *, lock: bool = False) -> Merchant | None:
        return MERCHANT if merchant_id == MERCHANT.id else None


class FakeUnitOfWork:
    def __init__(self, webhooks: FakeWebhooks) -> None:
        self.webhooks = webhooks
        self.merchants = FakeMerchants()
        self.events: list[DomainEvent] = []

    def record(self, event: DomainEvent) -> None:
        self.events.append(event)

    def audit(self, record: AuditRecord) -> None:
        pass


def pending(target: WebhookEndpoint) -> WebhookDelivery:
    return WebhookDelivery(
        id=uuid4(),
        endpoint_id=target.id,
        event_id=uuid4(),
        event_type=WebhookEventType.PAYMENT_COMPLETED,
        body="{}",
        status=DeliveryStatus.PENDING,
        created_at=NOW,
        next_attempt_at=NOW,
        retry_until=NOW + timedelta(hours=24),
    )


def service(clock: FixedClock, failure_limit: int = 3) -> WebhookService:
    return WebhookService(clock, resolver=None, allow_private=False, failure_limit=failure_limit)  # type: ignore[arg-type]


FAILED = AttemptOutcome(503, 12, None, "busy")
OK = AttemptOutcome(204, 9)


async def test_a_success_ends_the_delivery_and_the_run_of_failures() -> None:
    target = endpoint(consecutive_failures=2)
    delivery = pending(target)
    uow = FakeUnitOfWork(FakeWebhooks(target, delivery))

    done = await service(FixedClock(NOW)).record_attempt(uow, delivery.id, OK)  # type: ignore[arg-type]

    assert done is not None
    assert (done.status, done.attempts, done.delivered_at) == (DeliveryStatus.SUCCEEDED, 1, NOW)
    assert uow.webhooks.endpoints[target.id].consecutive_failures == 0


async def test_failures_reschedule_then_disable_the_endpoint_at_the_limit() -> None:
    target = endpoint()
    delivery = pending(target)
    uow = FakeUnitOfWork(FakeWebhooks(target, delivery))
    clock = FixedClock(NOW)
    webhooks = service(clock, failure_limit=2)

    first = await webhooks.record_attempt(uow, delivery.id, FAILED)  # type: ignore[arg-type]
    clock.advance(timedelta(minutes=1))
    second = await webhooks.record_attempt(uow, delivery.id, FAILED)  # type: ignore[arg-type]

    assert first is not None
    assert second is not None
    assert first.status is DeliveryStatus.PENDING
    assert first.next_attempt_at is not None
    assert first.next_attempt_at > NOW
    assert uow.webhooks.endpoints[target.id].status is EndpointStatus.DISABLED
    assert [event.name for event in uow.events] == [ENDPOINT_DISABLED]
    assert uow.events[0].audience == (MERCHANT.owner_id,)
    assert [a.outcome.response_excerpt for a in uow.webhooks.attempts] == ["busy", "busy"]


async def test_a_delivery_that_runs_out_of_time_fails_for_good() -> None:
    target = endpoint()
    delivery = pending(target)
    uow = FakeUnitOfWork(FakeWebhooks(target, delivery))
    clock = FixedClock(NOW + timedelta(hours=23, minutes=59, seconds=55))

    given_up = await service(clock).record_attempt(uow, delivery.id, FAILED)  # type: ignore[arg-type]

    assert given_up is not None
    assert (given_up.status, given_up.next_attempt_at) == (DeliveryStatus.FAILED, None)


async def test_an_attempt_on_a_finished_delivery_changes_nothing() -> None:
    target = endpoint()
    delivery = replace(pending(target), status=DeliveryStatus.SUCCEEDED)
    uow = FakeUnitOfWork(FakeWebhooks(target, delivery))

    outcome = await service(FixedClock(NOW)).record_attempt(uow, delivery.id, FAILED)  # type: ignore[arg-type]

    assert outcome is None
    assert uow.webhooks.attempts == []


async def test_a_grace_period_past_a_week_is_refused() -> None:
    target = endpoint()
    uow = FakeUnitOfWork(FakeWebhooks(target, pending(target)))

    with pytest.raises(DomainError):
        await service(FixedClock(NOW)).rotate_secret(
            uow, MERCHANT.owner_id, target.id, timedelta(days=8)
        )  # type: ignore[arg-type]
