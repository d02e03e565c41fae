"""Webhook endpoints: managed by their merchant's owner; read by the owner and by staff
with `payments:read_any`."""

from datetime import timedelta
from uuid import UUID

from strawberry.types import Info

from domain.payments.webhook_rules import WebhookEventType
from domain.payments.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from domain.shared.errors import DomainError
from resolvers.commands import run_command
from resolvers.payments.queries import reads_any
from schema.errors import NotFound
from schema.ids import from_global_id


def endpoint_id(global_id: str) -> UUID:
    return from_global_id(global_id, "WebhookEndpoint")[1]


def _owner(info: Info) -> UUID:
    return info.context.principal.subject_id  # type: ignore[no-any-return]


async def create(
    info: Info, merchant: str, url: str, events: list[WebhookEventType], description: str
) -> WebhookEndpoint | DomainError:
    merchant_id = from_global_id(merchant, "Merchant")[1]
    webhooks = info.context.services.webhooks
    return await run_command(
        info, lambda uow: webhooks.create(uow, _owner(info), merchant_id, url, events, description)
    )


async def update(
    info: Info,
    endpoint: str,
    url: str | None,
    events: list[WebhookEventType] | None,
    description: str | None,
    enabled: bool | None,
) -> WebhookEndpoint | DomainError:
    webhooks = info.context.services.webhooks
    return await run_command(
        info,
        lambda uow: webhooks.update(
            uow,
            _owner(info),
            endpoint_id(endpoint),
            url=url,
            events=events,
            description=description,
            enabled=enabled,
        ),
    )


async def rotate_secret(info: Info, endpoint: str, grace_s: int) -> WebhookEndpoint | DomainError:
    webhooks = info.context.services.webhooks
    grace = timedelta(seconds=grace_s)
    return await run_command(
        info, lambda uow: webhooks.rotate_secret(uow, _owner(info), endpoint_id(endpoint), grace)
    )


async def delete(info: Info, endpoint: str) -> UUID | DomainError:
    webhooks = info.context.services.webhooks
    return await run_command(
        info, lambda uow: webhooks.delete(uow, _owner(info), endpoint_id(endpoint))
    )


async def send_test(info: Info, endpoint: str) -> WebhookDelivery | DomainError:
    webhooks = info.context.services.webhooks
    return await run_command(
        info, lambda uow: webhooks.send_test(uow, _owner(info), endpoint_id(endpoint))
    )


async def redeliver(info: Info, delivery: str) -> WebhookDelivery | DomainError:
    delivery_id = from_global_id(delivery, "WebhookDelivery")[1]
    webhooks = info.context.services.webhooks
    return await run_command(info, lambda uow: webhooks.redeliver(uow, _owner(info), delivery_id))


async def may_read(info: Info, merchant_id: UUID) -> bool:
    if reads_any(info):
        return True
    merchant = await info.context.loaders.merchant_by_id.load(merchant_id)
    return merchant is not None and merchant.owner_id == info.context.principal.subject_id


async def endpoints_of(info: Info, merchant_id: UUID) -> list[WebhookEndpoint]:
    if not await may_read(info, merchant_id):
        return []
    return list(await info.context.loaders.webhook_endpoints_by_merchant_id.load(merchant_id))


async def deliveries(
    info: Info, endpoint: str, first: int, after: UUID | None
) -> list[WebhookDelivery]:
    found = await info.context.loaders.webhook_endpoint_by_id.load(endpoint_id(endpoint))
    if found is None or not await may_read(info, found.merchant_id):
        raise NotFound("No such webhook endpoint")
    return list(await info.context.loaders.deliveries_by_endpoint_id.load((found.id, first, after)))


async def attempts(info: Info, delivery_id: UUID) -> list[WebhookAttempt]:
    """Reached only through a delivery the viewer may read."""
    return list(await info.context.loaders.attempts_by_delivery_id.load(delivery_id))
