"""The retention job deletes exactly what its policies say, a second past each boundary and
not a second before; never the audit log or the ledger; audits each run; repeats as a no-op."""

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from domain.shared.clock import FixedClock
from persistence.compliance.tables import AuditLogRow
from persistence.identity.tables import OneTimeTokenRow, RefreshTokenRow, SessionRow
from persistence.payments.tables import (
    IdempotencyRecordRow,
    LedgerEntryRow,
    LedgerTransactionRow,
    TransactionEventRow,
    TransactionFeedRow,
)
from persistence.payments.webhook_tables import WebhookAttemptRow, WebhookDeliveryRow
from persistence.shared.tables import OutboxEventRow
from server.app import Runtime
from server.bootstrap import scheduled_jobs
from server.scheduler import Scheduler
from server.settings import Settings
from tests.support.graphql import GraphQLClient
from tests.support.payments import customer
from tests.support.retention import SECOND, Seeder, count, keys_of

KEYS: dict[str, Any] = {
    "sessions": SessionRow.id,
    "refresh_tokens": RefreshTokenRow.id,
    "one_time_tokens": OneTimeTokenRow.id,
    "idempotency_records": IdempotencyRecordRow.key,
    "webhook_deliveries": WebhookDeliveryRow.id,
    "webhook_attempts": WebhookAttemptRow.id,
    "outbox_events": OutboxEventRow.event_id,
}
NEVER_PURGED = (
    AuditLogRow,
    LedgerTransactionRow,
    LedgerEntryRow,
    TransactionEventRow,
    TransactionFeedRow,
)
DAY = timedelta(days=1)
TOMBSTONED = {"service_requests": 0, "service_request_comments": 0}
"""Service requests keep their rows (their text goes); nothing here is old enough."""


@pytest.fixture
def settings(settings: Settings) -> Settings:
    """Batches of two, so every backlog here takes more than one."""
    return settings.model_copy(update={"retention_batch_size": 2})


async def seeded_on_both_sides(runtime: Runtime, now: datetime, user_id: Any) -> Seeder:
    seed = Seeder(runtime.services.session_factory, now, user_id)
    ninety = now - 90 * DAY
    await seed.session(expires_at=ninety - SECOND, revoked_at=None, gone=True, refresh_tokens=2)
    await seed.session(expires_at=ninety - DAY, revoked_at=None, gone=True)
    await seed.session(expires_at=ninety + SECOND, revoked_at=None, gone=False, refresh_tokens=1)
    await seed.session(expires_at=now + DAY, revoked_at=ninety - SECOND, gone=True)
    await seed.session(expires_at=now + DAY, revoked_at=ninety + SECOND, gone=False)
    await seed.session(expires_at=now + DAY, revoked_at=None, gone=False)
    week = now - 7 * DAY
    await seed.one_time_token(expires_at=now + DAY, used_at=week - SECOND, gone=True)
    await seed.one_time_token(expires_at=now + DAY, used_at=week + SECOND, gone=False)
    await seed.one_time_token(expires_at=week - SECOND, used_at=None, gone=True)
    await seed.one_time_token(expires_at=week + SECOND, used_at=None, gone=False)
    await seed.idempotency_record(created_at=now - timedelta(hours=24) - SECOND, gone=True)
    await seed.idempotency_record(created_at=now - timedelta(hours=24) + SECOND, gone=False)
    endpoint = await seed.webhook_endpoint()
    month = now - 30 * DAY
    old, recent = month - SECOND, month + SECOND
    await seed.delivery(endpoint, created_at=old, status="succeeded", gone=True, attempts=2)
    await seed.delivery(endpoint, created_at=old, status="failed", gone=True, attempts=1)
    await seed.delivery(endpoint, created_at=old, status="cancelled", gone=True)
    await seed.delivery(endpoint, created_at=old, status="pending", gone=False, attempts=1)
    await seed.delivery(endpoint, created_at=recent, status="succeeded", gone=False, attempts=1)
    await seed.outbox_event(dispatched_at=old, abandoned_at=None, gone=True)
    await seed.outbox_event(dispatched_at=recent, abandoned_at=None, gone=False)
    await seed.outbox_event(dispatched_at=None, abandoned_at=old, gone=False)
    return seed


async def test_retention_deletes_what_is_due_and_nothing_else(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    await customer(runtime, graphql, 5_000)  # a ledger, an audit log and fresh rows of each kind
    now = datetime.now(UTC).replace(microsecond=0)
    factory = runtime.services.session_factory
    async with factory() as db:
        user_id = await db.scalar(select(SessionRow.user_id).limit(1))
    seed = await seeded_on_both_sides(runtime, now, user_id)
    before = {table: await keys_of(factory, key) for table, key in KEYS.items()}
    untouched = {table: await count(factory, table) for table in NEVER_PURGED}
    clock = FixedClock(now)
    (retention,) = [job for job in scheduled_jobs(runtime.services) if job.name == "retention"]
    scheduler = Scheduler(runtime.engine, [retention], clock)

    ran = await scheduler.run_due()
    after = {table: await keys_of(factory, key) for table, key in KEYS.items()}
    again = await retention.run(now)  # the same moment once more, e.g. a retried run

    assert ran == ["retention"]
    assert again == {**dict.fromkeys(KEYS, 0), **TOMBSTONED}
    for table in KEYS:
        assert before[table] - after[table] == seed.seeded.gone.get(table, set()), table
        assert seed.seeded.kept.get(table, set()) <= after[table], table
    expected = {table: len(seed.seeded.gone.get(table, set())) for table in KEYS} | TOMBSTONED
    audit = {table: await count(factory, table) for table in NEVER_PURGED}
    assert audit == {**untouched, AuditLogRow: untouched[AuditLogRow] + 2}
    async with factory() as db:
        runs = list(
            await db.scalars(
                select(AuditLogRow.changes)
                .where(AuditLogRow.action == "compliance.retention_ran")
                .order_by(AuditLogRow.seq)
            )
        )
    deleted = [{row["table"]: row["rows"] for row in run["deleted"]} for run in runs]
    assert deleted == [expected, dict.fromkeys(expected, 0)]
    assert {"table": "sessions", "keep_s": 90 * 24 * 3600} in runs[0]["policies"]
    assert expected == {
        "sessions": 3,
        "refresh_tokens": 2,
        "one_time_tokens": 2,
        "idempotency_records": 1,
        "webhook_deliveries": 3,
        "webhook_attempts": 3,
        "outbox_events": 1,
        **TOMBSTONED,
    }
