"""Report numbers equal what a separate, hand-written SQL query computes over data seeded
through the API (and, for past days, rows inserted with their own timestamps)."""

import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

import asyncpg
import pytest

from domain.shared.calendar import namibian_date
from server.app import Runtime
from tests.support.compliance import officer
from tests.support.databases import plain_url
from tests.support.graphql import GraphQLClient
from tests.support.money import approved_merchant, pay, withdraw
from tests.support.payments import Customer, customer, deposit, transfer

VOLUME = """
query($from: Date!, $to: Date!, $groupBy: ReportGrouping!, $currency: Currency, $kind: TransactionKind) {
  transactionVolume(from: $from, to: $to, groupBy: $groupBy, currency: $currency, kind: $kind) {
    from to groupBy
    periods { from to totals { currency kind count total { amountMinor currency } } } } }
"""
OPEN_WALLET = """
mutation($currency: Currency!) { openWallet(input: {currency: $currency}) { account { id } errors { code } } }
"""
DEPOSIT_IN = """
mutation($key: String!, $account: ID!, $amount: SafeInt!, $currency: Currency!) {
  deposit(input: {idempotencyKey: $key, accountId: $account,
                  amount: {amountMinor: $amount, currency: $currency}}) { errors { code } } }
"""
EXPECTED_VOLUME = """
WITH local AS (
  SELECT (created_at AT TIME ZONE 'Africa/Windhoek')::date AS day, currency, kind, amount_minor
  FROM ledger_transactions
  WHERE status IN ('completed', 'reversed')
)
SELECT greatest(date_trunc($3, day)::date, $1::date) AS period, currency, upper(kind),
       count(*), sum(amount_minor)
FROM local
WHERE day BETWEEN $1 AND $2
  AND ($4::text IS NULL OR currency = $4) AND ($5::text IS NULL OR kind = $5)
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
"""
HISTORY = """
INSERT INTO ledger_transactions (id, kind, status, amount_minor, currency, reference, created_at)
VALUES ($1, $2, $3, $4, $5, 'history', $6)
"""


async def sql(runtime: Runtime, query: str, *args: Any) -> list[asyncpg.Record]:
    connection = await asyncpg.connect(plain_url(runtime.settings.resolved_database_url))
    try:
        return await connection.fetch(query, *args)
    finally:
        await connection.close()


async def seed_history(runtime: Runtime, today: date) -> None:
    """Past days, including both sides of a Namibian midnight (22:00 UTC)."""
    midnight = datetime.combine(today - timedelta(days=9), datetime.min.time(), UTC)
    rows = [
        ("payment", "completed", 1_000, "NAD", midnight - timedelta(hours=2, seconds=1)),
        ("payment", "completed", 2_000, "NAD", midnight - timedelta(hours=2)),
        ("payment", "reversed", 700, "NAD", midnight + timedelta(hours=5)),
        ("reversal", "completed", 700, "NAD", midnight + timedelta(hours=6)),
        ("deposit", "failed", 9_999, "NAD", midnight + timedelta(hours=7)),
        ("transfer", "completed", 450, "EUR", midnight - timedelta(days=20)),
        ("withdrawal", "completed", 333, "USD", midnight - timedelta(days=40)),
        ("deposit", "completed", 123, "ZAR", midnight - timedelta(days=80)),
    ]
    for kind, status, amount, currency, at in rows:
        await sql(runtime, HISTORY, uuid.uuid4(), kind, status, amount, currency, at)


async def seed_today(runtime: Runtime, graphql: GraphQLClient) -> None:
    ada = await customer(runtime, graphql, 50_000)
    bob = await customer(runtime, graphql, 1_000)
    shop = await approved_merchant(runtime, graphql)
    await transfer(graphql, ada, bob, 1_500)
    await pay(graphql, ada, shop.merchant_id, 2_500)
    await pay(graphql, bob, shop.merchant_id, 300)
    await withdraw(graphql, ada, 400)
    await deposit(graphql, ada.token, ada.account_id, 1_013)  # declined: not counted
    await deposit(graphql, ada.token, ada.account_id, 1_014)  # still processing
    await deposit_in(graphql, ada, "USD", 7_700)


async def deposit_in(graphql: GraphQLClient, who: Customer, currency: str, amount: int) -> None:
    opened = await graphql(OPEN_WALLET, {"currency": currency}, token=who.token)
    account = opened.data["openWallet"]["account"]["id"]
    variables = {
        "key": uuid.uuid4().hex,
        "account": account,
        "amount": amount,
        "currency": currency,
    }
    deposited = await graphql(DEPOSIT_IN, variables, token=who.token)
    assert deposited.data["deposit"]["errors"] == [], deposited.body


def reported(body: dict[str, Any]) -> list[tuple[date, str, str, int, int]]:
    return [
        (
            date.fromisoformat(period["from"]),
            total["currency"],
            total["kind"],
            total["count"],
            total["total"]["amountMinor"],
        )
        for period in body["transactionVolume"]["periods"]
        for total in period["totals"]
    ]


@pytest.mark.parametrize(
    ("group_by", "currency", "kind"),
    [
        ("DAY", None, None),
        ("WEEK", None, None),
        ("MONTH", None, None),
        ("DAY", "NAD", None),
        ("MONTH", None, "PAYMENT"),
    ],
)
async def test_transaction_volume_equals_an_independent_sql_count(
    runtime: Runtime, graphql: GraphQLClient, group_by: str, currency: str | None, kind: str | None
) -> None:
    today = namibian_date(datetime.now(UTC))
    first_day = today - timedelta(days=100)
    await seed_history(runtime, today)
    await seed_today(runtime, graphql)
    staff = await officer(runtime, role="staff")

    answered = await graphql(
        VOLUME,
        {
            "from": first_day.isoformat(),
            "to": today.isoformat(),
            "groupBy": group_by,
            "currency": currency,
            "kind": kind,
        },
        token=staff.token,
    )
    expected = await sql(
        runtime,
        EXPECTED_VOLUME,
        first_day,
        today,
        group_by.lower(),
        currency,
        None if kind is None else kind.lower(),
    )

    assert answered.errors == [], answered.body
    assert reported(answered.data) == [tuple(row) for row in expected]
    assert len(expected) >= (2 if currency or kind else 5)


async def test_a_day_report_lists_every_day_even_the_empty_ones(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    staff = await officer(runtime, role="staff")

    answered = await graphql(
        VOLUME, {"from": "2026-02-27", "to": "2026-03-02", "groupBy": "DAY"}, token=staff.token
    )

    assert [
        (p["from"], p["to"], p["totals"]) for p in answered.data["transactionVolume"]["periods"]
    ] == [
        ("2026-02-27", "2026-02-27", []),
        ("2026-02-28", "2026-02-28", []),
        ("2026-03-01", "2026-03-01", []),
        ("2026-03-02", "2026-03-02", []),
    ]


async def test_a_backwards_or_too_long_period_is_bad_input(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    staff = await officer(runtime, role="staff")

    backwards = await graphql(
        VOLUME, {"from": "2026-03-02", "to": "2026-03-01", "groupBy": "DAY"}, token=staff.token
    )
    too_long = await graphql(
        VOLUME, {"from": "2024-01-01", "to": "2026-01-01", "groupBy": "DAY"}, token=staff.token
    )

    assert backwards.error_codes == too_long.error_codes == ["BAD_USER_INPUT"]
