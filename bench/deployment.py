"""The server as production runs it: `elcorp serve` (uvicorn, N workers) and `elcorp worker`
(outbox, live events, scheduled jobs) as subprocesses on a free port of 127.0.0.1, with
the rate limits and cost budgets lifted so the load test measures speed, not throttling."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.settings import UNTHROTTLED
from server.secrets import secret_environment
from server.settings import Settings

ELCORP = Path(sys.executable).with_name("elcorp")
UNLIMITED_PER_MINUTE = str(10**6)
READY_WITHIN_S = 90


@dataclass(frozen=True)
class Deployment:
    base_url: str
    processes: tuple[subprocess.Popen[bytes], ...]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def environment(settings: Settings) -> dict[str, str]:
    """Production settings; ELCORP_* variables already set (pool sizes, log level) win."""
    unthrottled = UNTHROTTLED.model_dump_json()
    defaults = {
        "ELCORP_LOG_LEVEL": "INFO",
        "ELCORP_LOGIN_IP_LIMIT_PER_MINUTE": UNLIMITED_PER_MINUTE,
        "ELCORP_PUBLIC_LOOKUP_LIMIT_PER_MINUTE": UNLIMITED_PER_MINUTE,
        "ELCORP_QUERY_LIMITS_USER": unthrottled,
        "ELCORP_QUERY_LIMITS_API_KEY": unthrottled,
    }
    return {
        **defaults,
        **os.environ,
        **secret_environment(settings),
        "ELCORP_ENV": "production",
        "ELCORP_DATA_DIR": str(settings.data_dir),
        "DATABASE_URL": settings.resolved_database_url,
        "REDIS_URL": settings.resolved_redis_url,
    }


@contextlib.contextmanager
def deployment(settings: Settings, workers: int) -> Iterator[Deployment]:
    """Logs go to <data_dir>/serve.log and worker.log."""
    port = free_port()
    env = environment(settings)
    serve = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers)]
    with contextlib.ExitStack() as stack:
        server = stack.enter_context(_process(serve, env, settings.data_dir / "serve.log"))
        base_url = f"http://127.0.0.1:{port}"
        _wait_until_ready(base_url, server, settings.data_dir / "serve.log")
        worker = stack.enter_context(_process(["worker"], env, settings.data_dir / "worker.log"))
        yield Deployment(base_url, (server, worker))


@contextlib.contextmanager
def _process(
    arguments: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("ab") as output:
        process = subprocess.Popen(  # noqa: S603 (our own CLI)
            [str(ELCORP), *arguments], env=env, stdout=output, stderr=subprocess.STDOUT
        )
    try:
        yield process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_until_ready(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + READY_WITHIN_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"elcorp serve exited ({server.returncode}); see {log}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/readyz", timeout=2).status_code == 200:
                return
        time.sleep(0.5)
    raise RuntimeError(f"elcorp serve not ready after {READY_WITHIN_S} s; see {log}")
