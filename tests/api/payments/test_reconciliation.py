"""Settlement reconciliation through GraphQL: a statement imported by staff is matched
against the ledger by the worker, and its discrepancies are resolved and audited."""

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from adapters.payments_reconciliation import ReconcileImportedStatement
from domain.payments.reconciliation_service import STATEMENT_IMPORTED
from persistence.outbox import OutboxMessage
from schema.ids import from_global_id, to_global_id
from server.app import Runtime
from server.settings import Settings
from tests.support.graphql import GraphQLClient
from tests.support.identity import deliver_outbox
from tests.support.payments import customer, deposit
from tests.support.reconciliation import (
    IMPORT,
    SMALL_MAX_BYTES,
    SMALL_MAX_LINES,
    STATEMENTS,
    Staff,
    gateway_reference,
    import_statement,
    items,
    read_statement,
    reconciled_statement,
    reconciler,
    statement_csv,
    stored_rows,
    with_small_statement_limits,
    yesterday,
)

MAX_BYTES, MAX_LINES = SMALL_MAX_BYTES, SMALL_MAX_LINES


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_small_statement_limits(settings)


async def deposited(
    graphql: GraphQLClient, admin: Staff, token: str, account: str, amount: int
) -> tuple[str, str]:
    """(transaction id, gateway reference) of a deposit through the sandbox gateway."""
    made = (await deposit(graphql, token, account, amount)).data["deposit"]
    assert made["errors"] == [], made
    return made["transaction"]["id"], await gateway_reference(
        graphql, admin.token, made["transaction"]["id"]
    )


def money(amount_minor: int, currency: str = "NAD") -> dict[str, Any]:
    return {"amountMinor": amount_minor, "currency": currency}


