"""Unexpected exceptions are masked with the request id; expected ones keep their code."""

from dataclasses import dataclass

import strawberry

from schema.errors import NotFound
from schema.extensions import MaskUnexpectedErrors


@dataclass
class FakeContext:
    request_id: str


@strawberry.type
class Query:
    @strawberry.field
    def broken(self) -> str:
        raise RuntimeError("connection string postgres://secret@db")

    @strawberry.field
    def missing(self) -> str:
        raise NotFound("No such thing")


SCHEMA = strawberry.Schema(query=Query, extensions=[MaskUnexpectedErrors])


async def test_an_unexpected_exception_is_masked_and_carries_the_request_id() -> None:
    result = await SCHEMA.execute("{ broken }", context_value=FakeContext("req-42"))

    (error,) = result.errors or []
    assert error.message == "Internal server error"
    assert error.extensions == {"code": "INTERNAL_SERVER_ERROR", "requestId": "req-42"}
    assert "secret" not in str(error.formatted)


async def test_an_expected_error_keeps_its_message_and_code() -> None:
    result = await SCHEMA.execute("{ missing }", context_value=FakeContext("req-43"))

    (error,) = result.errors or []
    assert (error.message, error.extensions) == ("No such thing", {"code": "NOT_FOUND"})
