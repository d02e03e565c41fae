"""Webhook endpoints (secrets encrypted at rest), deliveries and their attempts."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from uuid import UUID

from sqlalchemy import insert, select, update
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncSession

from adapters.encryption import FieldCipher
from domain.payments.webhook_rules import WebhookEventType
from domain.payments.webhooks import (
    AttemptOutcome,
    DeliveryStatus,
    EndpointStatus,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from persistence.payments.webhook_tables import (
    WebhookAttemptRow,
    WebhookDeliveryRow,
    WebhookEndpointRow,
)

LIVE = (EndpointStatus.ACTIVE.value, EndpointStatus.DISABLED.value)


class WebhookSecrets:
    """Endpoint secrets under a key of their own, each bound to its endpoint."""

    def __init__(self, cipher: FieldCipher) -> None:
        self._cipher = cipher

    def seal(self, endpoint_id: UUID, secret: str) -> bytes:
        return self._cipher.encrypt(secret.encode(), endpoint_id.bytes)

    def open(self, endpoint_id: UUID, sealed: bytes) -> str:
        return self._cipher.decrypt(sealed, endpoint_id.bytes).decode()


class WebhookRepository:
    def __init__(self, session: AsyncSession, secrets: WebhookSecrets) -> None:
        self._db = session
        self._secrets = secrets

    async def add_endpoint(self, endpoint: WebhookEndpoint) -> None:
        await self._db.execute(insert(WebhookEndpointRow).values(**self._endpoint_values(endpoint)))

    async def endpoint(self, endpoint_id: UUID, *, lock: bool = False) -> WebhookEndpoint | None:
        query = select(WebhookEndpointRow).where(
            WebhookEndpointRow.id == endpoint_id, WebhookEndpointRow.status.in_(LIVE)
        )
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        row = await self._db.scalar(query)
        return None if row is None else self._to_endpoint(row)

    async def save_endpoint(self, endpoint: WebhookEndpoint) -> None:
        values = self._endpoint_values(endpoint)
        del values["id"], values["merchant_id"], values["created_at"]
        await self._db.execute(
            update(WebhookEndpointRow).where(WebhookEndpointRow.id == endpoint.id).values(**values)
        )

    async def subscribed(self, merchant_id: UUID, event: WebhookEventType) -> list[WebhookEndpoint]:
        rows = await self._db.scalars(
            select(WebhookEndpointRow).where(
                WebhookEndpointRow.merchant_id == merchant_id,
                WebhookEndpointRow.status == EndpointStatus.ACTIVE.value,
                WebhookEndpointRow.events.contains([event.value]),
            )
        )
        return [self._to_endpoint(row) for row in rows]

    async def of_merchants(self, merchant_ids: Sequence[UUID]) -> list[list[WebhookEndpoint]]:
        rows = await self._db.scalars(
            select(WebhookEndpointRow)
            .where(
                WebhookEndpointRow.merchant_id.in_(merchant_ids),
                WebhookEndpointRow.status.in_(LIVE),
            )
            .order_by(WebhookEndpointRow.id)
        )
        found: dict[UUID, list[WebhookEndpoint]] = {merchant: [] for merchant in merchant_ids}
        for row in rows:
            found[row.merchant_id].append(self._to_endpoint(row))
        return [found[merchant] for merchant in merchant_ids]

    async def add_delivery(self, delivery: WebhookDelivery) -> bool:
        added = await self._db.scalar(
            upsert(WebhookDeliveryRow)
            .values(**_delivery_values(delivery))
            .on_conflict_do_nothing(constraint="uq_webhook_deliveries_endpoint_event")
            .returning(WebhookDeliveryRow.id)
        )
        return added is not None

    async def delivery(self, delivery_id: UUID, *, lock: bool = False) -> WebhookDelivery | None:
        query = select(WebhookDeliveryRow).where(WebhookDeliveryRow.id == delivery_id)
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        row = await self._db.scalar(query)
        return None if row is None else _to_delivery(row)

    async def save_delivery(self, delivery: WebhookDelivery) -> None:
        values = _delivery_values(delivery)
        del values["id"], values["endpoint_id"], values["event_id"], values["body"]
        await self._db.execute(
            update(WebhookDeliveryRow).where(WebhookDeliveryRow.id == delivery.id).values(**values)
        )

    async def add_attempt(self, attempt: WebhookAttempt) -> None:
        outcome = attempt.outcome
        await self._db.execute(
            insert(WebhookAttemptRow).values(
                delivery_id=attempt.delivery_id,
                attempted_at=attempt.attempted_at,
                status_code=outcome.status_code,
                latency_ms=outcome.latency_ms,
                error=outcome.error,
                response_excerpt=outcome.response_excerpt,
            )
        )

    async def cancel_pending(self, endpoint_id: UUID) -> int:
        cancelled = await self._db.scalars(
            update(WebhookDeliveryRow)
            .where(
                WebhookDeliveryRow.endpoint_id == endpoint_id,
                WebhookDeliveryRow.status == DeliveryStatus.PENDING.value,
            )
            .values(status=DeliveryStatus.CANCELLED.value, next_attempt_at=None)
            .returning(WebhookDeliveryRow.id)
        )
        return len(list(cancelled))

    async def claim_due(
        self, now: datetime, limit: int, lease: timedelta
    ) -> list[tuple[WebhookDelivery, WebhookEndpoint]]:
        """Due deliveries of active endpoints, leased: pushed `lease` into the future so no
        other worker takes them while this one posts; a worker that dies lets them fall due."""
        rows = await self._db.execute(
            select(WebhookDeliveryRow, WebhookEndpointRow)
            .join(WebhookEndpointRow, WebhookEndpointRow.id == WebhookDeliveryRow.endpoint_id)
            .where(
                WebhookDeliveryRow.status == DeliveryStatus.PENDING.value,
                WebhookDeliveryRow.next_attempt_at <= now,
                WebhookEndpointRow.status == EndpointStatus.ACTIVE.value,
            )
            .order_by(WebhookDeliveryRow.next_attempt_at)
            .limit(limit)
            .with_for_update(of=WebhookDeliveryRow, skip_locked=True)
        )
        claimed = [
            (_to_delivery(delivery), self._to_endpoint(endpoint)) for delivery, endpoint in rows
        ]
        if claimed:
            await self._db.execute(
                update(WebhookDeliveryRow)
                .where(WebhookDeliveryRow.id.in_([delivery.id for delivery, _ in claimed]))
                .values(next_attempt_at=now + lease)
            )
        return claimed

    async def deliveries_of(
        self, endpoint_id: UUID, limit: int, before: UUID | None
    ) -> list[WebhookDelivery]:
        query = select(WebhookDeliveryRow).where(WebhookDeliveryRow.endpoint_id == endpoint_id)
        if before is not None:
            query = query.where(WebhookDeliveryRow.id < before)
        rows = await self._db.scalars(query.order_by(WebhookDeliveryRow.id.desc()).limit(limit))
        return [_to_delivery(row) for row in rows]

    async def attempts_of(self, delivery_ids: Sequence[UUID]) -> list[list[WebhookAttempt]]:
        rows = await self._db.scalars(
            select(WebhookAttemptRow)
            .where(WebhookAttemptRow.delivery_id.in_(delivery_ids))
            .order_by(WebhookAttemptRow.id)
        )
        found: dict[UUID, list[WebhookAttempt]] = {delivery: [] for delivery in delivery_ids}
        for row in rows:
            outcome = AttemptOutcome(
                row.status_code, row.latency_ms, row.error, row.response_excerpt
            )
            found[row.delivery_id].append(
                WebhookAttempt(row.delivery_id, row.attempted_at, outcome)
            )
        return [found[delivery] for delivery in delivery_ids]

    def _endpoint_values(self, endpoint: WebhookEndpoint) -> dict[str, object]:
        return {
            "id": endpoint.id,
            "merchant_id": endpoint.merchant_id,
            "url": endpoint.url,
            "events": sorted(event.value for event in endpoint.events),
            "status": endpoint.status.value,
            "description": endpoint.description,
            "secret_ciphertext": self._secrets.seal(endpoint.id, endpoint.secret),
            "previous_secret_ciphertext": (
                None
                if endpoint.previous_secret is None
                else self._secrets.seal(endpoint.id, endpoint.previous_secret)
            ),
            "previous_secret_expires_at": endpoint.previous_secret_expires_at,
            "consecutive_failures": endpoint.consecutive_failures,
            "created_at": endpoint.created_at,
            "updated_at": endpoint.updated_at,
            "disabled_at": endpoint.disabled_at,
        }

    def _to_endpoint(self, row: WebhookEndpointRow) -> WebhookEndpoint:
        previous = row.previous_secret_ciphertext
        return WebhookEndpoint(
            id=row.id,
            merchant_id=row.merchant_id,
            url=row.url,
            events=frozenset(WebhookEventType(event) for event in row.events),
            status=EndpointStatus(row.status),
            description=row.description,
            secret=self._secrets.open(row.id, row.secret_ciphertext),
            previous_secret=None if previous is None else self._secrets.open(row.id, previous),
            previous_secret_expires_at=row.previous_secret_expires_at,
            consecutive_failures=row.consecutive_failures,
            created_at=row.created_at,
            updated_at=row.updated_at,
            disabled_at=row.disabled_at,
        )


def _delivery_values(delivery: WebhookDelivery) -> dict[str, object]:
    return {
        "id": delivery.id,
        "endpoint_id": delivery.endpoint_id,
        "event_id": delivery.event_id,
        "event_type": delivery.event_type.value,
        "body": delivery.body,
        "status": delivery.status.value,
        "attempts": delivery.attempts,
        "created_at": delivery.created_at,
        "next_attempt_at": delivery.next_attempt_at,
        "retry_until": delivery.retry_until,
        "delivered_at": delivery.delivered_at,
    }


def _to_delivery(row: WebhookDeliveryRow) -> WebhookDelivery:
    return WebhookDelivery(
        id=row.id,
        endpoint_id=row.endpoint_id,
        event_id=row.event_id,
        event_type=WebhookEventType(row.event_type),
        body=row.body,
        status=DeliveryStatus(row.status),
        attempts=row.attempts,
        created_at=row.created_at,
        next_attempt_at=row.next_attempt_at,
        retry_until=row.retry_until,
        delivered_at=row.delivered_at,
    )
