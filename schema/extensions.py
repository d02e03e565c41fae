from collections.abc import Iterator

import structlog
from graphql import GraphQLError, GraphQLSyntaxError, VariableDefinitionNode
from strawberry.extensions import MaskErrors, SchemaExtension

from domain.shared.errors import ErrorCode
from persistence.db import timed_out

log = structlog.get_logger(__name__)

INTERNAL_MESSAGE = "Internal server error"
TIMED_OUT_MESSAGE = "The database took too long to answer; try again"


class MaskUnexpectedErrors(MaskErrors):
    """Coded errors pass; GraphQL's own get a code; a statement that hit PostgreSQL's
    `statement_timeout` is SERVICE_UNAVAILABLE; anything else is masked and logged."""

    def __init__(self) -> None:
        super().__init__(error_message=INTERNAL_MESSAGE)

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [self._process(error) for error in errors]

    def _process(self, error: GraphQLError) -> GraphQLError:
        return coded_or_masked(error, self._request_id())

    def _request_id(self) -> str | None:
        context = self.execution_context.context
        return getattr(context, "request_id", None)


def coded_or_masked(error: GraphQLError, request_id: str | None) -> GraphQLError:
    """A coded error as it is; GraphQL's own with a code; any other failure logged and
    masked, so no exception text reaches a client."""
    if "code" in (error.extensions or {}):
        return error
    original = error.original_error
    if original is None or isinstance(original, GraphQLError):
        return with_graphql_code(error)
    if timed_out(original):
        log.warning("statement_timed_out", request_id=request_id, path=error.path)
        return _coded(error, ErrorCode.SERVICE_UNAVAILABLE, TIMED_OUT_MESSAGE, request_id, 1)
    log.error(
        "unexpected_error",
        request_id=request_id,
        path=error.path,
        exc_info=(type(original), original, original.__traceback__),
    )
    return _coded(error, ErrorCode.INTERNAL_SERVER_ERROR, INTERNAL_MESSAGE, request_id)


def _coded(
    error: GraphQLError,
    code: ErrorCode,
    message: str,
    request_id: str | None,
    retry_after_s: int | None = None,
) -> GraphQLError:
    extensions: dict[str, object] = {"code": code.value, "requestId": request_id}
    if retry_after_s is not None:
        extensions["retryAfter"] = retry_after_s
    return GraphQLError(message, nodes=error.nodes, path=error.path, extensions=extensions)


def with_graphql_code(error: GraphQLError) -> GraphQLError:
    """Gives GraphQL's own errors (syntax, validation, coercion) a code: a variable's
    value that does not fit its type is the caller's input, as in Apollo Server."""
    if "code" in (error.extensions or {}):
        return error
    if isinstance(error, GraphQLSyntaxError):
        code = ErrorCode.GRAPHQL_PARSE_FAILED
    elif any(isinstance(node, VariableDefinitionNode) for node in error.nodes or ()):
        code = ErrorCode.BAD_USER_INPUT
    elif error.path is None:
        code = ErrorCode.GRAPHQL_VALIDATION_FAILED
    else:
        code = ErrorCode.BAD_USER_INPUT
    error.extensions = {**(error.extensions or {}), "code": code.value}
    return error


class RecordOperationName(SchemaExtension):
    """Names the operation for logs and metrics, also when only the document names it."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        request = getattr(context, "request", None)
        if request is not None:
            request.scope.setdefault("state", {})["operation"] = (
                self.execution_context.operation_name
            )
        yield
