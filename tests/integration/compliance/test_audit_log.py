"""The audit log in PostgreSQL: chained on append, append-only, tampering found exactly."""

import asyncio

import asyncpg
import pytest
from sqlalchemy import text

from domain.compliance.service import verify_audit_chain
from domain.shared.events import AuditRecord
from persistence.compliance.repository import AuditLogRepository
from persistence.uow import Actor
from server.app import Runtime
from tests.support.databases import plain_url, tamper


async def append(runtime: Runtime, count: int, actor: str = "user:test") -> None:
    services = runtime.services
    async with services.unit_of_work(Actor(actor)) as uow:
        for index in range(count):
            uow.audit(AuditRecord(action="test.done", entity_type="Thing", entity_id=str(index)))


async def verify(runtime: Runtime, from_seq: int = 1, to_seq: int | None = None):  # type: ignore[no-untyped-def]
    async with runtime.services.session_factory() as session:
        return await verify_audit_chain(AuditLogRepository(session), from_seq, to_seq)


async def test_appended_entries_form_a_verifiable_chain(runtime: Runtime) -> None:
    await append(runtime, 3)
    await append(runtime, 2)

    report = await verify(runtime)

    assert report.ok
    assert report.checked == 5


async def test_concurrent_commands_never_fork_the_chain(runtime: Runtime) -> None:
    await asyncio.gather(*(append(runtime, 2, actor=f"user:{n}") for n in range(10)))

    report = await verify(runtime)

    assert report.ok
    assert report.checked == 20


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_log SET actor = 'mallory' WHERE seq = 1",
        "DELETE FROM audit_log WHERE seq = 1",
        "TRUNCATE audit_log",
    ],
)
async def test_audit_rows_cannot_be_changed_or_removed(
    runtime: Runtime, database_url: str, statement: str
) -> None:
    await append(runtime, 1)
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
            await connection.execute(statement)
        assert await connection.fetchval("SELECT count(*) FROM audit_log") == 1
    finally:
        await connection.close()


async def test_a_tampered_row_is_reported_at_its_sequence_number(
    runtime: Runtime, database_url: str
) -> None:
    await append(runtime, 6)
    await tamper(database_url, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 4")

    report = await verify(runtime)

    assert not report.ok
    assert report.first_break is not None
    assert report.first_break.seq == 4
    assert (await verify(runtime, 1, 3)).ok
    assert not (await verify(runtime, 4, 6)).ok


async def test_a_removed_row_is_reported_as_missing(runtime: Runtime, database_url: str) -> None:
    await append(runtime, 4)
    await tamper(database_url, "DELETE FROM audit_log WHERE seq = 2")

    report = await verify(runtime)

    assert report.first_break is not None
    assert report.first_break.seq == 2


async def test_sensitive_fields_are_redacted_before_storage(runtime: Runtime) -> None:
    services = runtime.services
    async with services.unit_of_work(Actor("user:x")) as uow:
        uow.audit(
            AuditRecord(
                action="identity.password_changed",
                entity_type="User",
                entity_id="u1",
                changes={
                    "password": "hunter2-secret",
                    "profile": {"api_key": "k", "city": "Windhoek"},
                },
            )
        )

    async with services.session_factory() as session:
        stored = (await session.execute(text("SELECT changes::text FROM audit_log"))).scalar_one()

    assert "hunter2" not in stored
    assert '"city": "Windhoek"' in stored
    assert (await verify(runtime)).ok
