from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

SessionFactory = async_sessionmaker[AsyncSession]

QUERY_CANCELED = "57014"  # `statement_timeout` (or `SET LOCAL statement_timeout`) ran out
LOCK_NOT_AVAILABLE = "55P03"


def sqlstate(error: DBAPIError) -> str | None:
    """PostgreSQL's SQLSTATE of a failed statement (asyncpg names it `sqlstate`)."""
    original = error.orig
    return getattr(original, "sqlstate", None) or getattr(original, "pgcode", None)


def timed_out(error: BaseException) -> bool:
    """A statement PostgreSQL cancelled because it ran or waited too long."""
    return isinstance(error, DBAPIError) and sqlstate(error) in (QUERY_CANCELED, LOCK_NOT_AVAILABLE)


def to_asyncpg_url(url: str) -> str:
    for prefix in ("postgresql+asyncpg://", "postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url.removeprefix(prefix)
    raise ValueError("DATABASE_URL must be a postgresql:// URL")


def create_engine(
    database_url: str,
    *,
    pool_size: int = 10,
    max_overflow: int = 10,
    statement_timeout_ms: int = 5_000,
) -> AsyncEngine:
    return create_async_engine(
        to_asyncpg_url(database_url),
        pool_size=pool_size,
        max_overflow=max_overflow,
        pool_pre_ping=True,
        connect_args={
            "server_settings": {
                "statement_timeout": str(statement_timeout_ms),
                "timezone": "UTC",
                "application_name": "elcorp",
                # OLTP statements never gain from JIT compilation, and asyncpg's type
                # introspection on a fresh connection would pay ~200 ms for it.
                "jit": "off",
            }
        },
    )


def create_session_factory(engine: AsyncEngine) -> SessionFactory:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=True)


def create_read_session_factory(engine: AsyncEngine) -> SessionFactory:
    """Sessions for reads that are one statement each (dataloader batches, the credential
    checks): autocommit, so a read costs its statement and not also a BEGIN and a ROLLBACK
    round trip. Nothing that writes or needs a consistent view of several statements
    belongs here."""
    return async_sessionmaker(
        engine.execution_options(isolation_level="AUTOCOMMIT"),
        expire_on_commit=False,
        autoflush=False,
    )
