"""`elcorp serve` as real processes on 127.0.0.1, for what only a real server shows."""

import asyncio
import contextlib
import os
import signal
import socket
import sys
from collections.abc import AsyncIterator, Mapping
from pathlib import Path

import httpx

ELCORP = Path(sys.executable).with_name("elcorp")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def wait_ready(url: str, seconds: float = 60) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        for _ in range(int(seconds * 5)):
            try:
                return await http.get(url)
            except httpx.TransportError:
                await asyncio.sleep(0.2)
    raise AssertionError(f"{url} never answered")


@contextlib.asynccontextmanager
async def serve_processes(env: Mapping[str, str], count: int) -> AsyncIterator[list[str]]:
    """`count` servers sharing the environment's database and Redis; yields base URLs."""
    ports = [free_port() for _ in range(count)]
    processes = [
        await asyncio.create_subprocess_exec(
            str(ELCORP),
            "serve",
            "--port",
            str(port),
            env={**os.environ, **env},
            stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.DEVNULL,
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        for url in urls:
            ready = await wait_ready(f"{url}/readyz")
            assert ready.status_code == 200, ready.text
        yield urls
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            await asyncio.wait_for(process.wait(), 60)
