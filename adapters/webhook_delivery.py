"""Webhook delivery: outbox events become deliveries (`WebhookFanout`), and the
`WebhookDispatcher` posts due ones, signed, recording every attempt."""

import asyncio
import contextlib
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from uuid import UUID

import httpx
import structlog

from domain.payments.bookkeeping import TRANSACTION_RECORDED, TRANSACTION_STATUS_CHANGED
from domain.payments.model import TransactionKind, TransactionStatus
from domain.payments.webhook_rules import event_type_for
from domain.payments.webhook_service import WebhookService
from domain.payments.webhooks import (
    AttemptOutcome,
    WebhookDelivery,
    WebhookEndpoint,
    transaction_data,
)
from domain.shared.clock import Clock
from domain.shared.signatures import signature_header
from persistence.outbox import OutboxMessage
from persistence.uow import SYSTEM, Actor, UnitOfWork

log = structlog.get_logger(__name__)

SIGNATURE_HEADER = "Elcorp-Signature"
EVENT_ID_HEADER = "Elcorp-Event-Id"
EVENT_TYPE_HEADER = "Elcorp-Event-Type"
EXCERPT_BYTES = 2_048

UnitOfWorkFactory = Callable[[Actor], UnitOfWork]


class WebhookFanout:
    """An outbox handler: a merchant's transaction events become deliveries to each of its
    endpoints that asked for them. Idempotent: a redelivered event adds nothing."""

    def __init__(self, unit_of_work: UnitOfWorkFactory, webhooks: WebhookService) -> None:
        self._unit_of_work = unit_of_work
        self._webhooks = webhooks

    async def __call__(self, message: OutboxMessage) -> None:
        if message.name not in (TRANSACTION_RECORDED, TRANSACTION_STATUS_CHANGED):
            return
        merchant_id = message.payload.get("merchant_id")
        status = TransactionStatus(message.payload["status"])
        event_type = event_type_for(TransactionKind(message.payload["kind"]), status)
        if merchant_id is None or event_type is None:
            return
        async with self._unit_of_work(SYSTEM) as uow:
            transaction = await uow.ledger.get(message.aggregate_id)
            assert transaction is not None, "events follow their transaction's commit"
            data = {**transaction_data(transaction), "status": status.value.upper()}
            await self._webhooks.fan_out(
                uow, UUID(merchant_id), message.event_id, event_type, data, message.occurred_at
            )


class WebhookSender:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self._http = http

    async def aclose(self) -> None:
        await self._http.aclose()

    async def post(
        self, delivery: WebhookDelivery, endpoint: WebhookEndpoint, now: datetime
    ) -> AttemptOutcome:
        body = delivery.body.encode()
        secrets = [secret.encode() for secret in endpoint.signing_secrets(now)]
        headers = {
            "content-type": "application/json",
            SIGNATURE_HEADER: signature_header(secrets, int(now.timestamp()), body),
            EVENT_ID_HEADER: str(delivery.event_id),
            EVENT_TYPE_HEADER: delivery.event_type.value,
        }
        started = time.perf_counter()
        try:
            async with self._http.stream(
                "POST", endpoint.url, content=body, headers=headers
            ) as answer:
                excerpt = await _first_bytes(answer, EXCERPT_BYTES)
        except httpx.HTTPError as error:
            return AttemptOutcome(None, _since(started), f"{type(error).__name__}: {error}")
        return AttemptOutcome(answer.status_code, _since(started), None, excerpt)


class WebhookDispatcher:
    def __init__(
        self,
        unit_of_work: UnitOfWorkFactory,
        webhooks: WebhookService,
        sender: WebhookSender,
        clock: Clock,
        *,
        batch_size: int = 50,
        concurrency: int = 10,
        lease: timedelta = timedelta(minutes=5),
        poll_interval_s: float = 1.0,
    ) -> None:
        self._unit_of_work = unit_of_work
        self._webhooks = webhooks
        self._sender = sender
        self._clock = clock
        self._batch_size = batch_size
        self._slots = asyncio.Semaphore(concurrency)
        self._lease = lease
        self._poll_interval_s = poll_interval_s

    async def deliver_due(self) -> int:
        """Posts one batch of due deliveries; returns how many were attempted."""
        async with self._unit_of_work(SYSTEM) as uow:
            claimed = await uow.webhooks.claim_due(self._clock.now(), self._batch_size, self._lease)
        await asyncio.gather(*(self._attempt(delivery, endpoint) for delivery, endpoint in claimed))
        return len(claimed)

    async def run(self, stop: asyncio.Event) -> None:
        try:
            while not stop.is_set():
                try:
                    attempted = await self.deliver_due()
                except Exception:
                    log.exception("webhook_dispatch_failed")
                    attempted = 0
                if attempted < self._batch_size:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=self._poll_interval_s)
        finally:
            await self.aclose()

    async def aclose(self) -> None:
        await self._sender.aclose()

    async def _attempt(self, delivery: WebhookDelivery, endpoint: WebhookEndpoint) -> None:
        async with self._slots:
            outcome = await self._sender.post(delivery, endpoint, self._clock.now())
        async with self._unit_of_work(SYSTEM) as uow:
            await self._webhooks.record_attempt(uow, delivery.id, outcome)
        log.info(
            "webhook_attempted",
            delivery_id=str(delivery.id),
            event_type=delivery.event_type.value,
            status_code=outcome.status_code,
            latency_ms=outcome.latency_ms,
            error=outcome.error,
        )


async def _first_bytes(answer: httpx.Response, limit: int) -> str:
    read = b""
    async for chunk in answer.aiter_bytes():
        read += chunk
        if len(read) >= limit:
            break
    return read[:limit].decode("utf-8", errors="replace")


def _since(started: float) -> int:
    return int((time.perf_counter() - started) * 1000)
