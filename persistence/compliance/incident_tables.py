from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.orm import Mapped, mapped_column

from persistence.base import Base

STATUSES = "'open', 'investigating', 'mitigated', 'resolved', 'closed'"


class IncidentRow(Base):
    __tablename__ = "incidents"

    id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    severity: Mapped[str] = mapped_column(Text)
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    affected: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    opened_by: Mapped[UUID | None] = mapped_column(PgUUID(as_uuid=True), ForeignKey("users.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    personal_data_breach: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    breach_flagged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    regulator_notification_due_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    regulator_notified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    regulator_reference: Mapped[str | None] = mapped_column(Text)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    acknowledged_by: Mapped[UUID | None] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("users.id")
    )
    mitigated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolution_summary: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    postmortem: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("severity IN ('sev1', 'sev2', 'sev3', 'sev4')", name="known_severity"),
        CheckConstraint(f"status IN ({STATUSES})", name="known_status"),
        CheckConstraint(
            "status <> 'closed' OR postmortem IS NOT NULL", name="closed_with_postmortem"
        ),
        CheckConstraint(
            "NOT personal_data_breach OR regulator_notification_due_at IS NOT NULL",
            name="breach_has_deadline",
        ),
        Index("ix_incidents_opened_at", "opened_at", "id"),
        Index(
            "ix_incidents_notification_due",
            "regulator_notification_due_at",
            postgresql_where=text("personal_data_breach AND regulator_notified_at IS NULL"),
        ),
    )


class IncidentTimelineEntryRow(Base):
    """Written once, never changed by the application (erasure may one day tombstone a body)."""

    __tablename__ = "incident_timeline_entries"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    incident_id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), ForeignKey("incidents.id"))
    kind: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor_id: Mapped[UUID | None] = mapped_column(PgUUID(as_uuid=True), ForeignKey("users.id"))
    body: Mapped[str] = mapped_column(Text)
    from_status: Mapped[str | None] = mapped_column(Text)
    to_status: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_incident_timeline_entries_incident", "incident_id", "id"),)


class IncidentAlertRow(Base):
    """One alert per incident and kind, enforced here: the deadline job cannot repeat one."""

    __tablename__ = "incident_alerts"

    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    incident_id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), ForeignKey("incidents.id"))
    kind: Mapped[str] = mapped_column(Text)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    raised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("incident_id", "kind", name="uq_incident_alerts_incident_kind"),
        CheckConstraint("kind IN ('deadline_near', 'deadline_passed')", name="known_kind"),
    )
