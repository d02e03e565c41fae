"""A migrated template database, cloned for every test (ARCHITECTURE rule 13)."""

import asyncio
import uuid
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from persistence.migrate import upgrade

TEMPLATE = "elcorp_test_template"


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def plain_url(url: str) -> str:
    return url.replace("postgresql+asyncpg://", "postgresql://", 1)


class TestDatabases:
    def __init__(self, server_url: str) -> None:
        self.server_url = plain_url(server_url)

    async def _admin(self) -> asyncpg.Connection:
        return await asyncpg.connect(self.server_url)

    async def create_template(self) -> None:
        admin = await self._admin()
        try:
            await admin.execute(f'DROP DATABASE IF EXISTS "{TEMPLATE}" WITH (FORCE)')
            await admin.execute(f'CREATE DATABASE "{TEMPLATE}"')
        finally:
            await admin.close()
        await asyncio.to_thread(upgrade, with_database(self.server_url, TEMPLATE))

    async def clone(self) -> str:
        name = f"elcorp_test_{uuid.uuid4().hex[:12]}"
        admin = await self._admin()
        try:
            await admin.execute(
                f'CREATE DATABASE "{name}" TEMPLATE "{TEMPLATE}" STRATEGY FILE_COPY'
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
