"""Webhook endpoints managed by a merchant's owner, and what each delivery attempt changes."""

from dataclasses import replace
from datetime import datetime, timedelta
from uuid import UUID

from domain.payments.errors import InvalidState, MerchantNotFound
from domain.payments.model import Merchant, MerchantStatus
from domain.payments.webhook_rules import (
    RetryPolicy,
    WebhookEventType,
    check_addresses,
    check_events,
    clean_description,
    parse_webhook_url,
)
from domain.payments.webhooks import (
    AddressResolver,
    AttemptOutcome,
    DeliveryStatus,
    EndpointStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
    WebhookUnitOfWork,
    new_secret,
    webhook_body,
)
from domain.shared.clock import Clock
from domain.shared.errors import DomainError, NotFound
from domain.shared.events import DomainEvent
from domain.shared.ids import new_id

ENDPOINT_CREATED = "payments.webhook_endpoint_created"
ENDPOINT_UPDATED = "payments.webhook_endpoint_updated"
ENDPOINT_SECRET_ROTATED = "payments.webhook_secret_rotated"
ENDPOINT_DELETED = "payments.webhook_endpoint_deleted"
ENDPOINT_DISABLED = "payments.webhook_endpoint_disabled"
DELIVERY_REQUESTED = "payments.webhook_delivery_requested"
MAX_GRACE = timedelta(days=7)


