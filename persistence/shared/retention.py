"""Batched deletes for retention policies: one short transaction per batch, rows another
worker is touching skipped (`SKIP LOCKED`), dependent rows deleted with their parent."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, delete, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute

from persistence.base import Base
from persistence.db import SessionFactory
from persistence.shared.tables import OutboxEventRow

EndedBefore = Callable[[datetime], ColumnElement[bool]]


@dataclass(frozen=True)
class Dependent:
    """Rows of another table that point at the purged rows' key and go with them."""

    table: type[Base]
    foreign_key: InstrumentedAttribute[object]


class TablePurge:
    def __init__(
        self,
        session_factory: SessionFactory,
        table: type[Base],
        key: Sequence[InstrumentedAttribute[object]],
        ended_before: EndedBefore,
        dependents: Sequence[Dependent] = (),
    ) -> None:
        self._session_factory = session_factory
        self._table = table
        self._key = tuple(key)
        self._ended_before = ended_before
        self._dependents = tuple(dependents)

    async def __call__(self, cutoff: datetime, limit: int) -> dict[str, int]:
        counts = {dependent.table.__tablename__: 0 for dependent in self._dependents}
        async with self._session_factory() as db, db.begin():
            keys = [
                tuple(row)
                for row in await db.execute(
                    select(*self._key)
                    .where(self._ended_before(cutoff))
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            ]
            if keys:
                for dependent in self._dependents:
                    deleted = await db.execute(
                        delete(dependent.table).where(
                            dependent.foreign_key.in_([key for (key,) in keys])
                        )
                    )
                    counts[dependent.table.__tablename__] = deleted.rowcount
                await db.execute(delete(self._table).where(tuple_(*self._key).in_(keys)))
        return {self._table.__tablename__: len(keys), **counts}


def dispatched_outbox_events(session_factory: SessionFactory) -> TablePurge:
    """Abandoned rows stay: someone has to look at why they failed."""
    return TablePurge(
        session_factory,
        OutboxEventRow,
        [OutboxEventRow.position],
        lambda cutoff: OutboxEventRow.dispatched_at < cutoff,
    )
