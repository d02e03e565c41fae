from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import BigInteger, Boolean, DateTime, Index, Integer, Text, func, text
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.orm import Mapped, mapped_column

from persistence.base import Base


class OutboxEventRow(Base):
    __tablename__ = "outbox_events"

    position: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    event_id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), unique=True)
    name: Mapped[str] = mapped_column(Text)
    aggregate_type: Mapped[str] = mapped_column(Text)
    aggregate_id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True))
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    audience: Mapped[list[UUID]] = mapped_column(
        ARRAY(PgUUID(as_uuid=True)), server_default=text("'{}'::uuid[]")
    )
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    broadcast: Mapped[bool] = mapped_column(Boolean, server_default=text("true"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    available_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    last_error: Mapped[str | None] = mapped_column(Text)
    dispatched_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    abandoned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        Index(
            "ix_outbox_events_pending",
            "available_at",
            postgresql_where=text("dispatched_at IS NULL AND abandoned_at IS NULL"),
        ),
    )


class ScheduledJobRow(Base):
    """When each periodic job last ran, across every worker."""

    __tablename__ = "scheduled_jobs"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    last_started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_outcome: Mapped[str | None] = mapped_column(Text)
    last_counts: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
