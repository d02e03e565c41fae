"""Rows on either side of each retention boundary, written as of a chosen moment."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select

from domain.shared.ids import new_id
from persistence.base import Base
from persistence.db import SessionFactory
from persistence.identity.tables import OneTimeTokenRow, RefreshTokenRow, SessionRow
from persistence.payments.tables import IdempotencyRecordRow, MerchantRow
from persistence.payments.webhook_tables import (
    WebhookAttemptRow,
    WebhookDeliveryRow,
    WebhookEndpointRow,
)
from persistence.shared.tables import OutboxEventRow

SECOND = timedelta(seconds=1)


@dataclass
class Seeded:
    """Ids written, by table: `gone` must be deleted, `kept` must stay."""

    gone: dict[str, set[Any]] = field(default_factory=dict)
    kept: dict[str, set[Any]] = field(default_factory=dict)

    def add(self, table: str, key: Any, *, gone: bool) -> Any:
        (self.gone if gone else self.kept).setdefault(table, set()).add(key)
        return key


async def keys_of(session_factory: SessionFactory, key: Any) -> set[Any]:
    async with session_factory() as db:
        return set(await db.scalars(select(key)))


async def count(session_factory: SessionFactory, table: type[Base]) -> int:
    async with session_factory() as db:
        return int(await db.scalar(select(func.count()).select_from(table)) or 0)


class Seeder:
    def __init__(self, session_factory: SessionFactory, now: datetime, user_id: uuid.UUID):
        self._session_factory = session_factory
        self.now = now
        self.user_id = user_id
        self.seeded = Seeded()

    async def _insert(self, table: type[Base], **values: Any) -> None:
        async with self._session_factory() as db, db.begin():
            await db.execute(insert(table).values(**values))

    async def session(
        self,
        *,
        expires_at: datetime,
        revoked_at: datetime | None,
        gone: bool,
        refresh_tokens: int = 0,
    ) -> None:
        session_id = new_id()
        await self._insert(
            SessionRow,
            id=session_id,
            user_id=self.user_id,
            device_id="d",
            device_name="Test phone",
            created_at=expires_at - timedelta(days=30),
            last_seen_at=expires_at - timedelta(days=30),
            expires_at=expires_at,
            auth_methods=["pwd"],
            authenticated_at=expires_at - timedelta(days=30),
            revoked_at=revoked_at,
        )
        self.seeded.add("sessions", session_id, gone=gone)
        for _ in range(refresh_tokens):
            token_id = new_id()
            await self._insert(
                RefreshTokenRow,
                id=token_id,
                session_id=session_id,
                token_hash=uuid.uuid4().hex,
                issued_at=expires_at - timedelta(days=30),
                expires_at=expires_at,
            )
            self.seeded.add("refresh_tokens", token_id, gone=gone)

    async def one_time_token(
        self, *, expires_at: datetime, used_at: datetime | None, gone: bool
    ) -> None:
        token_id = new_id()
        await self._insert(
            OneTimeTokenRow,
            id=token_id,
            user_id=self.user_id,
            purpose="verify_email",
            expires_at=expires_at,
            used_at=used_at,
        )
        self.seeded.add("one_time_tokens", token_id, gone=gone)

    async def idempotency_record(self, *, created_at: datetime, gone: bool) -> None:
        key = uuid.uuid4().hex
        await self._insert(
            IdempotencyRecordRow,
            principal="user:x",
            key=key,
            operation="transfer",
            request_hash="h",
            outcome={},
            created_at=created_at,
        )
        self.seeded.add("idempotency_records", key, gone=gone)

    async def webhook_endpoint(self) -> uuid.UUID:
        merchant_id, endpoint_id = new_id(), new_id()
        await self._insert(
            MerchantRow,
            id=merchant_id,
            owner_id=self.user_id,
            trading_name="Kapana Corner",
            status="approved",
            created_at=self.now,
        )
        await self._insert(
            WebhookEndpointRow,
            id=endpoint_id,
            merchant_id=merchant_id,
            url="https://example.na/hooks",
            events=["payment.completed"],
            status="active",
            description="",
            secret_ciphertext=b"x",
            created_at=self.now,
            updated_at=self.now,
        )
        return endpoint_id

    async def delivery(
        self,
        endpoint_id: uuid.UUID,
        *,
        created_at: datetime,
        status: str,
        gone: bool,
        attempts: int = 0,
    ) -> None:
        delivery_id = new_id()
        await self._insert(
            WebhookDeliveryRow,
            id=delivery_id,
            endpoint_id=endpoint_id,
            event_id=new_id(),
            event_type="payment.completed",
            body="{}",
            status=status,
            created_at=created_at,
            retry_until=created_at + timedelta(days=1),
        )
        self.seeded.add("webhook_deliveries", delivery_id, gone=gone)
        for _ in range(attempts):
            async with self._session_factory() as db, db.begin():
                attempt_id = await db.scalar(
                    insert(WebhookAttemptRow)
                    .values(
                        delivery_id=delivery_id,
                        attempted_at=created_at,
                        latency_ms=5,
                        response_excerpt="",
                    )
                    .returning(WebhookAttemptRow.id)
                )
            self.seeded.add("webhook_attempts", attempt_id, gone=gone)

    async def outbox_event(
        self, *, dispatched_at: datetime | None, abandoned_at: datetime | None, gone: bool
    ) -> None:
        event_id = new_id()
        await self._insert(
            OutboxEventRow,
            event_id=event_id,
            name="test.event",
            aggregate_type="Test",
            aggregate_id=new_id(),
            payload={},
            occurred_at=self.now - timedelta(days=60),
            available_at=self.now - timedelta(days=60),
            dispatched_at=dispatched_at,
            abandoned_at=abandoned_at,
        )
        self.seeded.add("outbox_events", event_id, gone=gone)
