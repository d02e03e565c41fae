"""Relay connections with keyset cursors; `first` is capped at 100."""

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar
from uuid import UUID

import strawberry
from strawberry.federation.schema_directives import ListSize

from schema.errors import BadUserInput

MAX_FIRST = 100
PAGE = [
    ListSize(
        slicing_arguments=["first"], sized_fields=["edges"], require_one_slicing_argument=False
    )
]
"""Declares a connection field's cost (`@listSize`): `edges` holds up to `first` items."""
Node = TypeVar("Node")
Item = TypeVar("Item")
Key = TypeVar("Key")


@strawberry.federation.type(shareable=True)
class PageInfo:
    has_next_page: bool
    end_cursor: str | None


@strawberry.type
class Edge(Generic[Node]):
    cursor: str
    node: Node


@strawberry.type
class Connection(Generic[Node]):
    edges: list[Edge[Node]]
    page_info: PageInfo


def page_size(first: int) -> int:
    if not 1 <= first <= MAX_FIRST:
        raise BadUserInput(f"`first` must be between 1 and {MAX_FIRST}", limit=MAX_FIRST)
    return first


def encode_cursor(key: UUID) -> str:
    return base64.urlsafe_b64encode(key.bytes).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> UUID | None:
    if cursor is None:
        return None
    try:
        return UUID(bytes=base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError):
        raise BadUserInput("Invalid cursor") from None


def encode_position(kind: str, position: int) -> str:
    """A cursor for lists ordered by a number (a feed's, the audit log's sequence)."""
    return base64.urlsafe_b64encode(f"{kind}:{position}".encode()).decode()


def decode_position(kind: str, cursor: str | None) -> int | None:
    if cursor is None:
        return None
    try:
        decoded = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        prefix, _, number = decoded.partition(":")
        if prefix == kind:
            return int(number)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise BadUserInput("Invalid cursor", field="after")


def encode_feed_cursor(seq: int) -> str:
    return encode_position("feed", seq)


def decode_feed_cursor(cursor: str) -> int:
    position = decode_position("feed", cursor)
    assert position is not None
    return position


def connection(
    rows: Sequence[Item],
    first: int,
    key: Callable[[Item], Key],
    to_node: Callable[[Item], Node],
    encode: Callable[[Key], str] = encode_cursor,  # type: ignore[assignment]
) -> Connection[Node]:
    """`rows` is up to `first + 1` rows in order; the extra one only says there is more."""
    page = list(rows[:first])
    edges = [Edge(cursor=encode(key(row)), node=to_node(row)) for row in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > first, end_cursor=edges[-1].cursor if edges else None
        ),
    )
