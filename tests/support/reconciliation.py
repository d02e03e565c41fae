"""Settlement statements through the API: CSV building, imports over GraphQL and HTTP,
reports, and the ledger's gateway references (read as staff)."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select

from domain.identity.model import User
from domain.shared.calendar import NAMIBIA
from persistence.payments.reconciliation_tables import (
    ReconciliationItemRow,
    SettlementStatementLineRow,
    SettlementStatementRow,
)
from server.app import Runtime
from server.settings import Settings
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient, GraphQLResponse
from tests.support.identity import deliver_outbox

HEADER = "reference,amount,currency,date"
SMALL_MAX_BYTES, SMALL_MAX_LINES = 2_000, 20
IMPORT = """
mutation($csv: String!, $gateway: String! = "sandbox") {
  importSettlementStatement(input: {gateway: $gateway, csv: $csv}) {
    statement { id status lineCount periodStart periodEnd summary { matched } }
    lineErrors { line message }
    lineErrorCount
    errors { code field message }
  }
}
"""
STATEMENT = """
query($id: ID!, $kind: DiscrepancyKind, $unresolvedOnly: Boolean! = false) {
  settlementStatement(id: $id) {
    id gateway status lineCount periodStart periodEnd importedBy { id }
    summary { matched amountMismatch currencyMismatch missingInLedger missingInStatement unresolved }
    discrepancies(first: 100, kind: $kind, unresolvedOnly: $unresolvedOnly) {
      edges { node {
        id kind reference line detail resolution note resolvedAt resolvedBy { id }
        statementAmount { amountMinor currency } ledgerAmount { amountMinor currency }
        transaction { id }
      } }
    }
  }
}
"""
RESOLVE = """
mutation($id: ID!, $resolution: ReconciliationResolution!, $note: String!) {
  resolveDiscrepancy(input: {id: $id, resolution: $resolution, note: $note}) {
    discrepancy { id kind resolution note resolvedAt resolvedBy { id } }
    errors { code field message }
  }
}
"""
STATEMENTS = """
query($first: Int!, $after: String) {
  settlementStatements(first: $first, after: $after) {
    edges { node { id lineCount } } pageInfo { hasNextPage endCursor }
  }
}
"""
GATEWAY_REFERENCE = "query($id: ID!) { transaction(id: $id) { gatewayReference } }"


def with_small_statement_limits(settings: Settings) -> Settings:
    """Limits small enough for a test to pass them (SMALL_MAX_BYTES, SMALL_MAX_LINES)."""
    return settings.model_copy(
        update={
            "settlement_statement_max_bytes": SMALL_MAX_BYTES,
            "settlement_statement_max_lines": SMALL_MAX_LINES,
        }
    )


@dataclass
class Staff:
    user: User
    token: str


async def reconciler(runtime: Runtime, role: str = "admin") -> Staff:
    user = await create_user(runtime.services, roles=(role,))
    return Staff(user, await token_for(runtime.services, user))


def namibian_today() -> date:
    return datetime.now(UTC).astimezone(NAMIBIA).date()


def yesterday() -> date:
    return namibian_today() - timedelta(days=1)


def statement_csv(*lines: tuple[str, str, str] | tuple[str, str, str, date]) -> str:
    """Lines of (reference, amount, currency[, date]); the date defaults to today."""
    rows = [
        f"{reference},{amount},{currency},{(rest[0] if rest else namibian_today()).isoformat()}"
        for reference, amount, currency, *rest in lines
    ]
    return "\n".join([HEADER, *rows]) + "\n"


async def import_statement(graphql: GraphQLClient, token: str, csv: str) -> dict[str, Any]:
    response = await graphql(IMPORT, {"csv": csv}, token=token)
    assert response.errors == [], response.body
    return response.data["importSettlementStatement"]  # type: ignore[no-any-return]


async def post_statement(
    http: httpx.AsyncClient, token: str | None, csv: str | bytes, gateway: str = "sandbox"
) -> httpx.Response:
    headers = {"content-type": "text/csv"}
    if token is not None:
        headers["authorization"] = f"Bearer {token}"
    content = csv.encode() if isinstance(csv, str) else csv
    return await http.post(
        "/reconciliation/statements", params={"gateway": gateway}, content=content, headers=headers
    )


async def reconciled_statement(
    runtime: Runtime, graphql: GraphQLClient, token: str, csv: str
) -> dict[str, Any]:
    """Imported, matched by the worker, and read back."""
    imported = await import_statement(graphql, token, csv)
    assert imported["errors"] == [], imported
    await deliver_outbox(runtime)
    return await read_statement(graphql, token, imported["statement"]["id"])


async def read_statement(
    graphql: GraphQLClient, token: str, statement_id: str, **variables: Any
) -> dict[str, Any]:
    response = await graphql(STATEMENT, {"id": statement_id, **variables}, token=token)
    assert response.errors == [], response.body
    return response.data["settlementStatement"]  # type: ignore[no-any-return]


def items(statement: dict[str, Any]) -> list[dict[str, Any]]:
    return [edge["node"] for edge in statement["discrepancies"]["edges"]]


async def resolve(
    graphql: GraphQLClient, token: str, item_id: str, resolution: str, note: str
) -> GraphQLResponse:
    variables = {"id": item_id, "resolution": resolution, "note": note}
    return await graphql(RESOLVE, variables, token=token)


async def gateway_reference(graphql: GraphQLClient, staff_token: str, transaction_id: str) -> str:
    response = await graphql(GATEWAY_REFERENCE, {"id": transaction_id}, token=staff_token)
    return response.data["transaction"]["gatewayReference"]  # type: ignore[no-any-return]


async def stored_rows(runtime: Runtime) -> tuple[int, int, int]:
    """(statements, statement lines, report items) in the database."""
    async with runtime.services.session_factory() as db:
        counts = [
            await db.scalar(select(func.count()).select_from(table))
            for table in (SettlementStatementRow, SettlementStatementLineRow, ReconciliationItemRow)
        ]
    return counts[0] or 0, counts[1] or 0, counts[2] or 0
