from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Text, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.orm import Mapped, mapped_column

from persistence.base import Base


class ErasureRequestRow(Base):
    """A subject's request to be erased and the compliance officer's decision; kept after
    the erasure as its record (the subject's reason is tombstoned then)."""

    __tablename__ = "erasure_requests"

    id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), primary_key=True)
    subject_id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[UUID | None] = mapped_column(PgUUID(as_uuid=True), ForeignKey("users.id"))
    decision_reason: Mapped[str | None] = mapped_column(Text)
    erased: Mapped[dict[str, Any] | None] = mapped_column(JSONB)

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="known_status"),
        CheckConstraint("(status = 'pending') = (decided_at IS NULL)", name="decided_when"),
        CheckConstraint(
            "decided_by IS NULL OR decided_by <> subject_id", name="not_decided_by_subject"
        ),
        Index(
            "uq_erasure_requests_one_pending",
            "subject_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_erasure_requests_subject", "subject_id", "id"),
        Index("ix_erasure_requests_status", "status", "id"),
    )
