"""Transfer throughput at 1, 10 and 50 concurrent clients, and a history read, each beside
raw asyncpg doing the same work (same locks, inserts and updates; same reads)."""

import asyncio
import time
import uuid

import asyncpg
import httpx

from bench import reads
from bench.timing import report, time_async
from schema.ids import from_global_id
from server.app import Runtime, create_app
from server.settings import Settings
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient
from tests.support.payments import customer, transfer

HISTORY = "{ me { accounts { transactions(first: 20) { edges { node { id amount { amountMinor } } } } } } }"
RAW_HISTORY = """
SELECT t.* FROM ledger_transactions t
WHERE t.from_account_id = $1 OR t.to_account_id = $1 ORDER BY t.id DESC LIMIT 21"""


async def raw_transfer(pool: asyncpg.Pool, source: uuid.UUID, target: uuid.UUID) -> None:
    async with pool.acquire() as connection, connection.transaction():
        await connection.fetch(
            "SELECT id, balance_minor FROM accounts WHERE id = ANY($1) ORDER BY id FOR UPDATE",
            [source, target],
        )
        transaction_id = uuid.uuid4()
        await connection.execute(
            "INSERT INTO ledger_transactions (id, kind, status, amount_minor, currency, from_account_id,"
            " to_account_id, reference, created_at) VALUES ($1, 'transfer', 'completed', 1, 'NAD', $2, $3, '', now())",
            transaction_id,
            source,
            target,
        )
        await connection.executemany(
            "INSERT INTO ledger_entries (transaction_id, account_id, amount_minor, currency, created_at)"
            " VALUES ($1, $2, $3, 'NAD', now())",
            [(transaction_id, source, -1), (transaction_id, target, 1)],
        )
        await connection.execute(
            "UPDATE accounts SET balance_minor = balance_minor - 1 WHERE id = $1", source
        )
        await connection.execute(
            "UPDATE accounts SET balance_minor = balance_minor + 1 WHERE id = $1", target
        )


async def run(settings: Settings, database_url: str) -> None:
    runtime = Runtime(settings.model_copy(update={"db_pool_size": 20, "db_max_overflow": 40}))
    app = create_app(settings, runtime=runtime)
    pool = await asyncpg.create_pool(database_url.replace("+asyncpg", ""), min_size=5, max_size=50)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://bench"
    ) as http:
        graphql = GraphQLClient(http)
        for clients in (1, 10, 50):
            pairs = [
                (await customer(runtime, graphql, 400_000), await customer(runtime, graphql))
                for _ in range(clients)
            ]
            per_client = max(200 // clients, 4)

            async def client(sender, recipient, count: int) -> None:  # type: ignore[no-untyped-def]
                for _ in range(count):
                    answer = await transfer(graphql, sender, recipient, 1)
                    assert answer.data["transfer"]["errors"] == [], answer.body

            started = time.perf_counter()
            await asyncio.gather(*(client(s, r, per_client) for s, r in pairs))
            elapsed = time.perf_counter() - started
            server_rate = clients * per_client / elapsed

            ids = [
                (from_global_id(s.account_id)[1], from_global_id(r.account_id)[1]) for s, r in pairs
            ]

            async def raw_client(source, target, count: int) -> None:  # type: ignore[no-untyped-def]
                for _ in range(count):
                    await raw_transfer(pool, source, target)

            started = time.perf_counter()
            await asyncio.gather(*(raw_client(s, t, per_client) for s, t in ids))
            raw_rate = clients * per_client / (time.perf_counter() - started)
            print(
                f"transfers, {clients:>2} concurrent clients: server {server_rate:7.1f}/s   "
                f"raw asyncpg {raw_rate:7.1f}/s"
            )

        reader, recipient = (
            await customer(runtime, graphql, 400_000),
            await customer(runtime, graphql),
        )
        for _ in range(20):
            await transfer(graphql, reader, recipient, 1)
        account_id = from_global_id(reader.account_id)[1]
        report(
            "history: me { accounts { transactions(first: 20) } }",
            await time_async(lambda: graphql(HISTORY, token=reader.token), 200),
        )
        report(
            "baseline: the same rows on raw asyncpg",
            await time_async(lambda: pool.fetch(RAW_HISTORY, account_id), 200),
        )
        staff = await token_for(
            runtime.services, await create_user(runtime.services, roles=["staff"])
        )
        await reads.run(runtime, graphql, pool, staff)
    await pool.close()
    await runtime.stop()
