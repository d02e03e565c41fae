from collections import defaultdict
from collections.abc import Awaitable, Callable, Hashable, Sequence
from typing import Generic, TypeVar

from aiodataloader import DataLoader
from sqlalchemy.ext.asyncio import AsyncSession

from persistence.db import SessionFactory

K = TypeVar("K")
V = TypeVar("V")
Shape = TypeVar("Shape", bound=Hashable)

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


async def fetch_by_shape(
    keys: Sequence[tuple[K, Shape]], fetch: Callable[[list[K], Shape], Awaitable[Sequence[V]]]
) -> list[V]:
    """Pages keyed (owner, shape), e.g. shape (page size, cursor, filter): one fetch per
    distinct shape for all its owners, so in practice one statement a request."""
    owners_by_shape: dict[Shape, list[K]] = defaultdict(list)
    for owner, shape in keys:
        owners_by_shape[shape].append(owner)
    found: dict[tuple[K, Shape], V] = {}
    for shape, owners in owners_by_shape.items():
        for owner, value in zip(owners, await fetch(owners, shape), strict=True):
            found[(owner, shape)] = value
    return [found[key] for key in keys]
