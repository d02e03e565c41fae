"""The VIN registry's rules, on an in-memory registry."""

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from uuid import UUID

import pytest

from domain.payments.errors import InvalidState, InvalidVin, VehicleNotFound
from domain.payments.vehicles import (
    VEHICLE_OWNERSHIP_TRANSFERRED,
    VEHICLE_REGISTERED,
    RegisterVehicle,
    TransferOwnership,
    Vehicle,
    VehicleOwnership,
    VehicleService,
    VehicleStatus,
    VehicleWarningCode,
    recent_weeks,
    week_start,
)
from domain.shared.clock import FixedClock
from domain.shared.errors import Conflict, DomainError, NotFound
from domain.shared.events import AuditRecord, DomainEvent
from tests.unit.payments.fakes import NOW

VIN = "1M8GDM9AXKP042788"
WRONG_CHECK_DIGIT = "1M8GDM9A1KP042788"


class InMemoryRegistry:
    def __init__(self) -> None:
        self.rows: dict[str, Vehicle] = {}
        self.ownerships: list[VehicleOwnership] = []

    async def add(self, vehicle: Vehicle) -> bool:
        if vehicle.vin in self.rows:
            return False
        self.rows[vehicle.vin] = vehicle
        self._open(vehicle, vehicle.registered_at, vehicle.registered_by)
        return True

    async def by_vin(self, vin: str, *, lock: bool = False) -> Vehicle | None:
        return self.rows.get(vin)

    async def transfer(self, vehicle: Vehicle, at: datetime, recorded_by: UUID) -> None:
        self.rows[vehicle.vin] = vehicle
        self.ownerships = [
            replace(o, to_at=at) if o.vehicle_id == vehicle.id and o.to_at is None else o
            for o in self.ownerships
        ]
        self._open(vehicle, at, recorded_by)

    def _open(self, vehicle: Vehicle, at: datetime, recorded_by: UUID) -> None:
        self.ownerships.append(
            VehicleOwnership(
                vehicle_id=vehicle.id,
                owner_id=vehicle.owner_id,
                from_at=at,
                to_at=None,
                recorded_by=recorded_by,
            )
        )


class Users:
    def __init__(self, *active: UUID) -> None:
        self.active = set(active)

    async def exists(self, user_id: UUID) -> bool:
        return user_id in self.active


class FakeVehicleUnitOfWork:
    def __init__(self, *users: UUID) -> None:
        self.vehicles = InMemoryRegistry()
        self.active_users = Users(*users)
        self.events: list[DomainEvent] = []

    def record(self, event: DomainEvent) -> None:
        self.events.append(event)

    def audit(self, record: AuditRecord) -> None:
        pass


ADA, BEN, VERIFIER = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()


def registration(**changes: object) -> RegisterVehicle:
    command = RegisterVehicle(
        vin=VIN, make="Toyota", model="Hilux", year=2020, owner_id=ADA, registered_by=VERIFIER
    )
    return replace(command, **changes)  # type: ignore[arg-type]


def setup() -> tuple[VehicleService, FakeVehicleUnitOfWork, FixedClock]:
    clock = FixedClock(NOW)
    return VehicleService(clock), FakeVehicleUnitOfWork(ADA, BEN), clock


async def test_a_vehicle_is_registered_to_its_owner_with_an_event_and_first_ownership() -> None:
    service, uow, _ = setup()

    registered = await service.register(
        uow, registration(vin=" 1m8gdm9a xkp042788 ", make="  Land   Rover ", model="Defender")
    )

    vehicle = registered.vehicle
    assert (vehicle.vin, vehicle.make, vehicle.status) == (
        VIN,
        "Land Rover",
        VehicleStatus.REGISTERED,
    )
    assert registered.warnings == ()
    assert [(o.owner_id, o.to_at, o.recorded_by) for o in uow.vehicles.ownerships] == [
        (ADA, None, VERIFIER)
    ]
    (event,) = uow.events
    assert event.name == VEHICLE_REGISTERED
    assert event.audience == (ADA,)
    assert event.payload == {
        "vin": VIN,
        "status": "registered",
        "owner_id": str(ADA),
        "make": "Land Rover",
        "model": "Defender",
        "year": 2020,
    }


async def test_a_wrong_check_digit_is_registered_with_a_warning() -> None:
    service, uow, _ = setup()

    registered = await service.register(uow, registration(vin=WRONG_CHECK_DIGIT))

    (warning,) = registered.warnings
    assert warning.code is VehicleWarningCode.CHECK_DIGIT_MISMATCH
    assert warning.field == "vin"
    assert "is 1 where X was expected" in warning.message


