from collections.abc import Sequence
from datetime import date, datetime
from uuid import UUID

from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.payments.vehicles import Vehicle, VehicleOwnership, VehicleStatus
from domain.shared.ids import new_id
from persistence.payments.vehicle_tables import VehicleOwnershipRow, VehicleRow


def to_vehicle(row: VehicleRow) -> Vehicle:
    return Vehicle(
        id=row.id,
        vin=row.vin,
        make=row.make,
        model=row.model,
        year=row.year,
        status=VehicleStatus(row.status),
        owner_id=row.owner_id,
        registered_by=row.registered_by,
        registered_at=row.registered_at,
    )


def to_ownership(row: VehicleOwnershipRow) -> VehicleOwnership:
    return VehicleOwnership(
        vehicle_id=row.vehicle_id,
        owner_id=row.owner_id,
        from_at=row.from_at,
        to_at=row.to_at,
        recorded_by=row.recorded_by,
    )


class VehicleRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add(self, vehicle: Vehicle) -> bool:
        added = await self._db.scalar(
            upsert(VehicleRow)
            .values(
                id=vehicle.id,
                vin=vehicle.vin,
                make=vehicle.make,
                model=vehicle.model,
                year=vehicle.year,
                status=vehicle.status.value,
                owner_id=vehicle.owner_id,
                registered_by=vehicle.registered_by,
                registered_at=vehicle.registered_at,
            )
            .on_conflict_do_nothing(index_elements=[VehicleRow.vin])
            .returning(VehicleRow.id)
        )
        if added is None:
            return False
        await self._open_ownership(vehicle, vehicle.registered_at, vehicle.registered_by)
        return True

    async def by_vin(self, vin: str, *, lock: bool = False) -> Vehicle | None:
        query = select(VehicleRow).where(VehicleRow.vin == vin)
        if lock:
            query = query.with_for_update().execution_options(populate_existing=True)
        row = await self._db.scalar(query)
        return None if row is None else to_vehicle(row)

    async def transfer(self, vehicle: Vehicle, at: datetime, recorded_by: UUID) -> None:
        await self._db.execute(
            update(VehicleRow).where(VehicleRow.id == vehicle.id).values(owner_id=vehicle.owner_id)
        )
        await self._db.execute(
            update(VehicleOwnershipRow)
            .where(
                VehicleOwnershipRow.vehicle_id == vehicle.id,
                VehicleOwnershipRow.to_at.is_(None),
            )
            .values(to_at=at)
        )
        await self._open_ownership(vehicle, at, recorded_by)

    async def _open_ownership(self, vehicle: Vehicle, at: datetime, recorded_by: UUID) -> None:
        await self._db.execute(
            insert(VehicleOwnershipRow).values(
                id=new_id(),
                vehicle_id=vehicle.id,
                owner_id=vehicle.owner_id,
                from_at=at,
                recorded_by=recorded_by,
            )
        )

    async def get(self, vehicle_id: UUID) -> Vehicle | None:
        row = await self._db.get(VehicleRow, vehicle_id)
        return None if row is None else to_vehicle(row)

    async def of_owner(self, owner_id: UUID, limit: int, before: UUID | None) -> list[Vehicle]:
        """Newest registration first, keyset-paged by id."""
        query = select(VehicleRow).where(VehicleRow.owner_id == owner_id)
        if before is not None:
            query = query.where(VehicleRow.id < before)
        rows = await self._db.scalars(query.order_by(VehicleRow.id.desc()).limit(limit))
        return [to_vehicle(row) for row in rows]

    async def histories(self, vehicle_ids: Sequence[UUID]) -> list[list[VehicleOwnership]]:
        """Each vehicle's owners, oldest first, in one statement."""
        rows = await self._db.scalars(
            select(VehicleOwnershipRow)
            .where(VehicleOwnershipRow.vehicle_id.in_(vehicle_ids))
            .order_by(VehicleOwnershipRow.from_at, VehicleOwnershipRow.id)
        )
        found: dict[UUID, list[VehicleOwnership]] = {key: [] for key in vehicle_ids}
        for row in rows:
            found[row.vehicle_id].append(to_ownership(row))
        return [found[key] for key in vehicle_ids]

    async def status_of(self, vin: str) -> VehicleStatus | None:
        status = await self._db.scalar(select(VehicleRow.status).where(VehicleRow.vin == vin))
        return None if status is None else VehicleStatus(status)

    async def registrations_per_week(self, since: datetime) -> dict[date, int]:
        """Registrations since then by the Monday (UTC) of their week."""
        week = func.date_trunc("week", func.timezone("UTC", VehicleRow.registered_at))
        rows = await self._db.execute(
            select(week, func.count()).where(VehicleRow.registered_at >= since).group_by(week)
        )
        return {start.date(): count for start, count in rows}
