"""Service requests, their comments and history, SLA policies and alerts: the writes and
what a command reads."""

from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.governance.request_states import RequestStatus
from domain.governance.service_requests import (
    RequestChange,
    RequestComment,
    RequestType,
    ServiceRequest,
)
from domain.governance.sla import Priority, SlaAlert, SlaAlertKind, SlaClock, SlaPolicy, SlaTargets
from persistence.governance.request_tables import (
    ServiceRequestChangeRow,
    ServiceRequestCommentRow,
    ServiceRequestRow,
    SlaAlertRow,
    SlaPolicyRow,
)

RUNNING = (RequestStatus.OPEN.value, RequestStatus.ASSIGNED.value, RequestStatus.IN_PROGRESS.value)


class ServiceRequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, request: ServiceRequest) -> None:
        await self._db.execute(insert(ServiceRequestRow).values(**request_values(request)))

    async def get(self, request_id: UUID, *, lock: bool = False) -> ServiceRequest | None:
        query = select(ServiceRequestRow).where(ServiceRequestRow.id == request_id)
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        row = await self._db.scalar(query)
        return None if row is None else to_request(row)

    async def save(self, request: ServiceRequest) -> None:
        values = request_values(request)
        del values["id"], values["customer_id"], values["created_at"]
        await self._db.execute(
            update(ServiceRequestRow).where(ServiceRequestRow.id == request.id).values(**values)
        )

    async def add_change(self, change: RequestChange) -> None:
        await self._db.execute(
            insert(ServiceRequestChangeRow).values(
                id=change.id,
                request_id=change.request_id,
                actor_id=change.actor_id,
                occurred_at=change.occurred_at,
                kind=change.kind.value,
                from_status=None if change.from_status is None else change.from_status.value,
                to_status=None if change.to_status is None else change.to_status.value,
                from_assignee_id=change.from_assignee_id,
                to_assignee_id=change.to_assignee_id,
                comment_id=change.comment_id,
                internal=change.internal,
            )
        )

    async def add_comment(self, comment: RequestComment) -> None:
        await self._db.execute(
            insert(ServiceRequestCommentRow).values(
                id=comment.id,
                request_id=comment.request_id,
                author_id=comment.author_id,
                body=comment.body,
                internal=comment.internal,
                created_at=comment.created_at,
            )
        )

    async def claim_for_sla_check(
        self, now: datetime, at_risk_percent: int, limit: int
    ) -> list[ServiceRequest]:
        """Running requests with an alert due and not raised yet (the domain's rule, so a
        batch never fills with requests that have nothing new); locked, and skipped by any
        other worker while this one holds them."""
        row = ServiceRequestRow
        margin = (100 - at_risk_percent) / 100

        def owed(
            due: Any, target_s: Any, met: Any, at_risk: SlaAlertKind, breach: SlaAlertKind
        ) -> Any:
            warn_at = due - func.make_interval(0, 0, 0, 0, 0, 0, target_s * margin)
            return and_(
                met.is_(None),
                ~row.alerted.contains([breach.value]),
                or_(due <= now, and_(warn_at <= now, ~row.alerted.contains([at_risk.value]))),
            )

        rows = await self._db.scalars(
            select(row)
            .where(
                row.status.in_(RUNNING),
                row.paused_at.is_(None),
                or_(
                    owed(
                        row.first_response_due_at,
                        row.first_response_target_s,
                        row.first_responded_at,
                        SlaAlertKind.FIRST_RESPONSE_AT_RISK,
                        SlaAlertKind.FIRST_RESPONSE_BREACHED,
                    ),
                    owed(
                        row.resolution_due_at,
                        row.resolution_target_s,
                        row.resolved_at,
                        SlaAlertKind.RESOLUTION_AT_RISK,
                        SlaAlertKind.RESOLUTION_BREACHED,
                    ),
                ),
            )
            .order_by(row.first_response_due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [to_request(found) for found in rows]

    async def add_alerts(self, alerts: list[SlaAlert]) -> None:
        if not alerts:
            return
        await self._db.execute(
            upsert(SlaAlertRow)
            .values(
                [
                    {
                        "request_id": alert.request_id,
                        "kind": alert.kind.value,
                        "priority": alert.priority.value,
                        "assignee_id": alert.assignee_id,
                        "due_at": alert.due_at,
                        "raised_at": alert.raised_at,
                    }
                    for alert in alerts
                ]
            )
            .on_conflict_do_nothing(constraint="uq_sla_alerts_request_kind")
        )


class SlaPolicyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def get(self, request_type: str, priority: Priority) -> SlaPolicy | None:
        row = await self._db.get(SlaPolicyRow, (request_type, priority.value))
        return None if row is None else to_policy(row)

    async def save(self, policy: SlaPolicy, at: datetime, by: UUID) -> None:
        values = {
            "first_response_s": int(policy.targets.first_response.total_seconds()),
            "resolution_s": int(policy.targets.resolution.total_seconds()),
            "updated_at": at,
            "updated_by": by,
        }
        await self._db.execute(
            upsert(SlaPolicyRow)
            .values(type=policy.request_type, priority=policy.priority.value, **values)
            .on_conflict_do_update(index_elements=["type", "priority"], set_=values)
        )

    async def all(self) -> list[SlaPolicy]:
        rows = await self._db.scalars(
            select(SlaPolicyRow).order_by(SlaPolicyRow.type, SlaPolicyRow.priority)
        )
        return [to_policy(row) for row in rows]


def to_policy(row: SlaPolicyRow) -> SlaPolicy:
    return SlaPolicy(
        row.type,
        Priority(row.priority),
        SlaTargets(timedelta(seconds=row.first_response_s), timedelta(seconds=row.resolution_s)),
    )


def request_values(request: ServiceRequest) -> dict[str, object]:
    sla = request.sla
    return {
        "id": request.id,
        "customer_id": request.customer_id,
        "type": request.type.value,
        "title": request.title,
        "description": request.description,
        "priority": request.priority.value,
        "priority_rank": request.priority.rank,
        "status": request.status.value,
        "assignee_id": request.assignee_id,
        "resolution": request.resolution,
        "created_at": request.created_at,
        "updated_at": request.updated_at,
        "closed_at": request.closed_at,
        "first_response_target_s": int(sla.targets.first_response.total_seconds()),
        "resolution_target_s": int(sla.targets.resolution.total_seconds()),
        "first_response_due_at": sla.first_response_due_at,
        "resolution_due_at": sla.resolution_due_at,
        "first_responded_at": sla.first_responded_at,
        "resolved_at": sla.resolved_at,
        "paused_at": sla.paused_at,
        "alerted": sorted(kind.value for kind in sla.alerted),
        "breached": sla.breached,
    }


def to_request(row: ServiceRequestRow) -> ServiceRequest:
    return ServiceRequest(
        id=row.id,
        customer_id=row.customer_id,
        type=RequestType(row.type),
        title=row.title,
        description=row.description,
        priority=Priority(row.priority),
        status=RequestStatus(row.status),
        assignee_id=row.assignee_id,
        resolution=row.resolution,
        created_at=row.created_at,
        updated_at=row.updated_at,
        closed_at=row.closed_at,
        sla=SlaClock(
            targets=SlaTargets(
                timedelta(seconds=row.first_response_target_s),
                timedelta(seconds=row.resolution_target_s),
            ),
            first_response_due_at=row.first_response_due_at,
            resolution_due_at=row.resolution_due_at,
            first_responded_at=row.first_responded_at,
            resolved_at=row.resolved_at,
            paused_at=row.paused_at,
            alerted=frozenset(SlaAlertKind(kind) for kind in row.alerted),
        ),
    )
