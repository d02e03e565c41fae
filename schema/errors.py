"""Top-level GraphQL errors, each with `extensions.code` (ARCHITECTURE rule 7)."""

from typing import Any

from graphql import GraphQLError

from domain.shared.errors import ErrorCode


class CodedError(GraphQLError):
    code: ErrorCode = ErrorCode.INTERNAL_SERVER_ERROR

    def __init__(self, message: str, **extensions: Any) -> None:
        super().__init__(message, extensions={"code": self.code.value, **extensions})


class Unauthenticated(CodedError):
    code = ErrorCode.UNAUTHENTICATED


class Forbidden(CodedError):
    code = ErrorCode.FORBIDDEN


class BadUserInput(CodedError):
    code = ErrorCode.BAD_USER_INPUT


class NotFound(CodedError):
    code = ErrorCode.NOT_FOUND


class ServiceUnavailable(CodedError):
    code = ErrorCode.SERVICE_UNAVAILABLE


class RateLimitExceeded(CodedError):
    code = ErrorCode.RATE_LIMITED
