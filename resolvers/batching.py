from collections.abc import Sequence
from typing import Generic, TypeVar

from aiodataloader import DataLoader
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.db import SessionFactory

K = TypeVar("K")
V = TypeVar("V")

MAX_BATCH = 500


class SessionLoader(DataLoader[K, V], Generic[K, V]):
    """A dataloader whose batches each run one statement on a short-lived session."""

    def __init__(self, session_factory: SessionFactory) -> None:
        super().__init__(max_batch_size=MAX_BATCH)
        self._session_factory = session_factory

    async def batch_load_fn(self, keys: list[K]) -> Sequence[V]:
        async with self._session_factory() as session:
            return await self.fetch(session, keys)

    async def fetch(self, session: AsyncSession, keys: list[K]) -> Sequence[V]:
        raise NotImplementedError
