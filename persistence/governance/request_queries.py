"""Reads of service requests for lists and loaders: each method is one statement, whatever
the number of requests it serves. Internal comments and their history lines are filtered
here, so no read path can hand them to a customer."""

from collections import defaultdict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import Select, func, select, tuple_
from sqlalchemy.ext.asyncio import AsyncSession

from domain.governance.queue import QueueFilter, QueueOrder, QueuePosition
from domain.governance.request_states import RequestStatus
from domain.governance.service_requests import (
    ChangeKind,
    RequestChange,
    RequestComment,
    ServiceRequest,
)
from domain.governance.sla import Priority, SlaAlert, SlaAlertKind
from domain.governance.sla_report import SlaTally
from domain.shared.calendar import ReportPeriod
from persistence.governance.request_tables import (
    ServiceRequestChangeRow,
    ServiceRequestCommentRow,
    ServiceRequestRow,
    SlaAlertRow,
)
from persistence.governance.service_requests import to_request

Row = ServiceRequestRow
Part = TypeVar("Part")


def _filtered(query: Select[Any], criteria: QueueFilter) -> Select[Any]:
    if criteria.customer_id is not None:
        query = query.where(Row.customer_id == criteria.customer_id)
    if criteria.statuses is not None:
        query = query.where(Row.status.in_([status.value for status in criteria.statuses]))
    if criteria.priorities is not None:
        query = query.where(Row.priority.in_([priority.value for priority in criteria.priorities]))
    if criteria.types is not None:
        query = query.where(Row.type.in_([kind.value for kind in criteria.types]))
    if criteria.assignee_id is not None:
        query = query.where(Row.assignee_id == criteria.assignee_id)
    if criteria.breached is not None:
        query = query.where(Row.breached.is_(criteria.breached))
    if criteria.due_before is not None:
        query = query.where(Row.resolution_due_at < criteria.due_before)
    return query


def _ordered(query: Select[Any], order: QueueOrder, after: QueuePosition | None) -> Select[Any]:
    if order is QueueOrder.PRIORITY:
        if after is not None:
            query = query.where(
                (Row.priority_rank < after.rank)
                | ((Row.priority_rank == after.rank) & (Row.id > after.request_id))
            )
        return query.order_by(Row.priority_rank.desc(), Row.id)
    if order is QueueOrder.SLA_DUE:
        if after is not None:
            query = query.where(
                tuple_(Row.resolution_due_at, Row.id) > tuple_(after.due_at, after.request_id)
            )
        return query.order_by(Row.resolution_due_at, Row.id)
    if after is not None:
        query = query.where(Row.id < after.request_id)
    return query.order_by(Row.id.desc())


def _per_request(
    table: Any, request_ids: Sequence[UUID], include_internal: bool, limit: int, after: UUID | None
) -> Select[Any]:
    """Up to `limit` rows after `after` for each request, oldest first, in one statement."""
    position = func.row_number().over(partition_by=table.request_id, order_by=table.id)
    inner = select(table, position.label("position")).where(table.request_id.in_(request_ids))
    if not include_internal:
        inner = inner.where(table.internal.is_(False))
    if after is not None:
        inner = inner.where(table.id > after)
    ranked = inner.subquery()
    return (
        select(table)
        .join(ranked, ranked.c.id == table.id)
        .where(ranked.c.position <= limit)
        .order_by(table.request_id, table.id)
    )


class ServiceRequestQueries:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def page(
        self, criteria: QueueFilter, order: QueueOrder, limit: int, after: QueuePosition | None
    ) -> list[ServiceRequest]:
        query = _ordered(_filtered(select(Row), criteria), order, after).limit(limit)
        return [to_request(row) for row in await self._db.scalars(query)]

    async def get_many(self, request_ids: Sequence[UUID]) -> list[ServiceRequest | None]:
        rows = await self._db.scalars(select(Row).where(Row.id.in_(request_ids)))
        found = {row.id: to_request(row) for row in rows}
        return [found.get(request_id) for request_id in request_ids]

    async def comments_of(
        self, request_ids: Sequence[UUID], include_internal: bool, limit: int, after: UUID | None
    ) -> list[list[RequestComment]]:
        query = _per_request(ServiceRequestCommentRow, request_ids, include_internal, limit, after)
        return await self._grouped(query, request_ids, _to_comment)

    async def history_of(
        self, request_ids: Sequence[UUID], include_internal: bool, limit: int, after: UUID | None
    ) -> list[list[RequestChange]]:
        query = _per_request(ServiceRequestChangeRow, request_ids, include_internal, limit, after)
        return await self._grouped(query, request_ids, _to_change)

    async def _grouped(
        self, query: Select[Any], request_ids: Sequence[UUID], convert: Callable[[Any], Part]
    ) -> list[list[Part]]:
        found: dict[UUID, list[Part]] = defaultdict(list)
        for row in await self._db.scalars(query):
            found[row.request_id].append(convert(row))
        return [found[request_id] for request_id in request_ids]

    async def alert_head(self) -> int:
        return int(await self._db.scalar(select(func.coalesce(func.max(SlaAlertRow.seq), 0))) or 0)

    async def alerts_after(self, seq: int, limit: int) -> list[SlaAlert]:
        rows = await self._db.scalars(
            select(SlaAlertRow).where(SlaAlertRow.seq > seq).order_by(SlaAlertRow.seq).limit(limit)
        )
        return [
            SlaAlert(
                seq=row.seq,
                request_id=row.request_id,
                kind=SlaAlertKind(row.kind),
                priority=Priority(row.priority),
                assignee_id=row.assignee_id,
                due_at=row.due_at,
                raised_at=row.raised_at,
            )
            for row in rows
        ]

    async def sla_tallies(self, period: ReportPeriod) -> list[SlaTally]:
        """Requests first resolved in the period (reopened ones by their latest
        resolution), by priority: how many met or missed each target."""

        def count(condition: Any) -> Any:
            return func.count().filter(condition)

        responded_late = Row.first_responded_at > Row.first_response_due_at
        resolved_late = Row.resolved_at > Row.resolution_due_at
        rows = await self._db.execute(
            select(
                Row.priority,
                func.count(),
                count(~responded_late),
                count(responded_late),
                count(~resolved_late),
                count(resolved_late),
            )
            .where(Row.resolved_at >= period.starts_at, Row.resolved_at < period.ends_before)
            .group_by(Row.priority)
        )
        return [SlaTally(Priority(priority), *counts) for priority, *counts in rows]


def _to_comment(row: ServiceRequestCommentRow) -> RequestComment:
    return RequestComment(
        id=row.id,
        request_id=row.request_id,
        author_id=row.author_id,
        body=row.body,
        internal=row.internal,
        created_at=row.created_at,
    )


def _to_change(row: ServiceRequestChangeRow) -> RequestChange:
    return RequestChange(
        id=row.id,
        request_id=row.request_id,
        actor_id=row.actor_id,
        occurred_at=row.occurred_at,
        kind=ChangeKind(row.kind),
        from_status=None if row.from_status is None else RequestStatus(row.from_status),
        to_status=None if row.to_status is None else RequestStatus(row.to_status),
        from_assignee_id=row.from_assignee_id,
        to_assignee_id=row.to_assignee_id,
        comment_id=row.comment_id,
        internal=row.internal,
    )
