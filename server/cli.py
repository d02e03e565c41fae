"""`elcorp`: serve, migrate, seed, worker, export-schema, verify-audit."""

import asyncio
import contextlib
import os
import signal
from collections.abc import Iterator
from typing import Annotated, Any

import typer

from server.logging import configure_logging
from server.secrets import MissingSecrets, ensure_secrets, secret_environment
from server.settings import Settings

app = typer.Typer(no_args_is_help=True, add_completion=False, help="Elcorp API platform")


def _settings() -> Settings:
    settings = Settings()
    configure_logging(settings.log_level, settings.log_json)
    try:
        return ensure_secrets(settings)
    except MissingSecrets as missing:
        typer.echo(f"error: {missing}", err=True)
        raise typer.Exit(2) from None


@contextlib.contextmanager
def _servers(settings: Settings) -> Iterator[Settings]:
    """Starts embedded PostgreSQL/Redis for whatever URL is not set, and exports the URLs."""
    from server.embedded import servers

    if settings.is_production and not (settings.database_url and settings.redis_url):
        typer.echo(
            "error: production needs DATABASE_URL and REDIS_URL (no embedded servers)", err=True
        )
        raise typer.Exit(2)
    signal.signal(signal.SIGTERM, _exit_cleanly)
    with servers(settings.data_dir, settings.database_url, settings.redis_url) as urls:
        os.environ["DATABASE_URL"] = urls.database_url
        os.environ["REDIS_URL"] = urls.redis_url
        yield settings.model_copy(
            update={"database_url": urls.database_url, "redis_url": urls.redis_url}
        )


def _exit_cleanly(signum: int, _frame: object) -> None:
    """uvicorn re-raises SIGTERM after its graceful shutdown; unwind so servers stop."""
    raise SystemExit(0)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address")] = None,
    port: Annotated[int | None, typer.Option(help="Port")] = None,
    workers: Annotated[
        int | None, typer.Option(min=1, help="uvicorn worker processes (ELCORP_WORKERS)")
    ] = None,
    subgraph: Annotated[str | None, typer.Option(help="Serve one context as a subgraph")] = None,
    migrate: Annotated[bool, typer.Option(help="Migrate before serving")] = False,
    seed: Annotated[bool, typer.Option(help="Load demo data before serving")] = False,
) -> None:
    """Serve GraphQL (GraphiQL in development) on http://HOST:PORT/graphql."""
    import uvicorn

    from schema import CONTEXTS

    if subgraph is not None and subgraph not in CONTEXTS:
        raise typer.BadParameter(f"choose one of {', '.join(CONTEXTS)}", param_hint="--subgraph")
    settings = _settings()
    with _servers(settings) as resolved:
        if migrate:
            _migrate(resolved)
        if seed:
            asyncio.run(_seed(resolved))
        if subgraph:
            os.environ["ELCORP_SUBGRAPH"] = subgraph
        _export_secrets(resolved)
        uvicorn.run(**uvicorn_options(resolved, host=host, port=port, workers=workers))


def uvicorn_options(
    settings: Settings, *, host: str | None, port: int | None, workers: int | None
) -> dict[str, Any]:
    """Workers import the app factory (an import string) and each builds its own Runtime:
    its own pool of ELCORP_DB_POOL_SIZE (+ ELCORP_DB_MAX_OVERFLOW) connections."""
    return {
        "app": "server.asgi:create_from_environment",
        "factory": True,
        "host": host or settings.host,
        "port": port or settings.port,
        "workers": workers or settings.workers,
        "loop": "uvloop",
        "http": "httptools",
        "log_config": None,
        "access_log": False,
    }


@app.command()
def migrate() -> None:
    """Apply database migrations."""
    with _servers(_settings()) as settings:
        _migrate(settings)


@app.command()
def seed() -> None:
    """Load demo data (idempotent)."""
    with _servers(_settings()) as settings:
        asyncio.run(_seed(settings))


@app.command()
def worker() -> None:
    """Dispatch outbox events until SIGTERM/SIGINT."""
    with _servers(_settings()) as settings:
        asyncio.run(_run_worker(settings))


@app.command()
def mailbox(limit: Annotated[int, typer.Option(help="How many messages")] = 10) -> None:
    """Print the development mailbox (emails are kept in Redis when no SMTP is set)."""
    with _servers(_settings()) as settings:
        messages = asyncio.run(_mailbox(settings, limit))
    if not messages:
        typer.echo("mailbox is empty")
    for message in messages:
        typer.echo(f"To: {message.to}\nSubject: {message.subject}\n\n{message.body}\n{'-' * 60}")


