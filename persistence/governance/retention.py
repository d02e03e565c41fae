"""Retention for service requests: long after a request ended, its free text goes (title,
description, resolution, comments). The row, its status history (append-only) and its SLA
figures stay, so reports over the past still add up."""

from datetime import datetime

from sqlalchemy import and_, or_, select

from domain.compliance.data_subjects import ERASED
from domain.governance.request_states import RequestStatus
from persistence.db import SessionFactory
from persistence.governance.personal_data import (
    Comments,
    Requests,
    tombstone_comments,
    tombstone_requests,
)


class EndedRequestText:
    def __init__(self, session_factory: SessionFactory) -> None:
        self._session_factory = session_factory

    async def __call__(self, cutoff: datetime, limit: int) -> dict[str, int]:
        ended = or_(
            and_(Requests.status == RequestStatus.CLOSED.value, Requests.closed_at < cutoff),
            and_(Requests.status == RequestStatus.CANCELLED.value, Requests.updated_at < cutoff),
        )
        async with self._session_factory() as db, db.begin():
            ids = list(
                await db.scalars(
                    select(Requests.id)
                    .where(ended, Requests.title != ERASED)
                    .limit(limit)
                    .with_for_update(skip_locked=True)
                )
            )
            if not ids:
                return {"service_requests": 0, "service_request_comments": 0}
            requests = await tombstone_requests(db, Requests.id.in_(ids))
            comments = await tombstone_comments(db, Comments.request_id.in_(ids))
        return {"service_requests": requests, "service_request_comments": comments}
