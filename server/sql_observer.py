"""Times every SQL statement: a histogram of durations, and a structured warning (with the
operation and request id that issued it) for each one slower than ELCORP_SLOW_QUERY_MS."""

import re
import time
from typing import Any

import structlog
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from server.observability import Metrics, current_request_state

log = structlog.get_logger("elcorp.sql")

STATEMENT_LOG_CHARS = 2_000
_WHITESPACE = re.compile(r"\s+")
_STARTED = "_elcorp_sql_started"


class SqlObserver:
    def __init__(self, metrics: Metrics, slow_query_ms: float) -> None:
        self._metrics = metrics
        self._slow_s = slow_query_ms / 1000

    def watch(self, engine: AsyncEngine) -> None:
        event.listen(engine.sync_engine, "before_cursor_execute", self._before)
        event.listen(engine.sync_engine, "after_cursor_execute", self._after)

    def _before(
        self, _conn: Any, _cursor: Any, _sql: str, _params: Any, context: Any, *_: Any
    ) -> None:
        setattr(context, _STARTED, time.perf_counter())

    def _after(
        self, _conn: Any, _cursor: Any, statement: str, _params: Any, context: Any, *_: Any
    ) -> None:
        started = getattr(context, _STARTED, None)
        if started is None:
            return
        duration = time.perf_counter() - started
        self._metrics.sql_duration.observe(duration)
        if duration >= self._slow_s:
            self._report_slow(statement, duration)

    def _report_slow(self, statement: str, duration: float) -> None:
        """The statement's text only: its parameters can hold personal data."""
        state = current_request_state()
        operation = self._metrics.operation_label(state.get("operation")) if state else "background"
        self._metrics.slow_queries.labels(operation).inc()
        log.warning(
            "slow_query",
            statement=_WHITESPACE.sub(" ", statement).strip()[:STATEMENT_LOG_CHARS],
            duration_ms=round(duration * 1000, 2),
            operation=operation,
            request_id=state.get("request_id") if state else None,
        )
