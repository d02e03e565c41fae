"""GraphQL-over-HTTP style error responses for requests rejected before execution."""

from server.responses import ORJSONResponse


class RequestRejected(Exception):
    def __init__(
        self, status_code: int, message: str, code: str, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.message = message
        self.code = code
        self.headers = headers or {}


def error_response(
    status_code: int, message: str, code: str, headers: dict[str, str] | None = None
) -> ORJSONResponse:
    return ORJSONResponse(
        {"errors": [{"message": message, "extensions": {"code": code}}]},
        status_code=status_code,
        headers=headers,
        media_type="application/json",
    )
