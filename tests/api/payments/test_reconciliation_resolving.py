"""Resolving a reconciliation report's discrepancies, who may touch reports, and what
reading them costs."""

import pytest
from sqlalchemy import select

from persistence.compliance.tables import AuditLogRow
from persistence.shared.tables import OutboxEventRow
from schema.ids import from_global_id, to_global_id
from server.app import Runtime
from tests.support.graphql import GraphQLClient
from tests.support.payments import customer, deposit
from tests.support.reconciliation import (
    GATEWAY_REFERENCE,
    IMPORT,
    RESOLVE,
    STATEMENT,
    STATEMENTS,
    gateway_reference,
    items,
    read_statement,
    reconciled_statement,
    reconciler,
    resolve,
    statement_csv,
)


async def reconciled_with_a_mismatch(runtime: Runtime, graphql: GraphQLClient) -> tuple[str, dict]:
    """(admin token, statement): one match, one amount mismatch, one unknown reference."""
    admin = await reconciler(runtime)
    ada = await customer(runtime, graphql)
    references = []
    for amount in (1_000, 2_000):
        made = (await deposit(graphql, ada.token, ada.account_id, amount)).data["deposit"]
        references.append(await gateway_reference(graphql, admin.token, made["transaction"]["id"]))
    csv = statement_csv(
        (references[0], "10.00", "NAD"),
        (references[1], "19.00", "NAD"),
        ("sandbox_ch_unknown", "3.00", "NAD"),
    )
    return admin.token, await reconciled_statement(runtime, graphql, admin.token, csv)


