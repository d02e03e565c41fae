"""What a webhook endpoint may be and how deliveries are retried: pure rules."""

import ipaddress
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from domain.payments.model import TransactionKind, TransactionStatus
from domain.shared.errors import DomainError, ErrorCode

MAX_URL = 2_000
MAX_DESCRIPTION = 200
SIGNATURE_VERSION = "v1"


class InvalidWebhookUrl(DomainError):
    code = ErrorCode.INVALID_URL


class WebhookEventType(StrEnum):
    PAYMENT_COMPLETED = "payment.completed"
    PAYMENT_REVERSED = "payment.reversed"
    REFUND_COMPLETED = "refund.completed"
    TEST = "webhook.test"


SUBSCRIBABLE = frozenset(WebhookEventType) - {WebhookEventType.TEST}

_EVENT_TYPES = {
    (TransactionKind.PAYMENT, TransactionStatus.COMPLETED): WebhookEventType.PAYMENT_COMPLETED,
    (TransactionKind.PAYMENT, TransactionStatus.REVERSED): WebhookEventType.PAYMENT_REVERSED,
    (TransactionKind.REFUND, TransactionStatus.COMPLETED): WebhookEventType.REFUND_COMPLETED,
}


def event_type_for(kind: TransactionKind, status: TransactionStatus) -> WebhookEventType | None:
    """The webhook a merchant hears when one of its transactions reaches a status."""
    return _EVENT_TYPES.get((kind, status))


def allowed_address(address: str, *, allow_private: bool) -> bool:
    """Public unicast addresses only: never loopback, private, link-local (cloud metadata
    lives there), shared, multicast, reserved or unspecified ones."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if allow_private:
        return not ip.is_unspecified and not ip.is_multicast
    return ip.is_global and not ip.is_multicast


@dataclass(frozen=True)
class WebhookUrl:
    url: str
    host: str
    port: int


def parse_webhook_url(raw: str, *, allow_private: bool) -> WebhookUrl:
    """HTTPS with a host and no credentials (plain HTTP only where private addresses are
    allowed, i.e. development). The host's addresses are checked separately, when it is
    resolved and again on every connection."""
    url = raw.strip()
    if not url or len(url) > MAX_URL:
        raise InvalidWebhookUrl(f"URLs are 1 to {MAX_URL} characters", field="url")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise InvalidWebhookUrl("That is not a URL", field="url") from None
    schemes = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise InvalidWebhookUrl("Webhook URLs must use https://", field="url")
    if not parts.hostname or parts.username is not None or parts.password is not None:
        raise InvalidWebhookUrl("A webhook URL has a host and no credentials", field="url")
    if parts.fragment:
        raise InvalidWebhookUrl("A webhook URL has no #fragment", field="url")
    default_port = 443 if parts.scheme == "https" else 80
    return WebhookUrl(url=url, host=parts.hostname, port=port or default_port)


def check_addresses(url: WebhookUrl, addresses: list[str], *, allow_private: bool) -> None:
    if not addresses:
        raise InvalidWebhookUrl(f"{url.host} does not resolve", field="url")
    refused = [a for a in addresses if not allowed_address(a, allow_private=allow_private)]
    if refused:
        raise InvalidWebhookUrl(
            f"{url.host} resolves to an address webhooks may not reach ({refused[0]})",
            field="url",
        )


def check_events(events: list[WebhookEventType]) -> frozenset[WebhookEventType]:
    chosen = frozenset(events)
    if not chosen or not chosen <= SUBSCRIBABLE:
        names = ", ".join(sorted(e.value for e in SUBSCRIBABLE))
        raise DomainError(f"Choose one or more of: {names}", field="events")
    return chosen


def clean_description(raw: str) -> str:
    description = " ".join(raw.split())
    if len(description) > MAX_DESCRIPTION:
        raise DomainError(
            f"Descriptions are at most {MAX_DESCRIPTION} characters", field="description"
        )
    return description


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential back-off with jitter, until `give_up_after` has passed since the event
    (or since a redelivery was asked for)."""

    first_delay: timedelta = timedelta(seconds=10)
    max_delay: timedelta = timedelta(hours=1)
    give_up_after: timedelta = timedelta(hours=24)
    jitter: float = 0.2

    def next_attempt(
        self, failures: int, until: datetime, now: datetime, rng: random.Random | None = None
    ) -> datetime | None:
        """When to try again after `failures` failed attempts; None: give up."""
        delay = min(self.first_delay * 2 ** min(failures - 1, 30), self.max_delay)
        spread = 1 + (rng or random).uniform(-self.jitter, self.jitter)
        at = now + delay * spread
        return at if at <= until else None
