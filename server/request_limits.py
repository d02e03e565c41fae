"""Limits on one GraphQL request over HTTP: its document's length (checked before it is
parsed) and its running time (subscriptions stream outside it)."""

import asyncio
from collections.abc import Awaitable
from typing import TypeVar

import structlog
from strawberry.http import GraphQLRequestData

from server.errors import RequestRejected

log = structlog.get_logger(__name__)

T = TypeVar("T")


def query_too_long(query: object, limit: int) -> str | None:
    """Why the document is refused, or None: at most `limit` bytes of UTF-8."""
    if isinstance(query, str) and len(query.encode()) > limit:
        return f"The GraphQL document is longer than {limit} bytes"
    return None


def check_query_length(
    request_data: GraphQLRequestData | list[GraphQLRequestData], limit: int
) -> None:
    operations = request_data if isinstance(request_data, list) else [request_data]
    for operation in operations:
        if reason := query_too_long(operation.query, limit):
            raise RequestRejected(413, reason, "PAYLOAD_TOO_LARGE")


async def within_request_timeout(seconds: float, work: Awaitable[T]) -> T:
    """The work, cancelled after `seconds` (an open transaction rolls back): 503."""
    try:
        async with asyncio.timeout(seconds) as deadline:
            return await work
    except TimeoutError:
        if not deadline.expired():
            raise
        log.warning("request_timed_out", timeout_s=seconds)
        raise RequestRejected(
            503,
            f"The request took longer than {seconds:g} s and was cancelled",
            "SERVICE_UNAVAILABLE",
            {"retry-after": "1"},
        ) from None
