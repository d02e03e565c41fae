"""UserService with an in-memory unit of work (the fake-UoW pattern)."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from domain.identity.commands import CreateUser, UpdateProfile
from domain.identity.errors import (
    EmailTaken,
    InvalidEmail,
    InvalidFullName,
    UserNotFound,
    WeakPassword,
)
from domain.identity.model import User, UserStatus
from domain.identity.service import UserService
from domain.shared.clock import FixedClock
from domain.shared.errors import ErrorCode
from domain.shared.events import AuditRecord, DomainEvent
from domain.shared.ids import new_id

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


class InMemoryUsers:
    def __init__(self) -> None:
        self.rows: dict[UUID, User] = {}

    async def add(self, user: User) -> None:
        self.rows[user.id] = user

    async def get(self, user_id: UUID) -> User | None:
        return self.rows.get(user_id)

    async def get_many(self, user_ids: Sequence[UUID]) -> list[User | None]:
        return [self.rows.get(user_id) for user_id in user_ids]

    async def get_by_email(self, email: str) -> User | None:
        return next((user for user in self.rows.values() if user.email == email), None)

    async def email_exists(self, email: str) -> bool:
        return any(user.email == email for user in self.rows.values())

    async def save(self, user: User) -> None:
        self.rows[user.id] = user


class InMemoryRoles:
    def __init__(self) -> None:
        self.assigned: dict[UUID, list[str]] = {}

    async def assign(self, user_id: UUID, roles: Sequence[str]) -> None:
        self.assigned.setdefault(user_id, []).extend(roles)


class FakeUnitOfWork:
    def __init__(self) -> None:
        self.users = InMemoryUsers()
        self.role_assignments = InMemoryRoles()
        self.events: list[DomainEvent] = []
        self.audited: list[AuditRecord] = []

    def record(self, event: DomainEvent) -> None:
        self.events.append(event)

    def audit(self, record: AuditRecord) -> None:
        self.audited.append(record)


class PlainHasher:
    """Stands in for argon2 in domain tests: reversible on purpose, never used outside."""

    def hash(self, password: str) -> str:
        return f"plain:{password}"

    def verify(self, password_hash: str | None, password: str) -> bool:
        return password_hash == f"plain:{password}"

    def needs_rehash(self, password_hash: str) -> bool:
        return False


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def service(clock: FixedClock) -> UserService:
    return UserService(clock, PlainHasher())


async def test_creating_a_user_normalizes_and_records_it(service: UserService) -> None:
    uow = FakeUnitOfWork()

    user = await service.create_user(
        uow, CreateUser(" Ada@Example.NA ", " Ada   Lovelace", ("staff",))
    )

    assert (user.email, user.full_name, user.status, user.created_at) == (
        "ada@example.na",
        "Ada Lovelace",
        UserStatus.ACTIVE,
        NOW,
    )
    assert uow.role_assignments.assigned[user.id] == ["staff"]
    (event,) = uow.events
    assert (event.name, event.aggregate_id, event.audience) == (
        "identity.user_created",
        user.id,
        (user.id,),
    )
    assert event.payload["roles"] == ["staff"]


async def test_emails_are_unique_case_insensitively(service: UserService) -> None:
    uow = FakeUnitOfWork()
    await service.create_user(uow, CreateUser("ada@example.na", "Ada"))

    with pytest.raises(EmailTaken) as taken:
        await service.create_user(uow, CreateUser("ADA@example.na", "Other Ada"))

    assert (taken.value.code, taken.value.field) == (ErrorCode.CONFLICT, "email")
    assert len(uow.users.rows) == 1


@pytest.mark.parametrize("email", ["", "ada", "ada@", "@example.na", "ada@example", "a da@x.na"])
async def test_invalid_emails_are_refused(service: UserService, email: str) -> None:
    with pytest.raises(InvalidEmail) as refused:
        await service.create_user(FakeUnitOfWork(), CreateUser(email, "Ada"))

    assert (refused.value.code, refused.value.field) == (ErrorCode.BAD_USER_INPUT, "email")


async def test_renaming_records_before_and_after(service: UserService) -> None:
    uow = FakeUnitOfWork()
    user = await service.create_user(uow, CreateUser("ada@example.na", "Ada"))

    renamed = await service.update_profile(uow, UpdateProfile(user.id, "Ada King"))

    assert renamed.full_name == "Ada King"
    assert uow.users.rows[user.id].full_name == "Ada King"
    assert uow.events[-1].payload == {"changed": ["full_name"]}


async def test_an_unchanged_name_records_nothing(service: UserService) -> None:
    uow = FakeUnitOfWork()
    user = await service.create_user(uow, CreateUser("ada@example.na", "Ada"))

    await service.update_profile(uow, UpdateProfile(user.id, " Ada "))

    assert [event.name for event in uow.events] == ["identity.user_created"]


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
async def test_blank_or_huge_names_are_refused(service: UserService, name: str) -> None:
    uow = FakeUnitOfWork()
    user = await service.create_user(uow, CreateUser("ada@example.na", "Ada"))

    with pytest.raises(InvalidFullName, match="Full name must be 1 to 200 characters") as refused:
        await service.update_profile(uow, UpdateProfile(user.id, name))

    assert refused.value.field == "fullName"
    assert uow.users.rows[user.id].full_name == "Ada"
    assert [event.name for event in uow.events] == ["identity.user_created"]


async def test_missing_or_erased_users_cannot_be_updated(service: UserService) -> None:
    uow = FakeUnitOfWork()
    user = await service.create_user(uow, CreateUser("ada@example.na", "Ada"))
    uow.users.rows[user.id] = replace(user, status=UserStatus.ERASED)

    for user_id in (user.id, new_id()):
        with pytest.raises(UserNotFound):
            await service.update_profile(uow, UpdateProfile(user_id, "Someone"))


async def test_a_new_user_gets_a_time_ordered_id_no_password_and_the_customer_role(
    service: UserService,
) -> None:
    uow = FakeUnitOfWork()

    user = await service.create_user(uow, CreateUser("ada@example.na", "Ada"))

    assert user.id.version == 7
    assert (user.password_hash, user.email_verified_at, user.mfa_enabled) == (None, None, False)
    assert uow.users.rows == {user.id: user}
    assert uow.role_assignments.assigned == {user.id: ["customer"]}
    assert uow.events[0].payload == {"roles": ["customer"]}
    assert uow.events[0].occurred_at == NOW


async def test_a_password_is_stored_only_as_its_hash(service: UserService) -> None:
    uow = FakeUnitOfWork()

    user = await service.create_user(
        uow, CreateUser("ada@example.na", "Ada", password="correct horse battery")
    )

    assert user.password_hash == "plain:correct horse battery"
    assert "correct horse battery" not in repr(uow.events[0].payload)


async def test_an_address_verified_on_creation_is_verified_now(service: UserService) -> None:
    user = await service.create_user(
        FakeUnitOfWork(), CreateUser("ada@example.na", "Ada", email_verified=True)
    )

    assert user.email_verified_at == NOW


@pytest.mark.parametrize("password", ["too short", "ada@example.na", " ADA@example.NA "])
async def test_weak_passwords_leave_no_trace(service: UserService, password: str) -> None:
    uow = FakeUnitOfWork()

    with pytest.raises(WeakPassword) as refused:
        await service.create_user(uow, CreateUser("ADA@example.na", "Ada", password=password))

    assert (refused.value.code, refused.value.field) == (ErrorCode.WEAK_PASSWORD, "password")
    assert (uow.users.rows, uow.role_assignments.assigned, uow.events) == ({}, {}, [])


async def test_a_taken_email_assigns_no_roles_and_records_nothing_more(
    service: UserService,
) -> None:
    uow = FakeUnitOfWork()
    first = await service.create_user(uow, CreateUser("ada@example.na", "Ada"))

    with pytest.raises(EmailTaken):
        await service.create_user(uow, CreateUser(" ada@EXAMPLE.na", "Ada", ("admin",)))

    assert uow.role_assignments.assigned == {first.id: ["customer"]}
    assert len(uow.events) == 1


async def test_a_rename_is_recorded_when_it_happens_for_the_user_only(
    service: UserService, clock: FixedClock
) -> None:
    uow = FakeUnitOfWork()
    user = await service.create_user(uow, CreateUser("ada@example.na", "Ada"))
    clock.advance(timedelta(hours=2))

    renamed = await service.update_profile(uow, UpdateProfile(user.id, "Ada  King"))

    event = uow.events[-1]
    assert (event.name, event.aggregate_type, event.aggregate_id, event.audience) == (
        "identity.profile_updated",
        "User",
        user.id,
        (user.id,),
    )
    assert event.occurred_at == NOW + timedelta(hours=2)
    assert renamed == replace(user, full_name="Ada King")
    assert renamed.created_at == NOW


async def test_an_unchanged_name_returns_the_stored_user(service: UserService) -> None:
    uow = FakeUnitOfWork()
    user = await service.create_user(uow, CreateUser("ada@example.na", "Ada"))

    unchanged = await service.update_profile(uow, UpdateProfile(user.id, "Ada"))

    assert unchanged is uow.users.rows[user.id]


async def test_an_unknown_user_is_not_found_on_the_user_id_field(service: UserService) -> None:
    uow = FakeUnitOfWork()

    with pytest.raises(UserNotFound) as missing:
        await service.update_profile(uow, UpdateProfile(new_id(), "Someone"))

    assert (missing.value.code, missing.value.field) == (ErrorCode.NOT_FOUND, "userId")
    assert uow.events == []
