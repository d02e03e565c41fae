"""Merchants' signed webhooks: endpoints, deliveries and every attempt made."""

from datetime import datetime
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain.payments.webhook_rules import WebhookEventType as DomainWebhookEventType
from domain.payments.webhooks import DeliveryStatus as DomainDeliveryStatus
from domain.payments.webhooks import EndpointStatus as DomainEndpointStatus
from domain.payments.webhooks import WebhookAttempt as DomainWebhookAttempt
from domain.payments.webhooks import WebhookDelivery as DomainWebhookDelivery
from domain.payments.webhooks import WebhookEndpoint as DomainWebhookEndpoint
from resolvers.payments import webhooks
from schema.ids import to_global_id
from schema.pagination import PAGE, Connection, connection, decode_cursor, page_size
from schema.permissions import requires_scopes
from schema.shared import UserError, to_payload

WebhookEventType = strawberry.enum(DomainWebhookEventType, name="WebhookEventType")
WebhookEndpointStatus = strawberry.enum(DomainEndpointStatus, name="WebhookEndpointStatus")
WebhookDeliveryStatus = strawberry.enum(DomainDeliveryStatus, name="WebhookDeliveryStatus")
MANAGE = "merchants:manage"


@strawberry.type(description="One POST to the endpoint and what came back.")
class WebhookAttempt:
    attempted_at: datetime
    status_code: int | None = strawberry.field(description="Null when no answer came.")
    latency_ms: int
    error: str | None
    response_excerpt: str = strawberry.field(description="The first 500 characters.")

    @classmethod
    def from_domain(cls, attempt: DomainWebhookAttempt) -> "WebhookAttempt":
        outcome = attempt.outcome
        return cls(
            attempted_at=attempt.attempted_at,
            status_code=outcome.status_code,
            latency_ms=outcome.latency_ms,
            error=outcome.error,
            response_excerpt=outcome.response_excerpt,
        )


@strawberry.type(description="An event on its way to one endpoint, retried for up to a day.")
class WebhookDelivery:
    id: strawberry.ID
    event_id: strawberry.ID = strawberry.field(description="Also the `Elcorp-Event-Id` header.")
    event_type: WebhookEventType
    status: WebhookDeliveryStatus
    attempt_count: int
    created_at: datetime
    next_attempt_at: datetime | None
    retry_until: datetime
    delivered_at: datetime | None
    body: str = strawberry.field(description="The exact JSON posted (and signed).")
    uuid: strawberry.Private[UUID]

    @strawberry.field(description="Oldest first.")
    async def attempts(self, info: Info) -> list[WebhookAttempt]:
        return [WebhookAttempt.from_domain(a) for a in await webhooks.attempts(info, self.uuid)]

    @classmethod
    def from_domain(cls, delivery: DomainWebhookDelivery) -> "WebhookDelivery":
        return cls(
            id=to_global_id("WebhookDelivery", delivery.id),
            event_id=strawberry.ID(str(delivery.event_id)),
            event_type=delivery.event_type,
            status=delivery.status,
            attempt_count=delivery.attempts,
            created_at=delivery.created_at,
            next_attempt_at=delivery.next_attempt_at,
            retry_until=delivery.retry_until,
            delivered_at=delivery.delivered_at,
            body=delivery.body,
            uuid=delivery.id,
        )


@strawberry.type(description="Where a merchant receives signed events. The secret is shown once.")
class WebhookEndpoint:
    id: strawberry.ID
    url: str
    events: list[WebhookEventType]
    status: WebhookEndpointStatus
    description: str
    consecutive_failures: int
    created_at: datetime
    updated_at: datetime
    disabled_at: datetime | None
    previous_secret_expires_at: datetime | None = strawberry.field(
        description="After a rotation, the old secret signs beside the new one until then."
    )

    @classmethod
    def from_domain(cls, endpoint: DomainWebhookEndpoint) -> "WebhookEndpoint":
        return cls(
            id=to_global_id("WebhookEndpoint", endpoint.id),
            url=endpoint.url,
            events=sorted(endpoint.events),
            status=endpoint.status,
            description=endpoint.description,
            consecutive_failures=endpoint.consecutive_failures,
            created_at=endpoint.created_at,
            updated_at=endpoint.updated_at,
            disabled_at=endpoint.disabled_at,
            previous_secret_expires_at=endpoint.previous_secret_expires_at,
        )


@strawberry.input
class CreateWebhookEndpointInput:
    merchant_id: strawberry.ID
    url: str
    events: list[WebhookEventType]
    description: str = ""


@strawberry.input(description="Only what is given changes; `enabled: true` revives a disabled one.")
class UpdateWebhookEndpointInput:
    id: strawberry.ID
    url: str | None = None
    events: list[WebhookEventType] | None = None
    description: str | None = None
    enabled: bool | None = None


