"""A migrated template database, cloned for every test (ARCHITECTURE rule 13)."""

import asyncio
import json
import uuid
from dataclasses import fields
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from domain.compliance.audit import GENESIS_HASH, AuditEntry, chain_hash
from persistence.migrate import upgrade

TEMPLATE = "elcorp_test_template"
AUDIT_FIELDS = [field.name for field in fields(AuditEntry)]


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def plain_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


class TestDatabases:
    """`namespace` keeps parallel test processes on one server out of each other's way."""

    def __init__(self, server_url: str, namespace: str = "") -> None:
        self.server_url = plain_url(server_url)
        self.template = f"{TEMPLATE}{namespace}"

    async def _admin(self) -> asyncpg.Connection:
        return await asyncpg.connect(self.server_url)

    async def create_template(self) -> None:
        admin = await self._admin()
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
            await admin.execute(f'CREATE DATABASE "{self.template}"')
        finally:
            await admin.close()
        await asyncio.to_thread(upgrade, with_database(self.server_url, self.template))

    async def clone(self) -> str:
        name = f"elcorp_test_{uuid.uuid4().hex[:12]}"
        admin = await self._admin()
        try:
            await admin.execute(
                f'CREATE DATABASE "{name}" TEMPLATE "{self.template}" STRATEGY FILE_COPY'
            )
        finally:
            await admin.close()
        return with_database(self.server_url, name)

    async def drop(self, url: str) -> None:
        name = urlsplit(url).path.lstrip("/")
        admin = await self._admin()
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()


async def tamper(database_url: str, statement: str) -> None:
    """Changes the audit log as a superuser would: with its triggers switched off."""
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        await connection.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
        await connection.execute(statement)
        await connection.execute("ALTER TABLE audit_log ENABLE TRIGGER USER")
    finally:
        await connection.close()


async def rewrite_history(database_url: str, seq: int, entity_id: str) -> None:
    """Forges entry `seq` and recomputes every later hash, as an attacker with the database
    could: the chain verifies again, and only signed checkpoints tell."""
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        await connection.execute("ALTER TABLE audit_log DISABLE TRIGGER USER")
        prev_hash = await connection.fetchval("SELECT hash FROM audit_log WHERE seq = $1", seq - 1)
        rows = await connection.fetch("SELECT * FROM audit_log WHERE seq >= $1 ORDER BY seq", seq)
        for row in rows:
            fields = {name: row[name] for name in AUDIT_FIELDS}
            if row["seq"] == seq:
                fields["entity_id"] = entity_id
            fields["changes"] = json.loads(fields["changes"])
            digest = chain_hash(prev_hash or GENESIS_HASH, AuditEntry(**fields))
            await connection.execute(
                "UPDATE audit_log SET entity_id = $2, prev_hash = $3, hash = $4 WHERE seq = $1",
                row["seq"],
                fields["entity_id"],
                prev_hash or GENESIS_HASH,
                digest,
            )
            prev_hash = digest
        await connection.execute("ALTER TABLE audit_log ENABLE TRIGGER USER")
    finally:
        await connection.close()
