from collections.abc import AsyncIterator
from typing import Protocol

from domain.compliance.audit import ChainedEntry


class AuditLogReader(Protocol):
    async def last_seq(self) -> int: ...

    async def hash_at(self, seq: int) -> str | None: ...

    def stream(self, from_seq: int, to_seq: int) -> AsyncIterator[ChainedEntry]: ...
