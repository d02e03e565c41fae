"""CSRF prevention for `/graphql`, as Apollo Server's `csrfPrevention`.

A browser sends a cross-site request without a CORS preflight only with a "simple"
content-type and no custom header, and such a request can still act with the victim's
cookies. POST must already be JSON (a preflighted type). A GET that carries an operation
must show it was not such a simple request: a content-type that is not a simple one, or
one of the custom headers below. The GraphiQL page (a GET without an operation) loads as
usual; nothing runs on it."""

from urllib.parse import parse_qs

from starlette.types import Scope

from server.errors import RequestRejected

SIMPLE_CONTENT_TYPES = frozenset(
    {"application/x-www-form-urlencoded", "multipart/form-data", "text/plain"}
)
PREFLIGHT_HEADERS = (b"apollo-require-preflight", b"x-apollo-operation-name", b"x-elcorp-client")
OPERATION_PARAMETERS = ("query", "extensions", "documentId")
MESSAGE = (
    "This request has been blocked as a potential cross-site request forgery (CSRF): "
    "send a `content-type` other than application/x-www-form-urlencoded, "
    "multipart/form-data or text/plain, or a non-empty `x-elcorp-client`, "
    "`apollo-require-preflight` or `x-apollo-operation-name` header"
)


def check_csrf(scope: Scope) -> None:
    if scope["method"] != "GET" or not _carries_operation(scope):
        return
    headers = dict(scope["headers"])
    content_type = headers.get(b"content-type", b"").decode("latin-1")
    media_type = content_type.split(";")[0].strip().lower()
    if media_type and media_type not in SIMPLE_CONTENT_TYPES:
        return
    if any(headers.get(name, b"").strip() for name in PREFLIGHT_HEADERS):
        return
    raise RequestRejected(400, MESSAGE, "BAD_REQUEST")


def _carries_operation(scope: Scope) -> bool:
    query_string = scope.get("query_string", b"").decode("latin-1")
    parameters = parse_qs(query_string, keep_blank_values=True)
    return any(name in parameters for name in OPERATION_PARAMETERS)