async def _mailbox(settings: Settings, limit: int):  # type: ignore[no-untyped-def]
    from adapters.mail import RedisMailbox
    from server.bootstrap import build_redis

    redis = build_redis(settings)
    try:
        return await RedisMailbox(redis).messages(limit)
    finally:
        await redis.aclose()


@app.command("export-schema")
def export_schema() -> None:
    """Write schema.graphql and schema/subgraphs/<context>.graphql."""
    from schema.export import write_files

    for path in write_files():
        typer.echo(f"wrote {path}")


@app.command("verify-audit")
def verify_audit(
    from_seq: Annotated[int, typer.Option("--from", help="First sequence number")] = 1,
    to_seq: Annotated[int | None, typer.Option("--to", help="Last sequence number")] = None,
) -> None:
    """Recompute the audit log's hash chain; exit 1 naming the first broken entry."""
    with _servers(_settings()) as settings:
        report, checkpoints = asyncio.run(_verify(settings, from_seq, to_seq))
    if report.first_break is not None:
        broken = report.first_break
        typer.echo(f"BROKEN at seq {broken.seq}: {broken.reason}")
        raise typer.Exit(1)
    typer.echo(f"OK: {report.checked} entries verified (seq {report.from_seq}..{report.to_seq})")
    if checkpoints.first_invalid is not None:
        failed = checkpoints.first_invalid
        typer.echo(f"CHECKPOINT INVALID at seq {failed.seq}: {failed.reason}")
        raise typer.Exit(1)
    typer.echo(f"OK: {checkpoints.checked} signed checkpoints verified")


def _migrate(settings: Settings) -> None:
    from persistence.migrate import upgrade

    upgrade(settings.resolved_database_url)
    typer.echo("database migrated")
    asyncio.run(_forget_role_permissions(settings))


async def _forget_role_permissions(settings: Settings) -> None:
    """Migrations are what edit the roles' permissions: the cached catalogue goes stale."""
    from redis.exceptions import RedisError

    from adapters.role_permissions import forget_role_permissions
    from server.bootstrap import build_redis

    redis = build_redis(settings)
    try:
        await forget_role_permissions(redis)
    except RedisError as error:
        typer.echo(
            f"warning: cached role permissions not cleared ({error}); they expire within "
            f"ELCORP_REPORT_CACHE_TTL_S ({settings.report_cache_ttl_s} s)",
            err=True,
        )
    finally:
        await redis.aclose()


def _export_secrets(settings: Settings) -> None:
    """Worker processes re-read settings; hand them the secrets this process resolved."""
    os.environ.update(secret_environment(settings))


async def _seed(settings: Settings) -> None:
    from server.app import Runtime
    from server.seed import DEMO_ACCOUNTS, DEMO_PASSWORD, seed_demo_data

    if settings.is_production:
        typer.echo("error: demo data is refused in production", err=True)
        raise typer.Exit(2)
    runtime = Runtime(settings.model_copy(update={"in_process_dispatcher": False}))
    try:
        created = await seed_demo_data(runtime.services)
    finally:
        await runtime.stop()
    typer.echo(f"demo data: {created} users created; development password {DEMO_PASSWORD!r}:")
    for email, _, role in DEMO_ACCOUNTS:
        typer.echo(f"  {email:<24} {role}")
    typer.echo("  merchant@elcorp.na owns the approved merchant 'Kapana Corner'")


async def _run_worker(settings: Settings) -> None:
    from server.app import Runtime
    from server.bootstrap import build_dispatcher, build_scheduler, build_webhook_dispatcher

    runtime = Runtime(settings.model_copy(update={"in_process_dispatcher": False}))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    typer.echo("worker: outbox events, webhooks and scheduled jobs")
    try:
        await asyncio.gather(
            build_dispatcher(runtime.services).run(stop),
            build_webhook_dispatcher(runtime.services).run(stop),
            build_scheduler(runtime.engine, runtime.services).run(stop),
        )
    finally:
        await runtime.stop()


async def _verify(settings: Settings, from_seq: int, to_seq: int | None):  # type: ignore[no-untyped-def]
    from adapters.audit_checkpoints import check_checkpoints
    from domain.compliance.service import verify_audit_chain
    from persistence.compliance.repository import AuditLogRepository
    from persistence.db import create_engine, create_session_factory
    from server.bootstrap import checkpoint_keys

    engine = create_engine(settings.resolved_database_url)
    try:
        sessions = create_session_factory(engine)
        async with sessions() as session:
            chain = await verify_audit_chain(AuditLogRepository(session), from_seq, to_seq)
        return chain, await check_checkpoints(sessions, checkpoint_keys(settings))
    finally:
        await engine.dispose()


if __name__ == "__main__":
    app()
