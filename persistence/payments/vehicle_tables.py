from datetime import datetime
from uuid import UUID

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Index, Integer, Text, text
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.orm import Mapped, mapped_column

from persistence.base import Base


class VehicleRow(Base):
    __tablename__ = "vehicles"

    id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), primary_key=True)
    vin: Mapped[str] = mapped_column(Text, unique=True)
    make: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(Text)
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), ForeignKey("users.id"))
    registered_by: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True))
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)

    __table_args__ = (
        CheckConstraint("status IN ('registered', 'stolen', 'deregistered')", name="known_status"),
        CheckConstraint("vin ~ '^[A-HJ-NPR-Z0-9]{17}$'", name="valid_vin"),
        Index("ix_vehicles_owner", "owner_id", "id"),
    )


class VehicleOwnershipRow(Base):
    """Who owned a vehicle when; the open row (`to_at` null) is the current owner."""

    __tablename__ = "vehicle_ownerships"

    id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), primary_key=True)
    vehicle_id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), ForeignKey("vehicles.id"))
    owner_id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), ForeignKey("users.id"), index=True)
    from_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    to_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True))

    __table_args__ = (
        CheckConstraint("to_at IS NULL OR to_at >= from_at", name="ends_after_start"),
        Index("ix_vehicle_ownerships_vehicle", "vehicle_id", "from_at"),
        Index(
            "uq_vehicle_ownerships_one_open",
            "vehicle_id",
            unique=True,
            postgresql_where=text("to_at IS NULL"),
        ),
    )