async def test_a_statement_is_matched_into_exactly_one_item_of_each_kind(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    admin = await reconciler(runtime)
    ada = await customer(runtime, graphql)
    same = await deposited(graphql, admin, ada.token, ada.account_id, 1_000)
    short = await deposited(graphql, admin, ada.token, ada.account_id, 2_000)
    other_currency = await deposited(graphql, admin, ada.token, ada.account_id, 3_000)
    declined = await deposited(graphql, admin, ada.token, ada.account_id, 1_013)
    unlisted = await deposited(graphql, admin, ada.token, ada.account_id, 4_000)
    csv = statement_csv(
        (same[1], "10.00", "NAD"),
        (short[1], "19.00", "NAD"),
        (other_currency[1], "30.00", "ZAR"),
        ("sandbox_ch_unknown", "5.00", "NAD", yesterday()),
        (declined[1], "10.13", "NAD"),
    )

    imported = await import_statement(graphql, admin.token, csv)
    before_worker = await read_statement(graphql, admin.token, imported["statement"]["id"])
    await deliver_outbox(runtime)
    statement = await read_statement(graphql, admin.token, imported["statement"]["id"])

    assert imported["errors"] == []
    assert (before_worker["status"], before_worker["summary"], items(before_worker)) == (
        "IMPORTED",
        None,
        [],
    )
    assert {
        k: statement[k] for k in ("gateway", "status", "lineCount", "periodStart", "periodEnd")
    } == {
        "gateway": "sandbox",
        "status": "RECONCILED",
        "lineCount": 5,
        "periodStart": yesterday().isoformat(),
        "periodEnd": imported["statement"]["periodEnd"],
    }
    assert statement["importedBy"] == {"id": to_global_id("User", admin.user.id)}
    assert statement["summary"] == {
        "matched": 1,
        "amountMismatch": 1,
        "currencyMismatch": 1,
        "missingInLedger": 2,
        "missingInStatement": 1,
        "unresolved": 5,
    }
    report = [
        (
            i["kind"],
            i["reference"],
            i["line"],
            i["statementAmount"],
            i["ledgerAmount"],
            i["transaction"],
        )
        for i in items(statement)
    ]
    assert report == [
        ("MATCHED", same[1], 2, money(1_000), money(1_000), {"id": same[0]}),
        ("AMOUNT_MISMATCH", short[1], 3, money(1_900), money(2_000), {"id": short[0]}),
        (
            "CURRENCY_MISMATCH",
            other_currency[1],
            4,
            money(3_000, "ZAR"),
            money(3_000),
            {"id": other_currency[0]},
        ),
        ("MISSING_IN_LEDGER", "sandbox_ch_unknown", 5, money(500), None, None),
        ("MISSING_IN_LEDGER", declined[1], 6, money(1_013), money(1_013), {"id": declined[0]}),
        ("MISSING_IN_STATEMENT", unlisted[1], None, None, money(4_000), {"id": unlisted[0]}),
    ]
    assert items(statement)[4]["detail"] == "The ledger has this deposit as failed, not settled"
    assert items(statement)[3]["detail"] == "No ledger transaction has this reference"


async def test_matching_again_does_not_duplicate_the_report(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    admin = await reconciler(runtime)
    statement = await reconciled_statement(
        runtime, graphql, admin.token, statement_csv(("sandbox_ch_x", "1.00", "NAD"))
    )
    redelivered = OutboxMessage(
        position=0,
        event_id=from_global_id(statement["id"])[1],
        name=STATEMENT_IMPORTED,
        aggregate_type="SettlementStatement",
        aggregate_id=from_global_id(statement["id"])[1],
        payload={},
        audience=(),
        occurred_at=datetime.now(UTC),
        attempts=1,
        broadcast=False,
    )

    await ReconcileImportedStatement(
        runtime.services.unit_of_work, runtime.services.reconciliation
    )(redelivered)

    again = await read_statement(graphql, admin.token, statement["id"])
    assert len(items(again)) == len(items(statement)) == 1
    assert again["summary"] == statement["summary"]
    assert await stored_rows(runtime) == (1, 1, 1)


async def test_a_malformed_statement_imports_nothing_and_names_every_bad_line(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    admin = await reconciler(runtime)
    csv = statement_csv(("good", "1.00", "NAD")) + (
        "bad-amount,1.005,NAD,2026-11-20\n"
        "bad-currency,1.00,GBP,2026-11-20\n"
        "good,2.00,NAD,2026-11-20\n"
        "float,1e3,NAD,2026-11-20\n"
    )

    payload = await import_statement(graphql, admin.token, csv)
    listed = await graphql(STATEMENTS, {"first": 10}, token=admin.token)

    assert payload["statement"] is None
    assert [e["code"] for e in payload["errors"]] == ["MALFORMED_STATEMENT"]
    assert payload["errors"][0]["field"] == ["csv"]
    assert [(e["line"], e["message"].split(" ")[1]) for e in payload["lineErrors"]] == [
        (3, "amount"),
        (4, "currency"),
        (5, "reference"),
        (6, "amount"),
    ]
    assert payload["lineErrorCount"] == 4
    assert listed.data["settlementStatements"]["edges"] == []
    assert await stored_rows(runtime) == (0, 0, 0)


async def test_an_empty_statement_and_an_unknown_gateway_are_refused(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    admin = await reconciler(runtime)

    empty = await import_statement(graphql, admin.token, "reference,amount,currency,date\n")
    unknown = await graphql(
        IMPORT,
        {"csv": statement_csv(("r", "1.00", "NAD")), "gateway": "paypal"},
        token=admin.token,
    )

    assert [e["code"] for e in empty["errors"]] == ["MALFORMED_STATEMENT"]
    assert empty["lineErrors"] == []
    assert [e["code"] for e in unknown.data["importSettlementStatement"]["errors"]] == ["NOT_FOUND"]
    assert await stored_rows(runtime) == (0, 0, 0)


async def test_the_same_file_imported_twice_is_a_conflict(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    admin = await reconciler(runtime)
    csv = statement_csv(("sandbox_ch_1", "1.00", "NAD"), ("sandbox_ch_2", "2.00", "NAD"))

    first = await import_statement(graphql, admin.token, csv)
    second = await import_statement(graphql, admin.token, csv)

    assert first["errors"] == []
    assert second["statement"] is None
    assert [e["code"] for e in second["errors"]] == ["CONFLICT"]
    assert await stored_rows(runtime) == (1, 2, 0)


async def test_statements_over_the_size_or_line_limit_are_refused(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    admin = await reconciler(runtime)
    too_many = statement_csv(*((f"r{n}", "1.00", "NAD") for n in range(MAX_LINES + 1)))
    too_big = statement_csv(("r" * 150, "1.00", "NAD")) * 14

    by_lines = await import_statement(graphql, admin.token, too_many)
    by_bytes = await import_statement(graphql, admin.token, too_big)

    assert len(too_big.encode()) > MAX_BYTES
    assert [e["code"] for e in by_lines["errors"]] == ["LIMIT_EXCEEDED"]
    assert f"at most {MAX_LINES} lines" in by_lines["errors"][0]["message"]
    assert [e["code"] for e in by_bytes["errors"]] == ["LIMIT_EXCEEDED"]
    assert f"at most {MAX_BYTES} bytes" in by_bytes["errors"][0]["message"]
    assert await stored_rows(runtime) == (0, 0, 0)


async def test_statements_are_listed_newest_first_a_page_at_a_time(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    admin = await reconciler(runtime)
    older = await import_statement(graphql, admin.token, statement_csv(("a", "1.00", "NAD")))
    newer = await import_statement(
        graphql, admin.token, statement_csv(("b", "1.00", "NAD"), ("c", "1.00", "NAD"))
    )

    first = (await graphql(STATEMENTS, {"first": 1}, token=admin.token)).data
    cursor = first["settlementStatements"]["pageInfo"]["endCursor"]
    rest = (await graphql(STATEMENTS, {"first": 1, "after": cursor}, token=admin.token)).data

    assert [e["node"]["id"] for e in first["settlementStatements"]["edges"]] == [
        newer["statement"]["id"]
    ]
    assert first["settlementStatements"]["pageInfo"]["hasNextPage"] is True
    assert [e["node"]["id"] for e in rest["settlementStatements"]["edges"]] == [
        older["statement"]["id"]
    ]
    assert rest["settlementStatements"]["pageInfo"]["hasNextPage"] is False


async def test_an_unknown_statement_is_not_found(runtime: Runtime, graphql: GraphQLClient) -> None:
    admin = await reconciler(runtime)

    missing = await graphql(
        "query($id: ID!) { settlementStatement(id: $id) { id } }",
        {"id": to_global_id("SettlementStatement", uuid.uuid4())},
        token=admin.token,
    )

    assert missing.error_codes == ["NOT_FOUND"]
