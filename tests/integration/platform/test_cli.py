"""`elcorp verify-audit` from the command line."""

import asyncio
import os
import sys
from pathlib import Path

import pytest

from adapters.audit_checkpoints import AuditCheckpointJob
from server.app import Runtime
from tests.support.databases import rewrite_history, tamper
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient

ELCORP = Path(sys.executable).with_name("elcorp")
QUEUE = "{ serviceRequests { edges { node { id } } } }"


async def elcorp(*args: str, env: dict[str, str]) -> tuple[int, str]:
    process = await asyncio.create_subprocess_exec(
        str(ELCORP),
        *args,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await process.communicate()
    return process.returncode or 0, output.decode()


@pytest.fixture
def cli_env(database_url: str, redis_url: str, settings) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ELCORP_ENV": "test",
        "ELCORP_DATA_DIR": str(settings.data_dir),
        "ELCORP_LOG_JSON": "false",
    }


async def test_verify_audit_reports_ok_then_the_first_broken_entry(
    runtime: Runtime, database_url: str, cli_env: dict[str, str]
) -> None:
    for _ in range(3):
        await create_user(runtime.services)

    intact = await elcorp("verify-audit", env=cli_env)
    await tamper(database_url, "UPDATE audit_log SET entity_id = 'forged' WHERE seq = 2")
    broken = await elcorp("verify-audit", "--from", "1", "--to", "3", env=cli_env)
    before_the_break = await elcorp("verify-audit", "--to", "1", env=cli_env)

    assert intact == (0, "OK: 3 entries verified (seq 1..3)\nOK: 0 signed checkpoints verified\n")
    assert broken[0] == 1
    assert "BROKEN at seq 2: content does not match its hash" in broken[1]
    assert before_the_break[0] == 0


async def test_verify_audit_catches_a_rewritten_history_by_its_signed_checkpoint(
    runtime: Runtime, database_url: str, cli_env: dict[str, str]
) -> None:
    for _ in range(3):
        await create_user(runtime.services)
    job = AuditCheckpointJob(runtime.services.session_factory, runtime.services.checkpoint_keys)
    await job(runtime.services.clock.now())

    await rewrite_history(database_url, 2, "forged")
    rewritten = await elcorp("verify-audit", env=cli_env)

    assert rewritten[0] == 1
    assert "OK: 3 entries verified" in rewritten[1]  # the chain alone is fooled
    assert (
        "CHECKPOINT INVALID at seq 3: the chain no longer has the checkpointed hash" in rewritten[1]
    )


async def test_migrating_makes_the_cached_role_permissions_stale(
    runtime: Runtime, graphql: GraphQLClient, database_url: str, cli_env: dict[str, str]
) -> None:
    staff = await token_for(runtime.services, await create_user(runtime.services, roles=["staff"]))
    before = await graphql(QUEUE, token=staff)
    await tamper(
        database_url,
        "DELETE FROM role_permissions WHERE role = 'staff' AND permission = 'service_requests:assign'",
    )  # what a migration would do
    cached = await graphql(QUEUE, token=staff)
    migrated = await elcorp("migrate", env=cli_env)
    after = await graphql(QUEUE, token=staff)

    assert before.errors == cached.errors == []
    assert migrated == (0, "database migrated\n")
    assert after.error_codes == ["FORBIDDEN"]
