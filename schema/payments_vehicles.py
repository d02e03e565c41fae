"""The VIN registry: vehicles, their owners over time, and public checks."""

from datetime import date, datetime

import strawberry
from strawberry.types import Info

from domain.payments.vehicles import Registration
from domain.payments.vehicles import Vehicle as DomainVehicle
from domain.payments.vehicles import VehicleStatus as DomainVehicleStatus
from domain.payments.vehicles import VehicleWarning as DomainVehicleWarning
from domain.payments.vehicles import VehicleWarningCode as DomainVehicleWarningCode
from resolvers.payments import vehicles
from schema.ids import from_global_id, to_global_id
from schema.nodes import node_type
from schema.pagination import PAGE, Connection, connection, decode_cursor, page_size
from schema.payments_accounts import User
from schema.permissions import authenticated, requires_scopes
from schema.shared import Node, UserError, to_payload

VehicleStatus = strawberry.enum(DomainVehicleStatus, name="VehicleStatus")
VehicleWarningCode = strawberry.enum(DomainVehicleWarningCode, name="VehicleWarningCode")


@strawberry.type(description="One owner's time with a vehicle; `ownedUntil` null is now.")
class VehicleOwnership:
    owner: User | None = strawberry.field(
        description="Registry staff see every owner; owners only themselves."
    )
    owned_from: datetime
    owned_until: datetime | None


@node_type
@strawberry.type(description="A vehicle in the VIN registry.")
class Vehicle(Node):
    id: strawberry.ID
    vin: str
    make: str
    model: str
    year: int
    status: VehicleStatus
    registered_at: datetime
    domain: strawberry.Private[DomainVehicle]

    @strawberry.field(description="Oldest first; for its owner and registry staff only.")
    async def ownership_history(self, info: Info) -> list[VehicleOwnership]:
        return [
            VehicleOwnership(
                owner=(
                    User(id=to_global_id("User", row.owner_id))
                    if vehicles.shows_owner(info, row.owner_id)
                    else None
                ),
                owned_from=row.from_at,
                owned_until=row.to_at,
            )
            for row in await vehicles.ownership_history(info, self.domain)
        ]

    @classmethod
    def from_domain(cls, vehicle: DomainVehicle) -> "Vehicle":
        return cls(
            id=to_global_id("Vehicle", vehicle.id),
            vin=vehicle.vin,
            make=vehicle.make,
            model=vehicle.model,
            year=vehicle.year,
            status=vehicle.status,
            registered_at=vehicle.registered_at,
            domain=vehicle,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Vehicle | None":
        found = await vehicles.vehicle(info, from_global_id(id, "Vehicle")[1])
        return None if found is None else cls.from_domain(found)


@strawberry.type(description="What anyone may learn about a VIN: nothing about its owner.")
class VinStatus:
    vin: str = strawberry.field(description="Normalised: upper case, no spaces.")
    registered: bool
    status: VehicleStatus | None


@strawberry.type
class WeeklyCount:
    week_start: date = strawberry.field(description="The week's Monday (UTC).")
    count: int


@strawberry.type(description="Accepted, but worth a second look.")
class VehicleWarning:
    code: VehicleWarningCode
    field: list[str] | None
    message: str

    @classmethod
    def from_domain(cls, warning: DomainVehicleWarning) -> "VehicleWarning":
        return cls(code=warning.code, field=[warning.field], message=warning.message)


@strawberry.input
class RegisterVehicleInput:
    vin: str
    make: str
    model: str
    year: int
    owner_id: strawberry.ID


@strawberry.input
class TransferVehicleOwnershipInput:
    vin: str
    new_owner_id: strawberry.ID


@strawberry.type
class RegisterVehiclePayload:
    vehicle: Vehicle | None = None
    warnings: list[VehicleWarning] = strawberry.field(default_factory=list)
    errors: list[UserError]


@strawberry.type
class VehiclePayload:
    vehicle: Vehicle | None = None
    errors: list[UserError]


def _registration(registration: Registration) -> dict[str, object]:
    return {
        "vehicle": Vehicle.from_domain(registration.vehicle),
        "warnings": [VehicleWarning.from_domain(w) for w in registration.warnings],
    }


@strawberry.type(name="Query")
class VehicleQuery:
    @strawberry.field(
        directives=PAGE, extensions=authenticated(), description="Vehicles you own, newest first."
    )
    async def my_vehicles(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[Vehicle]:
        size = page_size(first)
        rows = await vehicles.my_vehicles(info, size + 1, decode_cursor(after))
        return connection(rows, size, lambda row: row.id, Vehicle.from_domain)

    @strawberry.field(
        description="Public: whether a VIN is registered, and its status. Rate-limited."
    )
    async def vin_status(self, info: Info, vin: str) -> VinStatus:
        normalized, status = await vehicles.vin_status(info, vin)
        return VinStatus(vin=normalized, registered=status is not None, status=status)

    @strawberry.field(
        description="Public: registrations in each of the last `weeks` (1 to 104) weeks, "
        "oldest first. Rate-limited."
    )
    async def vehicle_registrations_per_week(
        self, info: Info, weeks: int = 12
    ) -> list[WeeklyCount]:
        counts = await vehicles.registrations_per_week(info, weeks)
        return [WeeklyCount(week_start=start, count=count) for start, count in counts]


@strawberry.type(name="Mutation")
class VehicleMutation:
    @strawberry.mutation(
        extensions=requires_scopes(["vin:register"]),
        description="Registers a vehicle to its owner; a check digit that does not match "
        "is a warning, not an error.",
    )
    async def register_vehicle(
        self, info: Info, input: RegisterVehicleInput
    ) -> RegisterVehiclePayload:
        outcome = await vehicles.register(
            info, input.vin, input.make, input.model, input.year, input.owner_id
        )
        return to_payload(RegisterVehiclePayload, outcome, _registration)

    @strawberry.mutation(
        extensions=requires_scopes(["vin:register"]),
        description="Records a new owner; the previous ownership stays in the history.",
    )
    async def transfer_vehicle_ownership(
        self, info: Info, input: TransferVehicleOwnershipInput
    ) -> VehiclePayload:
        outcome = await vehicles.transfer(info, input.vin, input.new_owner_id)
        return to_payload(VehiclePayload, outcome, lambda v: {"vehicle": Vehicle.from_domain(v)})