async def test_a_discrepancy_is_resolved_once_audited_and_counted_as_resolved(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    token, statement = await reconciled_with_a_mismatch(runtime, graphql)
    matched, mismatch, unknown = items(statement)
    admin_id = from_global_id(statement["importedBy"]["id"])[1]

    resolved = await resolve(graphql, token, mismatch["id"], "WRITTEN_OFF", "  Gateway fee  ")
    again = await resolve(graphql, token, mismatch["id"], "ACCEPTED", "second thoughts")
    on_a_match = await resolve(graphql, token, matched["id"], "ACCEPTED", "fine")
    without_note = await resolve(graphql, token, unknown["id"], "ACCEPTED", "   ")
    after = await read_statement(graphql, token, statement["id"])
    open_items = await read_statement(graphql, token, statement["id"], unresolvedOnly=True)
    mismatches = await read_statement(graphql, token, statement["id"], kind="AMOUNT_MISMATCH")

    payload = resolved.data["resolveDiscrepancy"]
    assert payload["errors"] == []
    assert {k: payload["discrepancy"][k] for k in ("id", "resolution", "note", "resolvedBy")} == {
        "id": mismatch["id"],
        "resolution": "WRITTEN_OFF",
        "note": "Gateway fee",
        "resolvedBy": {"id": to_global_id("User", admin_id)},
    }
    assert payload["discrepancy"]["resolvedAt"] is not None
    for refused, field in ((again, "id"), (on_a_match, "id"), (without_note, "note")):
        (error,) = refused.data["resolveDiscrepancy"]["errors"]
        assert refused.data["resolveDiscrepancy"]["discrepancy"] is None
        assert (error["code"], error["field"]) == (
            "BAD_USER_INPUT" if field == "note" else "INVALID_STATE",
            [field],
        )
    assert (statement["summary"]["unresolved"], after["summary"]["unresolved"]) == (2, 1)
    assert items(after)[1]["resolution"] == "WRITTEN_OFF"
    assert items(after)[1]["note"] == "Gateway fee"
    assert [i["id"] for i in items(open_items)] == [unknown["id"]]
    assert [i["id"] for i in items(mismatches)] == [mismatch["id"]]

    async with runtime.services.session_factory() as db:
        audited = (
            await db.execute(
                select(AuditLogRow).where(AuditLogRow.action == "payments.discrepancy_resolved")
            )
        ).scalars()
        (entry,) = list(audited)
        outbox = await db.scalar(
            select(OutboxEventRow.payload).where(
                OutboxEventRow.name == "payments.discrepancy_resolved"
            )
        )
    assert (entry.actor, entry.entity_type, entry.entity_id) == (
        f"user:{admin_id}",
        "Discrepancy",
        str(from_global_id(mismatch["id"])[1]),
    )
    assert entry.changes == outbox
    assert {k: entry.changes[k] for k in ("kind", "resolution", "statement_amount_minor")} == {
        "kind": "amount_mismatch",
        "resolution": "written_off",
        "statement_amount_minor": 1_900,
    }
    assert entry.changes["ledger_amount_minor"] == 2_000
    assert "Gateway fee" not in str(entry.changes)


async def test_importing_and_matching_are_audited_with_their_actors(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    _, statement = await reconciled_with_a_mismatch(runtime, graphql)
    admin_id = from_global_id(statement["importedBy"]["id"])[1]

    async with runtime.services.session_factory() as db:
        rows = (
            await db.execute(
                select(AuditLogRow.action, AuditLogRow.actor, AuditLogRow.changes)
                .where(AuditLogRow.entity_type == "SettlementStatement")
                .order_by(AuditLogRow.seq)
            )
        ).all()

    assert [(row.action, row.actor) for row in rows] == [
        ("payments.settlement_statement_imported", f"user:{admin_id}"),
        ("payments.settlement_statement_reconciled", "system"),
    ]
    assert rows[0].changes["line_count"] == 3
    assert rows[1].changes["counts"] == {"matched": 1, "amount_mismatch": 1, "missing_in_ledger": 1}


@pytest.mark.parametrize("role", ["customer", "staff", "compliance_officer"])
async def test_only_reconcilers_import_read_and_resolve(
    runtime: Runtime, graphql: GraphQLClient, role: str
) -> None:
    admin_token, statement = await reconciled_with_a_mismatch(runtime, graphql)
    item_id = items(statement)[1]["id"]
    outsider = (await reconciler(runtime, role)).token

    attempts = [
        await graphql(IMPORT, {"csv": statement_csv(("r", "1.00", "NAD"))}, token=outsider),
        await graphql(STATEMENTS, {"first": 5}, token=outsider),
        await graphql(STATEMENT, {"id": statement["id"]}, token=outsider),
        await graphql(
            RESOLVE, {"id": item_id, "resolution": "ACCEPTED", "note": "n"}, token=outsider
        ),
    ]
    as_node = await graphql(
        "query($id: ID!) { node(id: $id) { id } }", {"id": statement["id"]}, token=outsider
    )
    anonymous = await graphql(STATEMENTS, {"first": 5})

    assert [attempt.error_codes for attempt in attempts] == [["FORBIDDEN"]] * 4
    assert attempts[0].errors[0]["extensions"]["requiredScopes"] == [["payments:reconcile"]]
    assert as_node.data == {"node": None}
    assert anonymous.error_codes == ["UNAUTHENTICATED"]
    untouched = await read_statement(graphql, admin_token, statement["id"])
    assert untouched["summary"]["unresolved"] == 2
    assert (await graphql(STATEMENTS, {"first": 5}, token=admin_token)).data[
        "settlementStatements"
    ]["edges"] == [{"node": {"id": statement["id"], "lineCount": 3}}]


async def test_gateway_references_are_for_staff_who_read_any_transaction(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql)
    staff = await reconciler(runtime, "staff")
    made = (await deposit(graphql, ada.token, ada.account_id, 1_000)).data["deposit"]
    transaction_id = made["transaction"]["id"]

    own = await graphql(GATEWAY_REFERENCE, {"id": transaction_id}, token=ada.token)

    assert own.error_codes == ["FORBIDDEN"]
    assert own.data == {"transaction": {"gatewayReference": None}}
    assert await gateway_reference(graphql, staff.token, transaction_id) == (
        f"sandbox_ch_{from_global_id(transaction_id)[1]}"
    )


async def test_reading_reports_takes_the_same_statements_for_one_or_many(
    runtime: Runtime, graphql: GraphQLClient, count_sql
) -> None:
    token, _ = await reconciled_with_a_mismatch(runtime, graphql)
    read = """{ settlementStatements(first: 10) { edges { node { id summary { unresolved }
        importedBy { id } discrepancies(first: 10) { edges { node { id transaction { id } } } } } } } }"""

    with count_sql() as few:
        one = await graphql(read, token=token)
    for _ in range(2):
        await reconciled_with_a_mismatch(runtime, graphql)
    with count_sql() as many:
        three = await graphql(read, token=token)

    assert len(one.data["settlementStatements"]["edges"]) == 1
    assert len(three.data["settlementStatements"]["edges"]) == 3
    assert many.count == few.count


async def test_a_report_is_read_a_page_at_a_time_in_report_order(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    token, statement = await reconciled_with_a_mismatch(runtime, graphql)
    page = """query($id: ID!, $after: String) { settlementStatement(id: $id) {
        discrepancies(first: 2, after: $after) {
          edges { node { id } } pageInfo { hasNextPage endCursor } } } }"""

    first = (await graphql(page, {"id": statement["id"]}, token=token)).data
    cursor = first["settlementStatement"]["discrepancies"]["pageInfo"]["endCursor"]
    rest = (await graphql(page, {"id": statement["id"], "after": cursor}, token=token)).data

    pages = [first, rest]
    assert [
        [edge["node"]["id"] for edge in p["settlementStatement"]["discrepancies"]["edges"]]
        for p in pages
    ] == [[i["id"] for i in items(statement)[:2]], [items(statement)[2]["id"]]]
    assert [
        p["settlementStatement"]["discrepancies"]["pageInfo"]["hasNextPage"] for p in pages
    ] == [
        True,
        False,
    ]