@strawberry.input
class RotateWebhookSecretInput:
    id: strawberry.ID
    grace_seconds: int = strawberry.field(
        default=86_400, description="How long the old secret keeps signing (at most 7 days)."
    )


@strawberry.input
class WebhookEndpointIdInput:
    id: strawberry.ID


@strawberry.input
class RedeliverWebhookInput:
    delivery_id: strawberry.ID


@strawberry.type
class WebhookEndpointPayload:
    endpoint: WebhookEndpoint | None = None
    errors: list[UserError]


@strawberry.type
class WebhookSecretPayload:
    endpoint: WebhookEndpoint | None = None
    secret: str | None = strawberry.field(default=None, description="Shown this once only.")
    errors: list[UserError]


@strawberry.type
class DeleteWebhookEndpointPayload:
    deleted_id: strawberry.ID | None = None
    errors: list[UserError]


@strawberry.type
class WebhookDeliveryPayload:
    delivery: WebhookDelivery | None = None
    errors: list[UserError]


def _secret_payload(outcome: object) -> WebhookSecretPayload:
    return to_payload(
        WebhookSecretPayload,
        outcome,
        lambda e: {"endpoint": WebhookEndpoint.from_domain(e), "secret": e.secret},
    )


def _delivery_payload(outcome: object) -> WebhookDeliveryPayload:
    return to_payload(
        WebhookDeliveryPayload, outcome, lambda d: {"delivery": WebhookDelivery.from_domain(d)}
    )


@strawberry.type(name="Query")
class WebhookQuery:
    @strawberry.field(
        directives=PAGE,
        extensions=requires_scopes([MANAGE], ["payments:read_any"]),
        description="An endpoint's deliveries, newest first.",
    )
    async def webhook_deliveries(
        self, info: Info, endpoint_id: strawberry.ID, first: int = 20, after: str | None = None
    ) -> Connection[WebhookDelivery]:
        size = page_size(first)
        rows = await webhooks.deliveries(info, endpoint_id, size + 1, decode_cursor(after))
        return connection(rows, size, lambda row: row.id, WebhookDelivery.from_domain)


@strawberry.type(name="Mutation")
class WebhookMutation:
    @strawberry.mutation(
        extensions=requires_scopes([MANAGE]),
        description="Registers an HTTPS endpoint of your merchant for the events chosen.",
    )
    async def create_webhook_endpoint(
        self, info: Info, input: CreateWebhookEndpointInput
    ) -> WebhookSecretPayload:
        return _secret_payload(
            await webhooks.create(
                info, input.merchant_id, input.url, list(input.events), input.description
            )
        )

    @strawberry.mutation(extensions=requires_scopes([MANAGE]))
    async def update_webhook_endpoint(
        self, info: Info, input: UpdateWebhookEndpointInput
    ) -> WebhookEndpointPayload:
        outcome = await webhooks.update(
            info,
            input.id,
            input.url,
            None if input.events is None else list(input.events),
            input.description,
            input.enabled,
        )
        return to_payload(
            WebhookEndpointPayload, outcome, lambda e: {"endpoint": WebhookEndpoint.from_domain(e)}
        )

    @strawberry.mutation(
        extensions=requires_scopes([MANAGE]),
        description="A new secret signs from now on; the old one signs beside it for the grace "
        "period, so receivers can switch without missing an event.",
    )
    async def rotate_webhook_secret(
        self, info: Info, input: RotateWebhookSecretInput
    ) -> WebhookSecretPayload:
        return _secret_payload(await webhooks.rotate_secret(info, input.id, input.grace_seconds))

    @strawberry.mutation(
        extensions=requires_scopes([MANAGE]),
        description="Stops the endpoint and cancels its pending deliveries.",
    )
    async def delete_webhook_endpoint(
        self, info: Info, input: WebhookEndpointIdInput
    ) -> DeleteWebhookEndpointPayload:
        outcome = await webhooks.delete(info, input.id)
        return to_payload(
            DeleteWebhookEndpointPayload,
            outcome,
            lambda deleted: {"deleted_id": to_global_id("WebhookEndpoint", deleted)},
        )

    @strawberry.mutation(
        extensions=requires_scopes([MANAGE]), description="Queues a signed `webhook.test` event."
    )
    async def send_test_webhook(
        self, info: Info, input: WebhookEndpointIdInput
    ) -> WebhookDeliveryPayload:
        return _delivery_payload(await webhooks.send_test(info, input.id))

    @strawberry.mutation(
        extensions=requires_scopes([MANAGE]),
        description="Attempts a finished delivery again, for another 24 hours.",
    )
    async def redeliver_webhook(
        self, info: Info, input: RedeliverWebhookInput
    ) -> WebhookDeliveryPayload:
        return _delivery_payload(await webhooks.redeliver(info, input.delivery_id))
