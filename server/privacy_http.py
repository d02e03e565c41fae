"""The signed-in user's personal-data export as a file to keep:

    GET /privacy/export   (Authorization: Bearer <access token>)  -> 200 attachment (JSON)

The same document as `exportMyData`, audited the same way; a user session only (an API key
gets 403), authenticated exactly as `/graphql` is."""

import orjson
from starlette.requests import Request
from starlette.responses import Response

from persistence.uow import Actor
from schema.context import Services
from server.errors import RequestRejected, error_response
from server.observability import request_state
from server.request_auth import authenticate


async def personal_data_download(request: Request, services: Services) -> Response:
    try:
        principal = await authenticate(services, request.headers.get("authorization"))
        if not principal.is_authenticated:
            raise RequestRejected(
                401, "Authentication required", "UNAUTHENTICATED", {"www-authenticate": "Bearer"}
            )
        if not principal.has_user_session:
            raise RequestRejected(403, "This needs a signed-in user, not an API key", "FORBIDDEN")
    except RequestRejected as rejected:
        return error_response(
            rejected.status_code, rejected.message, rejected.code, rejected.headers
        )
    state = request_state(request.scope)
    state["principal"] = principal.audit_name
    client = request.client.host if request.client else None
    actor = Actor(principal.audit_name, state.get("request_id"), client)
    async with services.unit_of_work(actor) as uow:
        export = await services.data_subject_rights.export(
            uow, principal.subject_id, by_subject=True
        )
    day = export.generated_at.date().isoformat()
    return Response(
        orjson.dumps(export.document, option=orjson.OPT_INDENT_2),
        media_type="application/json",
        headers={
            "content-disposition": f'attachment; filename="elcorp-personal-data-{day}.json"',
            "cache-control": "no-store",
        },
    )
