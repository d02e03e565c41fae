from datetime import datetime
from uuid import UUID

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Text, text
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.orm import Mapped, mapped_column

from persistence.base import Base


class RoleGrantRow(Base):
    """Every grant asked for, with its decision: pending until a second admin decides a
    privileged one; the rest are approved when asked."""

    __tablename__ = "role_grants"

    id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), primary_key=True)
    user_id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), ForeignKey("users.id"))
    role: Mapped[str] = mapped_column(Text, ForeignKey("roles.name"))
    status: Mapped[str] = mapped_column(Text)
    requested_by: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), ForeignKey("users.id"))
    requested_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[UUID | None] = mapped_column(PgUUID(as_uuid=True), ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="known_status"),
        CheckConstraint(
            "(status = 'pending') = (decided_by IS NULL)", name="decided_unless_pending"
        ),
        Index(
            "uq_role_grants_pending",
            "user_id",
            "role",
            unique=True,
            postgresql_where=text("status = 'pending'"),
        ),
        Index("ix_role_grants_pending", "id", postgresql_where=text("status = 'pending'")),
    )