class WebhookService:
    def __init__(
        self,
        clock: Clock,
        resolver: AddressResolver,
        *,
        allow_private: bool,
        failure_limit: int,
        policy: RetryPolicy | None = None,
    ) -> None:
        self._clock = clock
        self._resolver = resolver
        self.allow_private = allow_private
        self._failure_limit = failure_limit
        self.policy = policy or RetryPolicy()

    async def create(
        self,
        uow: WebhookUnitOfWork,
        owner_id: UUID,
        merchant_id: UUID,
        url: str,
        events: list[WebhookEventType],
        description: str = "",
    ) -> WebhookEndpoint:
        merchant = await self._owned_merchant(uow, owner_id, merchant_id)
        chosen = check_events(events)
        now = self._clock.now()
        endpoint = WebhookEndpoint(
            id=new_id(),
            merchant_id=merchant.id,
            url=await self._checked_url(url),
            events=chosen,
            status=EndpointStatus.ACTIVE,
            description=clean_description(description),
            secret=new_secret(),
            created_at=now,
            updated_at=now,
        )
        await uow.webhooks.add_endpoint(endpoint)
        uow.record(self._event(ENDPOINT_CREATED, endpoint, merchant))
        return endpoint

    async def update(
        self,
        uow: WebhookUnitOfWork,
        owner_id: UUID,
        endpoint_id: UUID,
        *,
        url: str | None = None,
        events: list[WebhookEventType] | None = None,
        description: str | None = None,
        enabled: bool | None = None,
    ) -> WebhookEndpoint:
        """Re-enabling an endpoint forgets its failures and resumes its paused deliveries."""
        endpoint, merchant = await self._owned_endpoint(uow, owner_id, endpoint_id)
        now = self._clock.now()
        changed = replace(
            endpoint,
            url=endpoint.url if url is None else await self._checked_url(url),
            events=endpoint.events if events is None else check_events(events),
            description=(
                endpoint.description if description is None else clean_description(description)
            ),
            updated_at=now,
        )
        if enabled is True and endpoint.status is EndpointStatus.DISABLED:
            changed = replace(
                changed, status=EndpointStatus.ACTIVE, consecutive_failures=0, disabled_at=None
            )
        elif enabled is False and endpoint.status is EndpointStatus.ACTIVE:
            changed = replace(changed, status=EndpointStatus.DISABLED, disabled_at=now)
        await uow.webhooks.save_endpoint(changed)
        uow.record(self._event(ENDPOINT_UPDATED, changed, merchant))
        return changed

    async def rotate_secret(
        self, uow: WebhookUnitOfWork, owner_id: UUID, endpoint_id: UUID, grace: timedelta
    ) -> WebhookEndpoint:
        """A new secret signs from now on; the old one signs beside it for `grace`."""
        if not timedelta(0) <= grace <= MAX_GRACE:
            raise DomainError("The grace period is 0 seconds to 7 days", field="graceSeconds")
        endpoint, merchant = await self._owned_endpoint(uow, owner_id, endpoint_id)
        now = self._clock.now()
        rotated = replace(
            endpoint,
            secret=new_secret(),
            previous_secret=endpoint.secret,
            previous_secret_expires_at=now + grace,
            updated_at=now,
        )
        await uow.webhooks.save_endpoint(rotated)
        uow.record(
            self._event(
                ENDPOINT_SECRET_ROTATED, rotated, merchant, grace_s=int(grace.total_seconds())
            )
        )
        return rotated

    async def delete(self, uow: WebhookUnitOfWork, owner_id: UUID, endpoint_id: UUID) -> UUID:
        """The endpoint stops; its delivery log stays until retention removes it."""
        endpoint, merchant = await self._owned_endpoint(uow, owner_id, endpoint_id)
        deleted = replace(endpoint, status=EndpointStatus.DELETED, updated_at=self._clock.now())
        await uow.webhooks.save_endpoint(deleted)
        cancelled = await uow.webhooks.cancel_pending(endpoint.id)
        uow.record(self._event(ENDPOINT_DELETED, deleted, merchant, cancelled=cancelled))
        return endpoint.id

    async def send_test(
        self, uow: WebhookUnitOfWork, owner_id: UUID, endpoint_id: UUID
    ) -> WebhookDelivery:
        endpoint, merchant = await self._owned_endpoint(uow, owner_id, endpoint_id)
        now = self._clock.now()
        event_id = new_id()
        data: dict[str, object] = {"object": "test", "message": "A test from Elcorp"}
        delivery = self._new_delivery(
            endpoint,
            event_id,
            WebhookEventType.TEST,
            webhook_body(event_id, WebhookEventType.TEST, data, now),
        )
        await uow.webhooks.add_delivery(delivery)
        uow.record(
            self._event(DELIVERY_REQUESTED, endpoint, merchant, delivery_id=str(delivery.id))
        )
        return delivery

    async def redeliver(
        self, uow: WebhookUnitOfWork, owner_id: UUID, delivery_id: UUID
    ) -> WebhookDelivery:
        """Starts the delivery's attempts again, with a fresh 24 hours."""
        delivery = await uow.webhooks.delivery(delivery_id, lock=True)
        if delivery is None:
            raise NotFound("No such delivery", field="deliveryId")
        endpoint, merchant = await self._owned_endpoint(uow, owner_id, delivery.endpoint_id)
        if delivery.status is DeliveryStatus.PENDING:
            raise InvalidState("This delivery is still being attempted", field="deliveryId")
        now = self._clock.now()
        again = replace(
            delivery,
            status=DeliveryStatus.PENDING,
            next_attempt_at=now,
            retry_until=now + self.policy.give_up_after,
        )
        await uow.webhooks.save_delivery(again)
        uow.record(
            self._event(DELIVERY_REQUESTED, endpoint, merchant, delivery_id=str(delivery.id))
        )
        return again

    async def fan_out(
        self,
        uow: WebhookUnitOfWork,
        merchant_id: UUID,
        event_id: UUID,
        event_type: WebhookEventType,
        data: dict[str, object],
        occurred_at: datetime,
    ) -> int:
        """One delivery per subscribed endpoint; a repeated event adds none."""
        body = webhook_body(event_id, event_type, data, occurred_at)
        created = 0
        for endpoint in await uow.webhooks.subscribed(merchant_id, event_type):
            created += await uow.webhooks.add_delivery(
                self._new_delivery(endpoint, event_id, event_type, body)
            )
        return created

    async def record_attempt(
        self, uow: WebhookUnitOfWork, delivery_id: UUID, outcome: AttemptOutcome
    ) -> WebhookDelivery | None:
        """Success ends the delivery and the endpoint's run of failures; a failure schedules
        the next attempt (or gives up) and may disable the endpoint."""
        delivery = await uow.webhooks.delivery(delivery_id, lock=True)
        endpoint = (
            None
            if delivery is None
            else await uow.webhooks.endpoint(delivery.endpoint_id, lock=True)
        )
        if delivery is None or endpoint is None or delivery.status is not DeliveryStatus.PENDING:
            return None
        now = self._clock.now()
        await uow.webhooks.add_attempt(WebhookAttempt(delivery.id, now, outcome.clipped()))
        attempts = delivery.attempts + 1
        if outcome.succeeded:
            done = replace(
                delivery,
                status=DeliveryStatus.SUCCEEDED,
                attempts=attempts,
                delivered_at=now,
                next_attempt_at=None,
            )
            if endpoint.consecutive_failures:
                await uow.webhooks.save_endpoint(replace(endpoint, consecutive_failures=0))
            await uow.webhooks.save_delivery(done)
            return done
        retry_at = self.policy.next_attempt(attempts, delivery.retry_until, now)
        failed = replace(
            delivery,
            attempts=attempts,
            next_attempt_at=retry_at,
            status=DeliveryStatus.PENDING if retry_at else DeliveryStatus.FAILED,
        )
        await uow.webhooks.save_delivery(failed)
        await self._count_failure(uow, endpoint, now)
        return failed

    async def _count_failure(
        self, uow: WebhookUnitOfWork, endpoint: WebhookEndpoint, now: datetime
    ) -> None:
        failures = endpoint.consecutive_failures + 1
        counted = replace(endpoint, consecutive_failures=failures)
        if failures >= self._failure_limit and endpoint.status is EndpointStatus.ACTIVE:
            counted = replace(
                counted, status=EndpointStatus.DISABLED, disabled_at=now, updated_at=now
            )
            merchant = await uow.merchants.get(endpoint.merchant_id)
            assert merchant is not None
            uow.record(self._event(ENDPOINT_DISABLED, counted, merchant, failures=failures))
        await uow.webhooks.save_endpoint(counted)

    def _new_delivery(
        self, endpoint: WebhookEndpoint, event_id: UUID, event_type: WebhookEventType, body: str
    ) -> WebhookDelivery:
        now = self._clock.now()
        return WebhookDelivery(
            id=new_id(),
            endpoint_id=endpoint.id,
            event_id=event_id,
            event_type=event_type,
            body=body,
            status=DeliveryStatus.PENDING,
            created_at=now,
            next_attempt_at=now,
            retry_until=now + self.policy.give_up_after,
        )

    async def _checked_url(self, raw: str) -> str:
        url = parse_webhook_url(raw, allow_private=self.allow_private)
        addresses = await self._resolver.addresses(url.host, url.port)
        check_addresses(url, addresses, allow_private=self.allow_private)
        return url.url

    async def _owned_merchant(
        self, uow: WebhookUnitOfWork, owner_id: UUID, merchant_id: UUID
    ) -> Merchant:
        merchant = await uow.merchants.get(merchant_id)
        if (
            merchant is None
            or merchant.owner_id != owner_id
            or merchant.status is not MerchantStatus.APPROVED
        ):
            raise MerchantNotFound("You own no such approved merchant", field="merchantId")
        return merchant

    async def _owned_endpoint(
        self, uow: WebhookUnitOfWork, owner_id: UUID, endpoint_id: UUID
    ) -> tuple[WebhookEndpoint, Merchant]:
        endpoint = await uow.webhooks.endpoint(endpoint_id, lock=True)
        merchant = None if endpoint is None else await uow.merchants.get(endpoint.merchant_id)
        if endpoint is None or merchant is None or merchant.owner_id != owner_id:
            raise NotFound("No such webhook endpoint", field="id")
        return endpoint, merchant

    def _event(
        self, name: str, endpoint: WebhookEndpoint, merchant: Merchant, **extra: object
    ) -> DomainEvent:
        """Ids, status and events only: a URL's path or query may hold a receiver's token."""
        return DomainEvent(
            name=name,
            aggregate_type="WebhookEndpoint",
            aggregate_id=endpoint.id,
            occurred_at=self._clock.now(),
            payload={
                "merchant_id": str(merchant.id),
                "status": endpoint.status.value,
                "events": sorted(event.value for event in endpoint.events),
                **extra,
            },
            audience=(merchant.owner_id,),
        )
