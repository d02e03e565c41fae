"""Governance's part of a subject's personal data: the service requests they opened (with
the public conversation on them), the comments they wrote, and their roles.

Erasure keeps every request, its status history and its SLA figures (reports count them);
it tombstones the free text — titles, descriptions, resolutions, and every comment on the
subject's requests or written by them, internal notes included, since any may quote them —
and removes the subject's roles. Retention does the same to requests closed long ago."""

from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from sqlalchemy import ColumnElement, case, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.compliance.data_subjects import ERASED, ErasureCounts
from domain.shared.ids import global_id
from persistence.db import SessionFactory
from persistence.governance.request_tables import ServiceRequestCommentRow, ServiceRequestRow
from persistence.governance.tables import RoleAssignmentRow

if TYPE_CHECKING:
    from persistence.uow import UnitOfWork

Requests = ServiceRequestRow
Comments = ServiceRequestCommentRow


class GovernancePersonalData:
    section = "governance"

    def __init__(self, session_factory: SessionFactory) -> None:
        self._session_factory = session_factory

    async def export(self, subject_id: UUID) -> dict[str, Any]:
        async with self._session_factory() as db:
            requests = list(
                await db.scalars(
                    select(Requests).where(Requests.customer_id == subject_id).order_by(Requests.id)
                )
            )
            public = await _public_comments(db, [request.id for request in requests])
            written = list(
                await db.scalars(
                    select(Comments)
                    .where(
                        Comments.author_id == subject_id,
                        Comments.request_id.not_in([request.id for request in requests]),
                    )
                    .order_by(Comments.id)
                )
            )
            roles = list(
                await db.scalars(
                    select(RoleAssignmentRow.role)
                    .where(RoleAssignmentRow.user_id == subject_id)
                    .order_by(RoleAssignmentRow.role)
                )
            )
        return {
            "serviceRequests": [
                _request(request, public.get(request.id, []), subject_id) for request in requests
            ],
            "commentsOnOtherRequests": [_comment(comment, subject_id) for comment in written],
            "roles": roles,
        }

    async def erase(self, uow: "UnitOfWork", subject_id: UUID, at: datetime) -> ErasureCounts:
        db = uow.session
        owned = select(Requests.id).where(Requests.customer_id == subject_id)
        requests = await tombstone_requests(db, Requests.customer_id == subject_id)
        comments = await tombstone_comments(
            db, or_(Comments.author_id == subject_id, Comments.request_id.in_(owned))
        )
        roles = await db.execute(
            delete(RoleAssignmentRow).where(RoleAssignmentRow.user_id == subject_id)
        )
        return {
            "service_requests_tombstoned": requests,
            "service_request_comments_tombstoned": comments,
            "role_assignments_deleted": roles.rowcount,
        }


async def tombstone_requests(db: AsyncSession, which: ColumnElement[bool]) -> int:
    tombstoned = await db.scalars(
        update(Requests)
        .where(which, Requests.title != ERASED)
        .values(
            title=ERASED,
            description=ERASED,
            resolution=case((Requests.resolution.is_(None), None), else_=ERASED),
        )
        .returning(Requests.id)
    )
    return len(list(tombstoned))


async def tombstone_comments(db: AsyncSession, which: ColumnElement[bool]) -> int:
    tombstoned = await db.scalars(
        update(Comments)
        .where(which, Comments.body != ERASED)
        .values(body=ERASED)
        .returning(Comments.id)
    )
    return len(list(tombstoned))


async def _public_comments(db: AsyncSession, request_ids: list[UUID]) -> dict[UUID, list[Comments]]:
    found: dict[UUID, list[Comments]] = {}
    if not request_ids:
        return found
    rows = await db.scalars(
        select(Comments)
        .where(Comments.request_id.in_(request_ids), Comments.internal.is_(False))
        .order_by(Comments.id)
    )
    for comment in rows:
        found.setdefault(comment.request_id, []).append(comment)
    return found


def _request(request: Requests, comments: list[Comments], subject_id: UUID) -> dict[str, Any]:
    return {
        "id": global_id("ServiceRequest", request.id),
        "type": request.type,
        "priority": request.priority,
        "status": request.status,
        "title": request.title,
        "description": request.description,
        "resolution": request.resolution,
        "createdAt": request.created_at.isoformat(),
        "closedAt": None if request.closed_at is None else request.closed_at.isoformat(),
        "comments": [_comment(comment, subject_id) for comment in comments],
    }


def _comment(comment: Comments, subject_id: UUID) -> dict[str, Any]:
    return {
        "requestId": global_id("ServiceRequest", comment.request_id),
        "by": "you" if comment.author_id == subject_id else "Elcorp staff",
        "body": comment.body,
        "internal": comment.internal,
        "createdAt": comment.created_at.isoformat(),
    }
