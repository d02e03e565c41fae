"""The 50 accounts x 20 transactions read: the server (HTTP in-process, auth, GraphQL,
loaders, the JSON response) beside raw asyncpg running hand-written SQL for the same rows,
alone and then also building the same JSON document (what a hand-written endpoint does)."""

import asyncio
from typing import Any

import asyncpg
import orjson

from bench.timing import report, time_async
from domain.shared.ids import global_id
from schema.ids import from_global_id
from server.app import Runtime
from server.heap import settle_heap
from tests.support.graphql import GraphQLClient
from tests.support.payments import Customer, customer, transfer

ACCOUNTS, TRANSACTIONS = 50, 20
READ = """
query($first: Int!, $per: Int!) { accounts(first: $first, filter: {kind: CUSTOMER_WALLET}) {
  edges { node { id currency balance { amountMinor currency }
    transactions(first: $per) { edges { node {
      id kind status amount { amountMinor currency } createdAt } } } } } } }
"""
READ_WITH_COUNTERPARTIES = READ.replace("createdAt }", "createdAt counterparty { displayName } }")
RAW_ACCOUNTS = """
SELECT id, currency, balance_minor FROM accounts WHERE kind = 'customer_wallet'
ORDER BY id DESC LIMIT $1"""
RAW_TRANSACTIONS = """
SELECT w.id AS account_id, t.id, t.kind, t.status, t.amount_minor, t.currency, t.created_at
FROM unnest($1::uuid[]) AS w(id) CROSS JOIN LATERAL (
  SELECT * FROM (
    (SELECT * FROM ledger_transactions WHERE from_account_id = w.id ORDER BY id DESC LIMIT $2)
    UNION ALL
    (SELECT * FROM ledger_transactions WHERE to_account_id = w.id ORDER BY id DESC LIMIT $2)
  ) AS both_sides ORDER BY id DESC LIMIT $2) AS t"""


async def seed(runtime: Runtime, graphql: GraphQLClient) -> list[Customer]:
    """50 fresh wallets, each in at least 20 transactions: a deposit, then transfers round
    a ring (each sends 10 and receives 10)."""
    wallets = [await customer(runtime, graphql, 100_000) for _ in range(ACCOUNTS)]

    async def send_round(offset: int) -> None:
        for n, sender in enumerate(wallets):
            answer = await transfer(graphql, sender, wallets[(n + offset) % ACCOUNTS], 1)
            assert answer.data["transfer"]["errors"] == [], answer.body

    await asyncio.gather(*(send_round(offset) for offset in range(1, 11)))
    return wallets


async def raw_rows(pool: asyncpg.Pool) -> tuple[list[asyncpg.Record], list[asyncpg.Record]]:
    async with pool.acquire() as connection:
        accounts = await connection.fetch(RAW_ACCOUNTS, ACCOUNTS + 1)
        ids = [row["id"] for row in accounts[:ACCOUNTS]]
        return accounts[:ACCOUNTS], await connection.fetch(RAW_TRANSACTIONS, ids, TRANSACTIONS + 1)


async def raw_read(pool: asyncpg.Pool) -> int:
    _, transactions = await raw_rows(pool)
    return len(transactions)


async def raw_document(pool: asyncpg.Pool) -> bytes:
    """The rows as the same JSON document the GraphQL query answers."""
    accounts, transactions = await raw_rows(pool)
    by_account: dict[Any, list[dict[str, Any]]] = {row["id"]: [] for row in accounts}
    for row in transactions:
        page = by_account[row["account_id"]]
        if len(page) < TRANSACTIONS:
            page.append({"node": _transaction(row)})
    edges = [
        {
            "node": {
                "id": global_id("Account", row["id"]),
                "currency": row["currency"],
                "balance": {"amountMinor": row["balance_minor"], "currency": row["currency"]},
                "transactions": {"edges": by_account[row["id"]]},
            }
        }
        for row in accounts
    ]
    return orjson.dumps({"data": {"accounts": {"edges": edges}}})


def _transaction(row: asyncpg.Record) -> dict[str, Any]:
    return {
        "id": global_id("Transaction", row["id"]),
        "kind": row["kind"].upper(),
        "status": row["status"].upper(),
        "amount": {"amountMinor": row["amount_minor"], "currency": row["currency"]},
        "createdAt": row["created_at"].isoformat(),
    }


async def run(runtime: Runtime, graphql: GraphQLClient, pool: asyncpg.Pool, staff: str) -> None:
    await seed(runtime, graphql)
    settle_heap()  # as `elcorp serve` does once its app is built
    await compare(graphql, pool, staff)


async def compare(graphql: GraphQLClient, pool: asyncpg.Pool, staff: str) -> float:
    """Times the read on the server (in-process or over HTTP, the client decoding the
    JSON answer) and on raw asyncpg, once both return the same newest wallets, each with
    TRANSACTIONS transactions; returns the server's p50 over raw asyncpg's building the
    same document."""
    variables = {"first": ACCOUNTS, "per": TRANSACTIONS}
    answer = await graphql(READ, variables, token=staff)
    listed = answer.data["accounts"]["edges"]
    _, raw = await raw_rows(pool)
    assert {from_global_id(e["node"]["id"])[1] for e in listed} == {r["account_id"] for r in raw}
    assert all(len(e["node"]["transactions"]["edges"]) == TRANSACTIONS for e in listed)
    assert len(raw) >= ACCOUNTS * TRANSACTIONS
    assert orjson.loads(await raw_document(pool))["data"] == answer.data

    for _ in range(10):  # warm all
        await graphql(READ, variables, token=staff)
        await raw_document(pool)
    server = report(
        f"{ACCOUNTS} accounts x {TRANSACTIONS} transactions, server",
        await time_async(lambda: graphql(READ, variables, token=staff), 100),
    )
    raw_times = report(
        "baseline: the same rows on raw asyncpg", await time_async(lambda: raw_read(pool), 100)
    )
    document = report(
        "baseline: the same rows as the same JSON document",
        await time_async(lambda: raw_document(pool), 100),
    )
    with_names = report(
        "  the same read with counterparty names",
        await time_async(lambda: graphql(READ_WITH_COUNTERPARTIES, variables, token=staff), 100),
    )
    ratio = server["p50_ms"] / document["p50_ms"]
    print(
        f"server / raw asyncpg (p50): {server['p50_ms'] / raw_times['p50_ms']:.1f}x the rows "
        f"alone, {ratio:.1f}x the same JSON document; with counterparties "
        f"{with_names['p50_ms'] / document['p50_ms']:.1f}x the document"
    )
    return ratio
