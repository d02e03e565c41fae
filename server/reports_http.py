"""Reports as CSV, for `reports:read` holders: `GET /reports/<name>.csv?from=…&to=…&…`
with the GraphQL field's name and arguments (enums by their GraphQL names, e.g.
`groupBy=WEEK&currency=NAD&kind=PAYMENT`). Authenticated exactly as `/graphql` is."""

import csv
import io
from collections.abc import Iterable, Sequence

from starlette.requests import Request
from starlette.responses import Response

from domain.shared.errors import DomainError
from resolvers.compliance.reports import READ, REPORTS, run_report
from schema.context import Services
from server.errors import RequestRejected, error_response
from server.observability import request_state
from server.request_auth import authorize


async def report_csv(request: Request, services: Services) -> Response:
    try:
        principal = await authorize(services, request.headers.get("authorization"), [READ])
        request_state(request.scope)["principal"] = principal.audit_name
        report = REPORTS.get(request.path_params["name"])
        if report is None:
            raise RequestRejected(404, "No such report", "NOT_FOUND")
        params = report.parse(request.query_params)
    except RequestRejected as rejected:
        return error_response(
            rejected.status_code, rejected.message, rejected.code, rejected.headers
        )
    except DomainError as error:
        return error_response(400, error.message, "BAD_USER_INPUT")
    result = await run_report(services, report, params)
    return Response(
        write_csv(report.columns, report.rows(result)),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{report.name}.csv"'},
    )


def write_csv(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows(rows)
    return out.getvalue()
