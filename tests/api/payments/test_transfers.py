"""Deposits and transfers through GraphQL, under concurrency, on the real ledger."""

import asyncio
import uuid

import asyncpg
import pytest

from schema.ids import from_global_id
from server.app import Runtime
from tests.support.databases import plain_url
from tests.support.graphql import GraphQLClient
from tests.support.payments import balance_of, customer, deposit, transfer


async def ledger_totals(database_url: str) -> list[tuple[str, int]]:
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        rows = await connection.fetch(
            "SELECT currency, sum(amount_minor)::bigint AS total FROM ledger_entries GROUP BY currency"
        )
    finally:
        await connection.close()
    return [(row["currency"], row["total"]) for row in rows]


async def test_a_sign_up_gets_a_wallet_and_a_deposit_credits_it(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql)

    done = await deposit(graphql, ada.token, ada.account_id, 25_000)

    assert done.data["deposit"]["transaction"]["status"] == "COMPLETED"
    assert await balance_of(graphql, ada) == 25_000


async def test_a_declined_deposit_moves_no_money(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    ada = await customer(runtime, graphql)

    declined = await deposit(graphql, ada.token, ada.account_id, 1_013)

    assert declined.data["deposit"]["transaction"]["status"] == "FAILED"
    assert declined.data["deposit"]["transaction"]["failureReason"] == "card_declined"
    assert await balance_of(graphql, ada) == 0
    assert await ledger_totals(database_url) == []


async def test_a_transfer_moves_money_and_the_ledger_balances(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql)

    sent = await transfer(graphql, ada, bob, 2_550)

    assert sent.data["transfer"]["transaction"]["status"] == "COMPLETED"
    assert (await balance_of(graphql, ada), await balance_of(graphql, bob)) == (7_450, 2_550)
    assert await ledger_totals(database_url) == [("NAD", 0)]


@pytest.mark.parametrize(
    ("amount", "code"),
    [(10_001, "INSUFFICIENT_FUNDS"), (0, "BAD_USER_INPUT"), (-5, "BAD_USER_INPUT")],
)
async def test_bad_transfers_are_typed_errors_and_change_nothing(
    runtime: Runtime, graphql: GraphQLClient, amount: int, code: str
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql)

    refused = await transfer(graphql, ada, bob, amount)

    assert refused.data["transfer"]["errors"][0]["code"] == code
    assert (await balance_of(graphql, ada), await balance_of(graphql, bob)) == (10_000, 0)


async def test_sending_to_yourself_or_from_someone_else_is_refused(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    mallory = await customer(runtime, graphql)

    to_self = await transfer(graphql, ada, ada, 100)
    stolen = await transfer(graphql, type(ada)(mallory.token, ada.account_id), mallory, 100)

    assert to_self.data["transfer"]["errors"][0]["code"] == "SELF_TRANSFER"
    assert stolen.data["transfer"]["errors"][0]["code"] == "NOT_FOUND"
    assert await balance_of(graphql, ada) == 10_000


async def test_concurrent_transfers_never_overdraw(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    ada = await customer(runtime, graphql, 50_000)
    bob = await customer(runtime, graphql)

    results = await asyncio.gather(*(transfer(graphql, ada, bob, 1_000) for _ in range(100)))

    outcomes = [
        r.data["transfer"]["errors"][0]["code"] if r.data["transfer"]["errors"] else "OK"
        for r in results
    ]
    assert outcomes.count("OK") == 50
    assert outcomes.count("INSUFFICIENT_FUNDS") == 50
    assert (await balance_of(graphql, ada), await balance_of(graphql, bob)) == (0, 50_000)
    assert await ledger_totals(database_url) == [("NAD", 0)]


async def test_one_idempotency_key_makes_one_transaction(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql)
    key = uuid.uuid4().hex

    answers = await asyncio.gather(*(transfer(graphql, ada, bob, 700, key=key) for _ in range(20)))
    reused = await transfer(graphql, ada, bob, 800, key=key)

    assert len({str(answer.result) for answer in answers}) == 1
    assert answers[0].data["transfer"]["transaction"]["status"] == "COMPLETED"
    assert await balance_of(graphql, bob) == 700
    assert reused.data["transfer"]["errors"][0]["code"] == "IDEMPOTENCY_KEY_REUSED"


async def test_crossing_transfers_do_not_deadlock(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    ada = await customer(runtime, graphql, 20_000)
    bob = await customer(runtime, graphql, 20_000)

    results = await asyncio.gather(
        *(transfer(graphql, ada, bob, 100) for _ in range(25)),
        *(transfer(graphql, bob, ada, 100) for _ in range(25)),
    )

    assert all(r.errors == [] and r.data["transfer"]["errors"] == [] for r in results)
    assert await balance_of(graphql, ada) + await balance_of(graphql, bob) == 40_000
    assert await ledger_totals(database_url) == [("NAD", 0)]


async def test_ledger_entries_cannot_be_changed(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    ada = await customer(runtime, graphql, 1_000)
    connection = await asyncpg.connect(plain_url(database_url))
    try:
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="immutable"):
            await connection.execute("UPDATE ledger_entries SET amount_minor = 999999")
    finally:
        await connection.close()
    assert await balance_of(graphql, ada) == 1_000


async def test_unverified_customers_meet_their_tier_limits(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 450_000)
    bob = await customer(runtime, graphql)

    too_big = await transfer(graphql, ada, bob, 100_001)
    over_cap = await deposit(graphql, ada.token, ada.account_id, 50_001)
    sent = [await transfer(graphql, ada, bob, 100_000) for _ in range(3)]

    assert too_big.data["transfer"]["errors"][0]["code"] == "LIMIT_EXCEEDED"
    assert over_cap.data["deposit"]["errors"][0]["code"] == "LIMIT_EXCEEDED"
    assert [
        s.data["transfer"]["errors"][0]["code"] if s.data["transfer"]["errors"] else "OK"
        for s in sent
    ] == [
        "OK",
        "OK",
        "LIMIT_EXCEEDED",
    ]


async def test_a_transfer_that_cannot_get_its_account_in_time_is_refused_and_changes_nothing(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    ada = await customer(runtime, graphql, 5_000)
    bob = await customer(runtime, graphql)
    runtime.services.settings.money_lock_wait_s = 0.5
    holder = await asyncpg.connect(plain_url(database_url))
    try:
        async with holder.transaction():
            await holder.execute(
                "SELECT 1 FROM accounts WHERE id = $1 FOR UPDATE", from_global_id(ada.account_id)[1]
            )
            refused = await transfer(graphql, ada, bob, 1_000)
    finally:
        await holder.close()

    assert refused.error_codes == ["SERVICE_UNAVAILABLE"]
    assert refused.errors[0]["extensions"]["retryAfter"] == 1
    assert await balance_of(graphql, ada) == 5_000
    assert await balance_of(graphql, bob) == 0
