"""The VIN registry: verifiers register vehicles and record who owns them over time."""

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Protocol
from uuid import UUID

from domain.payments.errors import InvalidState, VehicleNotFound
from domain.payments.ports import ActiveUsers
from domain.payments.vin import check_digit_matches, expected_check_digit, parse_vin
from domain.shared.clock import Clock
from domain.shared.errors import Conflict, DomainError, NotFound
from domain.shared.events import DomainEvent
from domain.shared.ids import new_id
from domain.shared.ports import EventRecorder

VEHICLE_REGISTERED = "payments.vehicle_registered"
VEHICLE_OWNERSHIP_TRANSFERRED = "payments.vehicle_ownership_transferred"
FIRST_MODEL_YEAR = 1950
MAX_MAKE = 40
MAX_MODEL = 60
MAX_WEEKS = 104


class VehicleStatus(StrEnum):
    REGISTERED = "registered"
    STOLEN = "stolen"
    DEREGISTERED = "deregistered"


@dataclass(frozen=True, kw_only=True)
class Vehicle:
    id: UUID
    vin: str
    make: str
    model: str
    year: int
    status: VehicleStatus
    owner_id: UUID
    registered_by: UUID
    registered_at: datetime


@dataclass(frozen=True, kw_only=True)
class VehicleOwnership:
    vehicle_id: UUID
    owner_id: UUID
    from_at: datetime
    to_at: datetime | None
    recorded_by: UUID


class VehicleWarningCode(StrEnum):
    CHECK_DIGIT_MISMATCH = "CHECK_DIGIT_MISMATCH"


@dataclass(frozen=True)
class VehicleWarning:
    code: VehicleWarningCode
    message: str
    field: str


@dataclass(frozen=True)
class Registration:
    vehicle: Vehicle
    warnings: tuple[VehicleWarning, ...] = ()


@dataclass(frozen=True, kw_only=True)
class RegisterVehicle:
    vin: str
    make: str
    model: str
    year: int
    owner_id: UUID
    registered_by: UUID


@dataclass(frozen=True, kw_only=True)
class TransferOwnership:
    vin: str
    new_owner_id: UUID
    recorded_by: UUID


class VehicleRepository(Protocol):
    async def add(self, vehicle: Vehicle) -> bool:
        """Also opens the first ownership; False when the VIN is already registered."""

    async def by_vin(self, vin: str, *, lock: bool = False) -> Vehicle | None: ...

    async def transfer(self, vehicle: Vehicle, at: datetime, recorded_by: UUID) -> None:
        """Stores the vehicle's new owner, closes the open ownership and opens the new one."""


class VehicleUnitOfWork(EventRecorder, Protocol):
    @property
    def vehicles(self) -> VehicleRepository: ...

    @property
    def active_users(self) -> ActiveUsers: ...


class VehicleService:
    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    async def register(self, uow: VehicleUnitOfWork, command: RegisterVehicle) -> Registration:
        vin = parse_vin(command.vin)
        now = self._clock.now()
        vehicle = Vehicle(
            id=new_id(),
            vin=vin,
            make=_name(command.make, "make", MAX_MAKE),
            model=_name(command.model, "model", MAX_MODEL),
            year=_model_year(command.year, now),
            status=VehicleStatus.REGISTERED,
            owner_id=command.owner_id,
            registered_by=command.registered_by,
            registered_at=now,
        )
        await _require_user(uow, command.owner_id, "ownerId")
        if not await uow.vehicles.add(vehicle):
            raise Conflict("That VIN is already registered", field="vin")
        uow.record(
            self._event(
                VEHICLE_REGISTERED,
                vehicle,
                {"make": vehicle.make, "model": vehicle.model, "year": vehicle.year},
                audience=(vehicle.owner_id,),
            )
        )
        warnings = () if check_digit_matches(vin) else (_check_digit_warning(vin),)
        return Registration(vehicle, warnings)

    async def transfer_ownership(
        self, uow: VehicleUnitOfWork, command: TransferOwnership
    ) -> Vehicle:
        vehicle = await uow.vehicles.by_vin(parse_vin(command.vin), lock=True)
        if vehicle is None:
            raise VehicleNotFound("No vehicle with that VIN is registered", field="vin")
        if vehicle.status is not VehicleStatus.REGISTERED:
            raise InvalidState(
                f"A {vehicle.status.value} vehicle does not change owner", field="vin"
            )
        if vehicle.owner_id == command.new_owner_id:
            raise Conflict("That user already owns this vehicle", field="newOwnerId")
        await _require_user(uow, command.new_owner_id, "newOwnerId")
        transferred = replace(vehicle, owner_id=command.new_owner_id)
        await uow.vehicles.transfer(transferred, self._clock.now(), command.recorded_by)
        uow.record(
            self._event(
                VEHICLE_OWNERSHIP_TRANSFERRED,
                transferred,
                {"previous_owner_id": str(vehicle.owner_id)},
                audience=(vehicle.owner_id, transferred.owner_id),
            )
        )
        return transferred

    def _event(
        self,
        name: str,
        vehicle: Vehicle,
        extra: Mapping[str, object],
        audience: tuple[UUID, ...],
    ) -> DomainEvent:
        """Ids only: owners' names and contact details stay out of events and the audit log."""
        return DomainEvent(
            name=name,
            aggregate_type="Vehicle",
            aggregate_id=vehicle.id,
            occurred_at=self._clock.now(),
            payload={
                "vin": vehicle.vin,
                "status": vehicle.status.value,
                "owner_id": str(vehicle.owner_id),
                **extra,
            },
            audience=audience,
        )


def week_start(day: date) -> date:
    """Weeks start on Monday (ISO 8601)."""
    return day - timedelta(days=day.weekday())


def recent_weeks(now: datetime, weeks: int) -> list[date]:
    """The Mondays of the last `weeks` weeks up to and including this one, oldest first."""
    if not 1 <= weeks <= MAX_WEEKS:
        raise DomainError(f"`weeks` must be between 1 and {MAX_WEEKS}", field="weeks")
    current = week_start(now.date())
    return [current - timedelta(weeks=back) for back in range(weeks - 1, -1, -1)]


async def _require_user(uow: VehicleUnitOfWork, user_id: UUID, field: str) -> None:
    if not await uow.active_users.exists(user_id):
        raise NotFound("No active user has that id", field=field)


def _name(value: str, field: str, limit: int) -> str:
    name = " ".join(value.split())
    if not 1 <= len(name) <= limit:
        raise DomainError(f"The {field} is 1 to {limit} characters", field=field)
    return name


def _model_year(year: int, now: datetime) -> int:
    latest = now.year + 1
    if not FIRST_MODEL_YEAR <= year <= latest:
        raise DomainError(
            f"The model year is between {FIRST_MODEL_YEAR} and {latest}", field="year"
        )
    return year


def _check_digit_warning(vin: str) -> VehicleWarning:
    return VehicleWarning(
        VehicleWarningCode.CHECK_DIGIT_MISMATCH,
        f"The check digit (position 9) is {vin[8]} where {expected_check_digit(vin)} was "
        "expected: North-American VINs would be mistyped; others need not match",
        "vin",
    )
