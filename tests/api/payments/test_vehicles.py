"""The VIN registry through GraphQL: verifiers register and transfer, owners see their
vehicles, and anyone may check a VIN's status without learning who owns it."""

import itertools
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from domain.identity.model import User
from persistence.compliance.tables import AuditLogRow
from persistence.payments.vehicle_tables import VehicleOwnershipRow, VehicleRow
from persistence.shared.tables import OutboxEventRow
from schema.ids import to_global_id
from server.app import Runtime
from server.settings import Settings
from tests.api.identity.test_key_rotation_and_throttling import serve
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient, GraphQLResponse
from tests.support.identity import deliver_outbox
from tests.support.metrics import cache_counts

VIN = "1M8GDM9AXKP042788"
REGISTER = """
mutation($vin: String!, $owner: ID!, $year: Int! = 2019, $make: String! = "Toyota") {
  registerVehicle(input: {vin: $vin, make: $make, model: "Hilux", year: $year,
                          ownerId: $owner}) {
    vehicle { id vin make model year status registeredAt }
    warnings { code field message }
    errors { code field message }
  }
}
"""
TRANSFER = """
mutation($vin: String!, $owner: ID!) {
  transferVehicleOwnership(input: {vin: $vin, newOwnerId: $owner}) {
    vehicle { id vin }
    errors { code field message }
  }
}
"""
MY_VEHICLES = """
{ myVehicles { edges { node { vin ownershipHistory {
    owner { id } ownedFrom ownedUntil } } } } }
"""
VIN_STATUS = "query($vin: String!) { vinStatus(vin: $vin) { vin registered status } }"
WEEKLY = "query($weeks: Int!) { vehicleRegistrationsPerWeek(weeks: $weeks) { weekStart count } }"


@dataclass
class Person:
    user: User
    token: str

    @property
    def global_id(self) -> str:
        return to_global_id("User", self.user.id)


async def person(runtime: Runtime, role: str = "customer") -> Person:
    user = await create_user(runtime.services, roles=(role,), full_name=f"Named {role.title()}")
    return Person(user, await token_for(runtime.services, user))


async def register(
    graphql: GraphQLClient, by: Person, owner: Person, vin: str = VIN, **variables: Any
) -> GraphQLResponse:
    return await graphql(
        REGISTER, {"vin": vin, "owner": owner.global_id, **variables}, token=by.token
    )


async def count_rows(runtime: Runtime) -> tuple[int, int]:
    async with runtime.services.session_factory() as db:
        vehicles = await db.scalar(select(func.count()).select_from(VehicleRow))
        ownerships = await db.scalar(select(func.count()).select_from(VehicleOwnershipRow))
    return vehicles or 0, ownerships or 0


def vins(response: GraphQLResponse) -> list[str]:
    return [edge["node"]["vin"] for edge in response.data["myVehicles"]["edges"]]