async def test_a_vin_is_registered_once() -> None:
    service, uow, _ = setup()
    await service.register(uow, registration())

    with pytest.raises(Conflict):
        await service.register(uow, registration(vin=VIN.lower(), owner_id=BEN))

    assert len(uow.events) == 1


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"vin": "1M8GDM9AXKP04278"}, InvalidVin, "vin"),
        ({"make": "   "}, DomainError, "make"),
        ({"make": "M" * 41}, DomainError, "make"),
        ({"model": "M" * 61}, DomainError, "model"),
        ({"year": 1949}, DomainError, "year"),
        ({"year": NOW.year + 2}, DomainError, "year"),
        ({"owner_id": uuid.uuid4()}, NotFound, "ownerId"),
    ],
)
async def test_bad_registrations_are_refused_before_anything_is_written(
    changes: dict[str, object], error: type[DomainError], field: str
) -> None:
    service, uow, _ = setup()

    with pytest.raises(error) as raised:
        await service.register(uow, registration(**changes))

    assert raised.value.field == field
    assert uow.vehicles.rows == {}
    assert uow.events == []


async def test_next_years_models_are_accepted() -> None:
    service, uow, _ = setup()

    registered = await service.register(uow, registration(year=NOW.year + 1))

    assert registered.vehicle.year == NOW.year + 1


async def test_a_transfer_closes_the_ownership_and_opens_the_next() -> None:
    service, uow, clock = setup()
    vehicle = (await service.register(uow, registration())).vehicle
    clock.advance(timedelta(days=30))

    moved = await service.transfer_ownership(
        uow, TransferOwnership(vin=VIN.lower(), new_owner_id=BEN, recorded_by=VERIFIER)
    )

    assert moved.owner_id == BEN
    assert [(o.owner_id, o.from_at, o.to_at) for o in uow.vehicles.ownerships] == [
        (ADA, NOW, clock.now()),
        (BEN, clock.now(), None),
    ]
    event = uow.events[-1]
    assert event.name == VEHICLE_OWNERSHIP_TRANSFERRED
    assert event.aggregate_id == vehicle.id
    assert event.audience == (ADA, BEN)
    assert event.payload["previous_owner_id"] == str(ADA)
    assert event.payload["owner_id"] == str(BEN)


@pytest.mark.parametrize(
    ("vin", "new_owner", "error", "field"),
    [
        (VIN, ADA, Conflict, "newOwnerId"),
        (VIN, uuid.uuid4(), NotFound, "newOwnerId"),
        ("11111111111111111", BEN, VehicleNotFound, "vin"),
        ("1M8GDM9AXKP0427", BEN, InvalidVin, "vin"),
    ],
)
async def test_transfers_need_a_registered_vin_and_another_active_owner(
    vin: str, new_owner: UUID, error: type[DomainError], field: str
) -> None:
    service, uow, _ = setup()
    await service.register(uow, registration())

    with pytest.raises(error) as raised:
        await service.transfer_ownership(
            uow, TransferOwnership(vin=vin, new_owner_id=new_owner, recorded_by=VERIFIER)
        )

    assert raised.value.field == field
    assert len(uow.vehicles.ownerships) == 1


async def test_only_registered_vehicles_change_owner() -> None:
    service, uow, _ = setup()
    vehicle = (await service.register(uow, registration())).vehicle
    uow.vehicles.rows[VIN] = replace(vehicle, status=VehicleStatus.STOLEN)

    with pytest.raises(InvalidState, match="stolen"):
        await service.transfer_ownership(
            uow, TransferOwnership(vin=VIN, new_owner_id=BEN, recorded_by=VERIFIER)
        )


def test_weeks_start_on_monday() -> None:
    assert week_start(date(2026, 11, 25)) == date(2026, 11, 23)  # a Wednesday
    assert week_start(date(2026, 11, 23)) == date(2026, 11, 23)
    assert week_start(date(2026, 11, 22)) == date(2026, 11, 16)  # a Sunday


def test_recent_weeks_end_with_this_one_oldest_first() -> None:
    assert recent_weeks(NOW, 3) == [date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    assert recent_weeks(NOW, 1) == [date(2026, 11, 23)]
    assert len(recent_weeks(NOW, 104)) == 104


@pytest.mark.parametrize("weeks", [0, -1, 105])
def test_recent_weeks_are_bounded(weeks: int) -> None:
    with pytest.raises(DomainError, match="between 1 and 104") as raised:
        recent_weeks(NOW, weeks)

    assert raised.value.field == "weeks"
