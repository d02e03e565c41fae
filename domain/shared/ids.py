import base64
import os
import time
from uuid import UUID


def new_id(timestamp_ms: int | None = None) -> UUID:
    """A UUIDv7 (RFC 9562): time-ordered, so index inserts stay local."""
    ms = time.time_ns() // 1_000_000 if timestamp_ms is None else timestamp_ms
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & 0xFFFF_FFFF_FFFF) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & 0x3FFF_FFFF_FFFF_FFFF
    return UUID(int=value)


def global_id(type_name: str, raw_id: UUID) -> str:
    """The Relay id clients see: base64 of "<Type>:<uuid>"; webhooks carry the same."""
    return base64.urlsafe_b64encode(f"{type_name}:{raw_id}".encode()).decode()
