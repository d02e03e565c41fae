"""Merchants' webhook endpoints and the deliveries made to them."""

import json
import secrets
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from domain.payments.model import LedgerTransaction, Merchant
from domain.payments.webhook_rules import WebhookEventType
from domain.shared.ids import global_id
from domain.shared.ports import EventRecorder

EXCERPT = 500


class EndpointStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"
    DELETED = "deleted"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


@dataclass(frozen=True, kw_only=True)
class WebhookEndpoint:
    id: UUID
    merchant_id: UUID
    url: str
    events: frozenset[WebhookEventType]
    status: EndpointStatus
    description: str
    secret: str
    created_at: datetime
    updated_at: datetime
    previous_secret: str | None = None
    previous_secret_expires_at: datetime | None = None
    consecutive_failures: int = 0
    disabled_at: datetime | None = None

    def signing_secrets(self, now: datetime) -> list[str]:
        """The current secret, and the one it replaced while its grace period lasts."""
        previous, expires = self.previous_secret, self.previous_secret_expires_at
        if previous is not None and expires is not None and now < expires:
            return [self.secret, previous]
        return [self.secret]


@dataclass(frozen=True, kw_only=True)
class WebhookDelivery:
    id: UUID
    endpoint_id: UUID
    event_id: UUID
    event_type: WebhookEventType
    body: str
    status: DeliveryStatus
    created_at: datetime
    next_attempt_at: datetime | None
    retry_until: datetime
    attempts: int = 0
    delivered_at: datetime | None = None


@dataclass(frozen=True)
class AttemptOutcome:
    """What one POST got: a status code, or an error before any answer."""

    status_code: int | None
    latency_ms: int
    error: str | None = None
    response_excerpt: str = ""

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    def clipped(self) -> "AttemptOutcome":
        return replace(
            self,
            error=None if self.error is None else self.error[:EXCERPT],
            response_excerpt=self.response_excerpt[:EXCERPT],
        )


@dataclass(frozen=True)
class WebhookAttempt:
    delivery_id: UUID
    attempted_at: datetime
    outcome: AttemptOutcome


def new_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


def webhook_body(
    event_id: UUID, event_type: WebhookEventType, data: dict[str, object], at: datetime
) -> str:
    """The JSON a receiver gets; signed byte for byte, so frozen when the event happens."""
    return json.dumps(
        {
            "id": str(event_id),
            "type": event_type.value,
            "created": int(at.timestamp()),
            "data": {"object": data},
        },
        separators=(",", ":"),
        sort_keys=True,
    )


def transaction_data(transaction: LedgerTransaction) -> dict[str, object]:
    """What a merchant's receiver learns of a transaction: ids and amounts, no names."""

    def money(amount_minor: int) -> dict[str, object]:
        return {"amountMinor": amount_minor, "currency": transaction.amount.currency.value}

    return {
        "object": "transaction",
        "id": global_id("Transaction", transaction.id),
        "kind": transaction.kind.value.upper(),
        "status": transaction.status.value.upper(),
        "amount": money(transaction.amount.amount_minor),
        "fee": None if transaction.fee is None else money(transaction.fee.amount_minor),
        "reference": transaction.reference,
        "originalTransactionId": (
            None
            if transaction.original_id is None
            else global_id("Transaction", transaction.original_id)
        ),
        "createdAt": transaction.created_at.isoformat(),
    }


class WebhookRepository(Protocol):
    async def add_endpoint(self, endpoint: WebhookEndpoint) -> None: ...

    async def endpoint(self, endpoint_id: UUID, *, lock: bool = False) -> WebhookEndpoint | None:
        """Deleted endpoints are not found."""

    async def save_endpoint(self, endpoint: WebhookEndpoint) -> None: ...

    async def subscribed(self, merchant_id: UUID, event: WebhookEventType) -> list[WebhookEndpoint]:
        """The merchant's active endpoints that asked for the event."""

    async def add_delivery(self, delivery: WebhookDelivery) -> bool:
        """False when the endpoint already has a delivery of that event."""

    async def delivery(
        self, delivery_id: UUID, *, lock: bool = False
    ) -> WebhookDelivery | None: ...

    async def save_delivery(self, delivery: WebhookDelivery) -> None: ...

    async def add_attempt(self, attempt: WebhookAttempt) -> None: ...

    async def cancel_pending(self, endpoint_id: UUID) -> int: ...


class WebhookMerchants(Protocol):
    async def get(self, merchant_id: UUID, *, lock: bool = False) -> Merchant | None: ...


class WebhookUnitOfWork(EventRecorder, Protocol):
    @property
    def webhooks(self) -> WebhookRepository: ...

    @property
    def merchants(self) -> WebhookMerchants: ...


class AddressResolver(Protocol):
    async def addresses(self, host: str, port: int) -> list[str]:
        """Every address the host resolves to (an IP literal resolves to itself)."""
