"""A command commits its rows, events and audit entries together, or none of them."""

from dataclasses import replace

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from domain.identity.commands import CreateUser
from domain.shared.ids import new_id
from persistence.compliance.tables import AuditLogRow
from persistence.identity.tables import UserRow
from persistence.shared.tables import OutboxEventRow
from persistence.uow import SYSTEM
from server.app import Runtime


async def count_rows(runtime: Runtime) -> tuple[int, int, int]:
    async with runtime.services.session_factory() as session:
        users = await session.scalar(select(func.count()).select_from(UserRow))
        outbox = await session.scalar(select(func.count()).select_from(OutboxEventRow))
        audit = await session.scalar(select(func.count()).select_from(AuditLogRow))
    return users or 0, outbox or 0, audit or 0


async def test_a_command_writes_row_event_and_audit_entry_atomically(runtime: Runtime) -> None:
    services = runtime.services

    async with services.unit_of_work(SYSTEM) as uow:
        await services.users.create_user(uow, CreateUser("ada@example.na", "Ada"))

    assert await count_rows(runtime) == (1, 1, 1)


async def test_a_command_that_fails_midway_leaves_nothing(runtime: Runtime) -> None:
    services = runtime.services

    with pytest.raises(RuntimeError, match="midway"):
        async with services.unit_of_work(SYSTEM) as uow:
            await services.users.create_user(uow, CreateUser("ada@example.na", "Ada"))
            await uow.session.flush()
            raise RuntimeError("failed midway")

    assert await count_rows(runtime) == (0, 0, 0)


async def test_a_failure_while_committing_leaves_nothing(runtime: Runtime) -> None:
    services = runtime.services
    async with services.unit_of_work(SYSTEM) as uow:
        ada = await services.users.create_user(uow, CreateUser("ada@example.na", "Ada"))

    with pytest.raises(IntegrityError, match="uq_users_email"):
        async with services.unit_of_work(SYSTEM) as uow:
            await services.users.create_user(uow, CreateUser("bob@example.na", "Bob"))
            await uow.users.add(replace(ada, id=new_id()))

    assert await count_rows(runtime) == (1, 1, 1)
