from datetime import datetime
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.orm import Mapped, mapped_column

from persistence.base import Base

STATUSES = (
    "('open', 'assigned', 'in_progress', 'waiting_on_customer', 'resolved', 'closed', 'cancelled')"
)
PRIORITIES = "('low', 'medium', 'high', 'critical')"
TYPES = "('account', 'payment', 'kyc', 'merchant', 'technical', 'other')"
ALERT_KINDS = (
    "('first_response_at_risk', 'first_response_breached', 'resolution_at_risk', "
    "'resolution_breached')"
)


class ServiceRequestRow(Base):
    """`priority_rank` (0 low to 3 critical) orders the queue; the due times are exact
    whenever the clock runs, and frozen while `paused_at` is set."""

    __tablename__ = "service_requests"

    id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), primary_key=True)
    customer_id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), ForeignKey("users.id"))
    type: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(Text)
    priority_rank: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[str] = mapped_column(Text)
    assignee_id: Mapped[UUID | None] = mapped_column(PgUUID(as_uuid=True), ForeignKey("users.id"))
    resolution: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    first_response_target_s: Mapped[int] = mapped_column(Integer)
    resolution_target_s: Mapped[int] = mapped_column(Integer)
    first_response_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    resolution_due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    first_responded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    paused_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    alerted: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'"))
    breached: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))

    __table_args__ = (
        CheckConstraint(f"status IN {STATUSES}", name="known_status"),
        CheckConstraint(f"priority IN {PRIORITIES}", name="known_priority"),
        CheckConstraint(f"type IN {TYPES}", name="known_type"),
        CheckConstraint("priority_rank BETWEEN 0 AND 3", name="known_rank"),
        Index("ix_service_requests_customer", "customer_id", "id"),
        Index("ix_service_requests_queue", text("priority_rank DESC"), "id"),
        Index("ix_service_requests_due", "resolution_due_at", "id"),
        Index("ix_service_requests_assignee", "assignee_id", "id"),
        Index(
            "ix_service_requests_running",
            "first_response_due_at",
            postgresql_where=text("status IN ('open', 'assigned', 'in_progress')"),
        ),
    )


class ServiceRequestCommentRow(Base):
    __tablename__ = "service_request_comments"

    id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), primary_key=True)
    request_id: Mapped[UUID] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("service_requests.id")
    )
    author_id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    internal: Mapped[bool] = mapped_column(Boolean)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (Index("ix_service_request_comments_request", "request_id", "id"),)


class ServiceRequestChangeRow(Base):
    """A request's history, append-only."""

    __tablename__ = "service_request_changes"

    id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), primary_key=True)
    request_id: Mapped[UUID] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("service_requests.id")
    )
    actor_id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), ForeignKey("users.id"))
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    kind: Mapped[str] = mapped_column(Text)
    from_status: Mapped[str | None] = mapped_column(Text)
    to_status: Mapped[str | None] = mapped_column(Text)
    from_assignee_id: Mapped[UUID | None] = mapped_column(PgUUID(as_uuid=True))
    to_assignee_id: Mapped[UUID | None] = mapped_column(PgUUID(as_uuid=True))
    comment_id: Mapped[UUID | None] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("service_request_comments.id")
    )
    internal: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))

    __table_args__ = (
        CheckConstraint(
            "kind IN ('opened', 'status_changed', 'assigned', 'commented')", name="known_kind"
        ),
        Index("ix_service_request_changes_request", "request_id", "id"),
    )


class SlaPolicyRow(Base):
    __tablename__ = "sla_policies"

    type: Mapped[str] = mapped_column(Text, primary_key=True)
    priority: Mapped[str] = mapped_column(Text, primary_key=True)
    first_response_s: Mapped[int] = mapped_column(Integer)
    resolution_s: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[UUID | None] = mapped_column(PgUUID(as_uuid=True), ForeignKey("users.id"))

    __table_args__ = (
        CheckConstraint(f"priority IN {PRIORITIES}", name="known_priority"),
        CheckConstraint(f"type IN {TYPES}", name="known_type"),
        CheckConstraint(
            "first_response_s > 0 AND first_response_s <= resolution_s", name="ordered_targets"
        ),
    )


class SlaAlertRow(Base):
    """The `slaAlerts` stream, numbered by `seq`; each kind at most once per request."""

    __tablename__ = "sla_alerts"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    request_id: Mapped[UUID] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("service_requests.id")
    )
    kind: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(Text)
    assignee_id: Mapped[UUID | None] = mapped_column(PgUUID(as_uuid=True))
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("request_id", "kind", name="uq_sla_alerts_request_kind"),
        CheckConstraint(f"kind IN {ALERT_KINDS}", name="known_kind"),
    )
