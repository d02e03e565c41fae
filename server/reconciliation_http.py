"""Settlement statements over plain HTTP, for `payments:reconcile` holders:

    POST /reconciliation/statements?gateway=sandbox   (content-type: text/csv) -> 201 {id}
    GET  /reconciliation/statements/<global id>/report.csv

Authenticated exactly as `/graphql` is (`Bearer` or `ApiKey`); errors are JSON in the
GraphQL-over-HTTP style of `server/errors.py`."""

import csv
import io
from uuid import UUID

from starlette.requests import Request
from starlette.responses import Response

from auth.principal import Principal
from domain.payments.reconciliation import Discrepancy, StatementStatus
from domain.payments.reconciliation_service import ImportStatement
from domain.payments.statements import MalformedStatement, format_major
from domain.shared.errors import DomainError, ErrorCode
from domain.shared.money import Money
from persistence.payments.reconciliation_queries import ReconciliationQueries
from persistence.uow import Actor
from resolvers.payments.reconciliation import RECONCILE
from schema.context import Services
from schema.errors import CodedError
from schema.ids import from_global_id, to_global_id
from server.errors import RequestRejected, error_response
from server.observability import request_state
from server.request_auth import authorize
from server.responses import ORJSONResponse

CSV_TYPES = ("text/csv", "application/csv")
REPORT_COLUMNS = (
    "kind",
    "reference",
    "statement_amount",
    "statement_currency",
    "ledger_amount",
    "ledger_currency",
    "transaction_id",
    "detail",
    "resolution",
    "note",
)
HTTP_ERRORS = {
    ErrorCode.NOT_FOUND: (404, "NOT_FOUND"),
    ErrorCode.CONFLICT: (409, "CONFLICT"),
    ErrorCode.LIMIT_EXCEEDED: (413, "PAYLOAD_TOO_LARGE"),
}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is a formula to a spreadsheet: exports defuse them."""


async def import_statement(request: Request, services: Services) -> Response:
    try:
        principal = await _authorized(request, services)
        _require_csv(request)
        content = await _body_within(request, services.reconciliation.limits.max_bytes)
    except RequestRejected as rejected:
        return error_response(
            rejected.status_code, rejected.message, rejected.code, rejected.headers
        )
    command = ImportStatement(
        gateway=request.query_params.get("gateway", "sandbox"),
        content=content,
        imported_by=principal.subject_id,
    )
    actor = Actor(
        principal.audit_name, request_state(request.scope).get("request_id"), _ip(request)
    )
    try:
        async with services.unit_of_work(actor) as uow:
            statement = await services.reconciliation.import_statement(uow, command)
    except MalformedStatement as malformed:
        return _malformed(malformed)
    except DomainError as error:
        status, code = HTTP_ERRORS.get(error.code, (400, "BAD_REQUEST"))
        return error_response(status, error.message, code)
    return ORJSONResponse(
        {
            "id": to_global_id("SettlementStatement", statement.id),
            "status": statement.status.name,
            "lineCount": statement.line_count,
        },
        status_code=201,
    )


async def statement_report(request: Request, services: Services) -> Response:
    try:
        await _authorized(request, services)
        statement_id = _statement_id(request.path_params["statement_id"])
    except RequestRejected as rejected:
        return error_response(
            rejected.status_code, rejected.message, rejected.code, rejected.headers
        )
    async with services.session_factory() as db:
        queries = ReconciliationQueries(db)
        (statement,) = await queries.statements([statement_id])
        if statement is None:
            return error_response(404, "No such settlement statement", "NOT_FOUND")
        if statement.status is not StatementStatus.RECONCILED:
            return error_response(409, "The statement is not reconciled yet", "INVALID_STATE")
        items = await queries.report(statement_id)
    return Response(
        report_csv(items),
        media_type="text/csv; charset=utf-8",
        headers={
            "content-disposition": f'attachment; filename="settlement-report-{statement_id}.csv"'
        },
    )


def report_csv(items: list[Discrepancy]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPORT_COLUMNS)
    for item in items:
        writer.writerow(
            [
                item.kind.name,
                _cell(item.reference),
                *_amount_cells(item.statement_amount),
                *_amount_cells(item.ledger_amount),
                to_global_id("Transaction", item.transaction_id) if item.transaction_id else "",
                _cell(item.detail),
                item.resolution.name if item.resolution else "",
                _cell(item.note),
            ]
        )
    return out.getvalue()


def _amount_cells(amount: Money | None) -> tuple[str, str]:
    return (
        ("", "") if amount is None else (format_major(amount.amount_minor), amount.currency.value)
    )


def _cell(text: str | None) -> str:
    if not text:
        return ""
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def _malformed(malformed: MalformedStatement) -> ORJSONResponse:
    return ORJSONResponse(
        {
            "errors": [
                {
                    "message": malformed.message,
                    "extensions": {
                        "code": malformed.code.value,
                        "lineErrorCount": malformed.problem_count,
                    },
                }
            ],
            "lineErrors": [{"line": p.line, "message": p.message} for p in malformed.problems],
        },
        status_code=422,
    )


async def _authorized(request: Request, services: Services) -> Principal:
    principal = await authorize(services, request.headers.get("authorization"), [RECONCILE])
    request_state(request.scope)["principal"] = principal.audit_name
    return principal


def _require_csv(request: Request) -> None:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type not in CSV_TYPES:
        raise RequestRejected(
            415, "A statement is sent as `content-type: text/csv`", "UNSUPPORTED_MEDIA_TYPE"
        )


async def _body_within(request: Request, limit: int) -> bytes:
    """Stops reading once past the limit, so an oversized upload never sits in memory."""
    too_large = RequestRejected(413, f"A statement is at most {limit} bytes", "PAYLOAD_TOO_LARGE")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise too_large
    return bytes(body)


def _statement_id(global_id: str) -> UUID:
    try:
        return from_global_id(global_id, "SettlementStatement")[1]
    except CodedError as error:
        raise RequestRejected(404, error.message, "NOT_FOUND") from None


def _ip(request: Request) -> str | None:
    return request.client.host if request.client else None
