from datetime import UTC, date, datetime, time
from uuid import UUID

from strawberry.types import Info

from domain.payments.errors import InvalidVin
from domain.payments.vehicles import (
    RegisterVehicle,
    Registration,
    TransferOwnership,
    Vehicle,
    VehicleOwnership,
    VehicleStatus,
    recent_weeks,
)
from domain.payments.vin import parse_vin
from domain.shared.errors import DomainError, RateLimited
from persistence.payments.vehicles import VehicleRepository
from resolvers.commands import rate_limit_exceeded, run_command
from resolvers.payments.vehicle_count_cache import REGISTRATIONS
from schema.errors import BadUserInput
from schema.ids import from_global_id

VIN_REGISTER = "vin:register"


async def register(
    info: Info, vin: str, make: str, model: str, year: int, owner_global_id: str
) -> Registration | DomainError:
    command = RegisterVehicle(
        vin=vin,
        make=make,
        model=model,
        year=year,
        owner_id=from_global_id(owner_global_id, "User")[1],
        registered_by=info.context.principal.subject_id,
    )
    vehicles = info.context.services.vehicles
    return await run_command(info, lambda uow: vehicles.register(uow, command))


async def transfer(info: Info, vin: str, new_owner_global_id: str) -> Vehicle | DomainError:
    command = TransferOwnership(
        vin=vin,
        new_owner_id=from_global_id(new_owner_global_id, "User")[1],
        recorded_by=info.context.principal.subject_id,
    )
    vehicles = info.context.services.vehicles
    return await run_command(info, lambda uow: vehicles.transfer_ownership(uow, command))


def shows_owner(info: Info, owner_id: UUID) -> bool:
    """Registry staff see every owner; others only themselves."""
    principal = info.context.principal
    return principal.subject_id == owner_id or VIN_REGISTER in principal.permissions


def may_see(info: Info, vehicle: Vehicle) -> bool:
    """Its current owner and registry staff; nobody else, previous owners included."""
    return shows_owner(info, vehicle.owner_id)


async def vehicle(info: Info, vehicle_id: UUID) -> Vehicle | None:
    async with info.context.services.session_factory() as db:
        found = await VehicleRepository(db).get(vehicle_id)
    return found if found is not None and may_see(info, found) else None


async def my_vehicles(info: Info, limit: int, before: UUID | None) -> list[Vehicle]:
    async with info.context.services.session_factory() as db:
        return await VehicleRepository(db).of_owner(
            info.context.principal.subject_id, limit, before
        )


async def ownership_history(info: Info, vehicle: Vehicle) -> list[VehicleOwnership]:
    if not may_see(info, vehicle):
        return []
    return list(await info.context.loaders.ownerships_by_vehicle_id.load(vehicle.id))


async def vin_status(info: Info, raw_vin: str) -> tuple[str, VehicleStatus | None]:
    """Whether the VIN is registered and its status: nothing about the vehicle or owner."""
    await _count_public_lookup(info)
    try:
        vin = parse_vin(raw_vin)
    except InvalidVin as error:
        raise BadUserInput(error.message, field="vin", reason=error.code.value) from None
    async with info.context.services.session_factory() as db:
        return vin, await VehicleRepository(db).status_of(vin)


async def registrations_per_week(info: Info, weeks: int) -> list[tuple[date, int]]:
    await _count_public_lookup(info)
    try:
        starts = recent_weeks(info.context.services.clock.now(), weeks)
    except DomainError as error:
        raise BadUserInput(error.message, field="weeks") from None
    services = info.context.services

    async def count() -> dict[date, int]:
        since = datetime.combine(starts[0], time(), tzinfo=UTC)
        async with services.session_factory() as db:
            return await VehicleRepository(db).registrations_per_week(since)

    counts = await services.report_cache.get_or_compute(
        "vehicleRegistrationsPerWeek", REGISTRATIONS, starts[0], dict[date, int], count
    )
    return [(start, counts.get(start, 0)) for start in starts]


async def _count_public_lookup(info: Info) -> None:
    """Public fields are open to anyone, so each address gets a few per minute."""
    try:
        await info.context.services.public_lookups.hit(
            info.context.client_ip or "unknown", "Too many registry lookups; try again shortly"
        )
    except RateLimited as limited:
        raise rate_limit_exceeded(limited) from None
