"""The load test (`make bench-load`, also run by `make bench`; never by `make test`).

Seeds a population, starts `elcorp serve --workers N` and `elcorp worker` as subprocesses on
127.0.0.1 against the embedded PostgreSQL/Redis (or DATABASE_URL / REDIS_URL), and runs each
mix (bench/portal.py, bench/partner.py) at each level of concurrent virtual users: they
start over the first three quarters of the warm-up, then a window of DURATION seconds is
measured. Last, the 50 accounts x 20 transactions read against the running server.

    python -m bench.load [--users 100,1000] [--mixes portal,partner] [--warmup 20]
                         [--duration 45] [--workers 2]
"""

import argparse
import asyncio
import contextlib
import os
import sys
import time
from collections.abc import AsyncIterator, Coroutine
from pathlib import Path

import asyncpg
import httpx
import uvloop

from bench import reads
from bench.cpu import CpuMeter, postmaster_pid
from bench.deployment import Deployment, deployment
from bench.load_report import Level, print_level, print_machine, print_table
from bench.partner import PartnerMix, Partners, PartnerUser
from bench.population import Population, access_tokens, seed
from bench.portal import Portal, PortalMix, PortalUser
from bench.recorder import Recorder
from bench.server_metrics import counts, delta, pool_in_use, scrape
from bench.settings import bench_settings
from bench.traffic import TIMEOUT_S, Sender, sender, trusted_hashes
from persistence.migrate import upgrade
from server.app import Runtime
from server.embedded import servers
from server.logging import configure_logging
from tests.support.graphql import GraphQLClient

DATA = Path(".data/bench-load")
SCRAPE_TIMEOUT_S = 60
"""/metrics and the 50 x 20 read wait their turn behind a level's users."""
PENDING_OUTBOX = (
    "SELECT count(*) FROM outbox_events WHERE dispatched_at IS NULL AND abandoned_at IS NULL"
)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    numbers = lambda text: [int(n) for n in text.split(",")]  # noqa: E731
    parser.add_argument("--users", type=numbers, default=[100, 1000], help="levels, e.g. 100,1000")
    parser.add_argument("--mixes", type=lambda t: t.split(","), default=["portal", "partner"])
    parser.add_argument("--warmup", type=float, default=20, help="seconds before each window")
    parser.add_argument("--duration", type=float, default=45, help="seconds measured per level")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers of elcorp serve")
    parser.add_argument("--login-share", type=float, default=PortalMix.login_share)
    parser.add_argument("--live-feed-share", type=float, default=PortalMix.live_feed_share)
    return parser.parse_args()


async def run(args: argparse.Namespace, database_url: str, redis_url: str) -> None:
    settings = bench_settings(DATA, database_url, redis_url, slow_query_ms=10**6)
    await asyncio.to_thread(upgrade, settings.resolved_database_url)
    print_machine()
    runtime = Runtime(settings)
    pool = await asyncpg.create_pool(database_url.replace("+asyncpg", ""), min_size=1, max_size=4)
    try:
        population = await seed(runtime, max(*args.users, reads.ACCOUNTS))
        started = time.monotonic()
        with deployment(runtime.settings, args.workers) as deployed:
            print(
                f"elcorp serve --workers {args.workers} ready in {time.monotonic() - started:.0f} s"
            )
            await _outbox_drained(pool)
            async with httpx.AsyncClient(
                base_url=deployed.base_url, timeout=SCRAPE_TIMEOUT_S
            ) as http:
                levels = [
                    await level(args, mix, users, population, runtime, deployed, http)
                    for mix in args.mixes
                    for users in args.users
                ]
                print("\n50 x 20 read on the running server, over HTTP, after the levels:")
                staff = (await access_tokens(runtime.services, [population.staff]))[0]
                ratio = await reads.compare(GraphQLClient(http), pool, staff)
        print_table(levels, ratio)
    finally:
        await pool.close()
        await runtime.stop()


async def level(
    args: argparse.Namespace,
    mix: str,
    users: int,
    population: Population,
    runtime: Runtime,
    deployed: Deployment,
    http: httpx.AsyncClient,
) -> Level:
    recorder, stop = Recorder(), asyncio.Event()
    print(
        f"\n{mix} mix, {users} users: {args.warmup:.0f} s warm-up, {args.duration:.0f} s measured"
    )
    cpu = CpuMeter.of(
        {
            "server": deployed.processes[0].pid,
            "worker": deployed.processes[1].pid,
            "postgres": postmaster_pid(DATA / "postgres"),
        }
    )
    async with sender(deployed.base_url, recorder) as send:
        if mix == "portal":
            runners = await _portal_users(args, users, population, runtime, deployed, send, stop)
        else:
            partners = Partners(send, population, PartnerMix(), stop)
            runners = [PartnerUser(partners, n).run(args.warmup * 0.75) for n in range(users)]
        async with _running(runners, stop):
            await asyncio.sleep(args.warmup)
            before = await scrape(http, args.workers)
            cpu.start()
            recorder.open()
            await asyncio.sleep(args.duration)
            recorder.close()
            used = cpu.percent_of_a_core(recorder.seconds)
            load = os.getloadavg()[0]
        server = counts(delta(before, await scrape(http, args.workers)))
    result = Level(mix, users, recorder.total(), server, used, load, pool_in_use(before))
    print_level(recorder, result)
    return result


async def _portal_users(
    args: argparse.Namespace,
    users: int,
    population: Population,
    runtime: Runtime,
    deployed: Deployment,
    send: Sender,
    stop: asyncio.Event,
) -> list[Coroutine[None, None, None]]:
    customers = population.customers[:users]
    tokens = await access_tokens(runtime.services, [c.user for c in customers])
    ws_url = deployed.base_url.replace("http", "ws", 1) + "/graphql"
    mix = PortalMix(login_share=args.login_share, live_feed_share=args.live_feed_share)
    portal = Portal(send, trusted_hashes(), customers, ws_url, mix, stop)
    return [PortalUser(portal, n, token).run(args.warmup * 0.75) for n, token in enumerate(tokens)]


@contextlib.asynccontextmanager
async def _running(
    runners: list[Coroutine[None, None, None]], stop: asyncio.Event
) -> AsyncIterator[None]:
    """The users run inside; after, they stop (those still waiting on a response get the
    client's timeout to finish it, so every request sent in the window is counted)."""
    tasks = [asyncio.create_task(runner) for runner in runners]
    try:
        yield
        stop.set()
        await asyncio.wait(tasks, timeout=TIMEOUT_S + 5)
    finally:
        stop.set()
        for task in tasks:
            task.cancel()
        failures = await asyncio.gather(*tasks, return_exceptions=True)
    crashed = [f for f in failures if isinstance(f, Exception)]
    if crashed:
        raise crashed[0]


async def _outbox_drained(pool: asyncpg.Pool, within_s: int = 300) -> None:
    """The seeding's events (sign-up mails, wallets) go through the worker before measuring."""
    started = time.monotonic()
    for _ in range(within_s):
        if not (pending := await pool.fetchval(PENDING_OUTBOX)):
            break
        await asyncio.sleep(1)
    print(f"outbox: {pending} events pending after {time.monotonic() - started:.0f} s")


def main() -> None:
    args = arguments()
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    configure_logging("WARNING", json=False)
    with servers(DATA, os.environ.get("DATABASE_URL"), os.environ.get("REDIS_URL")) as urls:
        uvloop.run(run(args, urls.database_url, urls.redis_url))


if __name__ == "__main__":
    main()
