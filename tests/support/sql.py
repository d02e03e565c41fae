import contextlib
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine


class StatementCounter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    @property
    def count(self) -> int:
        return len(self.statements)

    def _record(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.statements.append(statement)


@contextlib.contextmanager
def count_statements(engine: AsyncEngine) -> Iterator[StatementCounter]:
    counter = StatementCounter()
    event.listen(engine.sync_engine, "before_cursor_execute", counter._record)
    try:
        yield counter
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", counter._record)


CountSql = Callable[[], contextlib.AbstractContextManager[StatementCounter]]
"""The `count_sql` fixture: `with count_sql() as counted:`."""
