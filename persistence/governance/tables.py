from datetime import datetime
from uuid import UUID

from sqlalchemy import Boolean, DateTime, ForeignKey, Text, text
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.orm import Mapped, mapped_column

from persistence.base import Base


class RoleRow(Base):
    """A named set of permissions; the catalogue is seeded by migration."""

    __tablename__ = "roles"

    name: Mapped[str] = mapped_column(Text, primary_key=True)
    description: Mapped[str] = mapped_column(Text)
    privileged: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))


class RolePermissionRow(Base):
    __tablename__ = "role_permissions"

    role: Mapped[str] = mapped_column(Text, ForeignKey("roles.name"), primary_key=True)
    permission: Mapped[str] = mapped_column(Text, primary_key=True)


class RoleAssignmentRow(Base):
    __tablename__ = "role_assignments"

    user_id: Mapped[UUID] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("users.id"), primary_key=True
    )
    role: Mapped[str] = mapped_column(Text, ForeignKey("roles.name"), primary_key=True)
    granted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
