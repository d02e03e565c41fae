"""Relay global ids: base64 of "<Type>:<uuid>", opaque to clients."""

import base64
import binascii
from uuid import UUID

import strawberry

from domain.shared.ids import global_id
from schema.errors import BadUserInput


def to_global_id(type_name: str, raw_id: UUID) -> strawberry.ID:
    return strawberry.ID(global_id(type_name, raw_id))


def from_global_id(global_id: str, expected_type: str | None = None) -> tuple[str, UUID]:
    try:
        padded = global_id + "=" * (-len(global_id) % 4)
        type_name, _, raw = base64.urlsafe_b64decode(padded.encode()).decode().partition(":")
        value = UUID(raw)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise BadUserInput(f"Not a valid id: {global_id[:64]!r}") from None
    if expected_type is not None and type_name != expected_type:
        raise BadUserInput(f"Expected an id of a {expected_type}")
    return type_name, value