async def test_a_verifier_registers_a_vehicle_its_owner_then_sees(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    verifier, ada = await person(runtime, "verifier"), await person(runtime)

    registered = (await register(graphql, verifier, ada, " 1m8g dm9a xkp042788 ")).data
    mine = await graphql(MY_VEHICLES, token=ada.token)

    payload = registered["registerVehicle"]
    assert payload["errors"] == payload["warnings"] == []
    assert {k: payload["vehicle"][k] for k in ("vin", "make", "year", "status")} == {
        "vin": VIN,
        "make": "Toyota",
        "year": 2019,
        "status": "REGISTERED",
    }
    (vehicle,) = [edge["node"] for edge in mine.data["myVehicles"]["edges"]]
    (owned,) = vehicle["ownershipHistory"]
    assert (owned["owner"], owned["ownedUntil"]) == ({"id": ada.global_id}, None)
    async with runtime.services.session_factory() as db:
        audit = (
            await db.execute(
                select(AuditLogRow.actor, AuditLogRow.changes).where(
                    AuditLogRow.action == "payments.vehicle_registered"
                )
            )
        ).one()
        outbox = await db.scalar(
            select(OutboxEventRow.payload).where(
                OutboxEventRow.name == "payments.vehicle_registered"
            )
        )
    assert audit.actor == f"user:{verifier.user.id}"
    assert audit.changes["owner_id"] == str(ada.user.id) == outbox["owner_id"]
    assert ada.user.full_name not in str(audit.changes) + str(outbox)
    assert ada.user.email not in str(audit.changes) + str(outbox)


async def test_only_registry_staff_register_vehicles(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada, admin = await person(runtime), await person(runtime, "admin")

    by_customer = await register(graphql, ada, ada)
    anonymous = await graphql(REGISTER, {"vin": VIN, "owner": ada.global_id})
    transfer = await graphql(TRANSFER, {"vin": VIN, "owner": ada.global_id}, token=ada.token)

    assert by_customer.error_codes == ["FORBIDDEN"]
    assert anonymous.error_codes == ["UNAUTHENTICATED"]
    assert transfer.error_codes == ["FORBIDDEN"]
    assert await count_rows(runtime) == (0, 0)
    by_admin = await register(graphql, admin, ada)
    assert by_admin.data["registerVehicle"]["errors"] == []


async def test_a_vin_is_registered_once_whatever_its_case_or_spacing(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    verifier, ada, ben = (
        await person(runtime, "verifier"),
        await person(runtime),
        await person(runtime),
    )
    await register(graphql, verifier, ada)

    again = await register(graphql, verifier, ben, "1m8gdm9axkp042788")
    spaced = await register(graphql, verifier, ben, "1M8 GDM9A XKP 042788")

    for response in (again, spaced):
        payload = response.data["registerVehicle"]
        assert payload["vehicle"] is None
        assert payload["errors"] == [
            {"code": "CONFLICT", "field": ["vin"], "message": "That VIN is already registered"}
        ]
    assert await count_rows(runtime) == (1, 1)
    assert vins(await graphql(MY_VEHICLES, token=ben.token)) == []


async def test_invalid_registrations_are_refused_with_a_clear_code_and_nothing_written(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    verifier, ada = await person(runtime, "verifier"), await person(runtime)
    invalid_vins = {
        "1M8GDM9AXKP04278": "A VIN is 17 characters; this one has 16",
        "1M8GDM9AXKP0427881": "A VIN is 17 characters; this one has 18",
        "1M8GDM9AXKP04278O": "A VIN never contains I, O or Q (found O at position 17)",
        "1M8GDM9AXKP04278I": "A VIN never contains I, O or Q (found I at position 17)",
        "1M8GDM9AXKP04278Q": "A VIN never contains I, O or Q (found Q at position 17)",
        "1M8GDM9AX-P042788": (
            "A VIN holds only the letters A-Z and digits (position 10 is not one)"
        ),
    }

    refused = {vin: await register(graphql, verifier, ada, vin) for vin in invalid_vins}
    too_old = await register(graphql, verifier, ada, year=1949)
    no_make = await register(graphql, verifier, ada, make="  ")
    bad_owner = await graphql(REGISTER, {"vin": VIN, "owner": "nonsense"}, token=verifier.token)

    for vin, message in invalid_vins.items():
        errors = refused[vin].data["registerVehicle"]["errors"]
        assert errors == [{"code": "INVALID_VIN", "field": ["vin"], "message": message}]
    assert too_old.data["registerVehicle"]["errors"][0]["field"] == ["year"]
    assert no_make.data["registerVehicle"]["errors"][0]["field"] == ["make"]
    assert bad_owner.error_codes == ["BAD_USER_INPUT"]
    assert await count_rows(runtime) == (0, 0)
    async with runtime.services.session_factory() as db:
        events = await db.scalar(
            select(func.count()).where(OutboxEventRow.aggregate_type == "Vehicle")
        )
    assert events == 0


async def test_a_wrong_check_digit_is_accepted_with_a_warning(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    verifier, ada = await person(runtime, "verifier"), await person(runtime)

    registered = await register(graphql, verifier, ada, "WVWZZZ1JZXW000001")

    payload = registered.data["registerVehicle"]
    assert payload["errors"] == []
    assert payload["vehicle"]["vin"] == "WVWZZZ1JZXW000001"
    (warning,) = payload["warnings"]
    assert (warning["code"], warning["field"]) == ("CHECK_DIGIT_MISMATCH", ["vin"])
    assert "position 9" in warning["message"]


async def test_a_transfer_moves_the_vehicle_and_keeps_its_history(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    verifier, ada, ben = (
        await person(runtime, "verifier"),
        await person(runtime),
        await person(runtime),
    )
    vehicle_id = (await register(graphql, verifier, ada)).data["registerVehicle"]["vehicle"]["id"]

    moved = await graphql(
        TRANSFER, {"vin": VIN.lower(), "owner": ben.global_id}, token=verifier.token
    )
    twice = await graphql(TRANSFER, {"vin": VIN, "owner": ben.global_id}, token=verifier.token)
    unknown = await graphql(
        TRANSFER, {"vin": "11111111111111111", "owner": ada.global_id}, token=verifier.token
    )

    assert moved.data["transferVehicleOwnership"] == {
        "vehicle": {"id": vehicle_id, "vin": VIN},
        "errors": [],
    }
    assert twice.data["transferVehicleOwnership"]["errors"][0]["code"] == "CONFLICT"
    assert unknown.data["transferVehicleOwnership"]["errors"][0]["code"] == "NOT_FOUND"
    assert vins(await graphql(MY_VEHICLES, token=ada.token)) == []
    (seen_by_ben,) = (await graphql(MY_VEHICLES, token=ben.token)).data["myVehicles"]["edges"]
    history = seen_by_ben["node"]["ownershipHistory"]
    assert [entry["owner"] for entry in history] == [None, {"id": ben.global_id}]
    assert history[0]["ownedUntil"] == history[1]["ownedFrom"]
    assert history[1]["ownedUntil"] is None
    node = "query($id: ID!) { node(id: $id) { ... on Vehicle { vin ownershipHistory { owner { id } } } } }"
    by_verifier = await graphql(node, {"id": vehicle_id}, token=verifier.token)
    by_previous_owner = await graphql(node, {"id": vehicle_id}, token=ada.token)
    assert [h["owner"]["id"] for h in by_verifier.data["node"]["ownershipHistory"]] == [
        ada.global_id,
        ben.global_id,
    ]
    assert by_previous_owner.data == {"node": None}
    assert await count_rows(runtime) == (1, 2)


async def test_the_public_vin_check_reveals_only_registration_and_status(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    verifier, ada = await person(runtime, "verifier"), await person(runtime)
    await register(graphql, verifier, ada)

    registered = await graphql(VIN_STATUS, {"vin": " 1m8gdm9axkp042788"})
    unregistered = await graphql(VIN_STATUS, {"vin": "11111111111111111"})
    invalid = await graphql(VIN_STATUS, {"vin": "1M8GDM9AXKP04278O"})
    shape = await graphql('{ __type(name: "VinStatus") { fields { name } } }')

    assert registered.result == {
        "data": {"vinStatus": {"vin": VIN, "registered": True, "status": "REGISTERED"}}
    }
    assert unregistered.data == {
        "vinStatus": {"vin": "11111111111111111", "registered": False, "status": None}
    }
    assert invalid.data is None
    (error,) = invalid.errors
    assert error["extensions"] == {
        "code": "BAD_USER_INPUT",
        "field": "vin",
        "reason": "INVALID_VIN",
    }
    assert "I, O or Q" in error["message"]
    fields = {field["name"] for field in shape.data["__type"]["fields"]}
    assert fields == {"vin", "registered", "status"}
    assert str(ada.user.id) not in str(registered.body)


async def test_weekly_registration_counts_are_public_and_bounded(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    verifier, ada = await person(runtime, "verifier"), await person(runtime)
    for vin in (VIN, "11111111111111111", "JH4KA7561PC008269"):
        await register(graphql, verifier, ada, vin)

    counts = (await graphql(WEEKLY, {"weeks": 3})).data["vehicleRegistrationsPerWeek"]
    too_many = await graphql(WEEKLY, {"weeks": 105})
    too_few = await graphql(WEEKLY, {"weeks": 0})

    starts = [date.fromisoformat(week["weekStart"]) for week in counts]
    assert all(start.weekday() == 0 for start in starts)
    assert [b - a for a, b in itertools.pairwise(starts)] == [timedelta(weeks=1)] * 2
    assert timedelta(0) <= datetime.now(UTC).date() - starts[-1] <= timedelta(days=7)
    assert [week["count"] for week in counts] == [0, 0, 3]
    assert too_many.error_codes == too_few.error_codes == ["BAD_USER_INPUT"]


async def test_weekly_counts_are_cached_until_a_registration_is_dispatched(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    verifier, ada = await person(runtime, "verifier"), await person(runtime)
    await register(graphql, verifier, ada, VIN)
    await deliver_outbox(runtime)

    def this_week(response: GraphQLResponse) -> int:
        return int(response.data["vehicleRegistrationsPerWeek"][-1]["count"])

    first = await graphql(WEEKLY, {"weeks": 1})
    await register(graphql, verifier, ada, "11111111111111111")
    cached = await graphql(WEEKLY, {"weeks": 1})
    await deliver_outbox(runtime)
    fresh = await graphql(WEEKLY, {"weeks": 1})
    counts = await cache_counts(graphql.http, "vehicleRegistrationsPerWeek")

    assert (this_week(first), this_week(cached), this_week(fresh)) == (1, 1, 2)
    assert counts == (1, 2)


async def test_public_lookups_are_rate_limited_per_address(
    runtime: Runtime, settings: Settings
) -> None:
    strict = settings.model_copy(update={"public_lookup_limit_per_minute": 2})

    async def hammer(graphql: GraphQLClient):  # type: ignore[no-untyped-def]
        return [
            await graphql(
                VIN_STATUS if turn % 2 else WEEKLY, {"vin": VIN} if turn % 2 else {"weeks": 1}
            )
            for turn in range(5)
        ]

    attempts = await serve(strict, Runtime(strict), hammer)

    # five calls span at most two minute windows, so one window sees a third call
    codes = [a.error_codes for a in attempts]
    assert codes[:2] == [[], []]
    limited = [a for a in attempts[2:] if a.error_codes == ["RATE_LIMITED"]]
    assert limited
    assert limited[0].errors[0]["extensions"]["retryAfter"] > 0


async def test_listing_vehicles_takes_the_same_statements_for_few_or_many(
    runtime: Runtime, graphql: GraphQLClient, count_sql
) -> None:
    verifier, ada, ben = (
        await person(runtime, "verifier"),
        await person(runtime),
        await person(runtime),
    )
    await register(graphql, verifier, ada)

    with count_sql() as few:
        await graphql(MY_VEHICLES, token=ada.token)
    for vin in ("11111111111111111", "JH4KA7561PC008269", "1HGCM82633A004352"):
        await register(graphql, verifier, ada, vin)
        await graphql(TRANSFER, {"vin": vin, "owner": ben.global_id}, token=verifier.token)
        await graphql(TRANSFER, {"vin": vin, "owner": ada.global_id}, token=verifier.token)
    with count_sql() as many:
        listed = await graphql(MY_VEHICLES, token=ada.token)

    assert len(vins(listed)) == 4
    assert many.count == few.count
