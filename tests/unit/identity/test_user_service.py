"""UserService with an in-memory unit of work (the fake-UoW pattern)."""

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from uuid import UUID

import pytest

from domain.identity.commands import CreateUser, UpdateProfile
from domain.identity.errors import EmailTaken, InvalidEmail, UserNotFound
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
def service() -> UserService:
    return UserService(FixedClock(NOW), PlainHasher())


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

    with pytest.raises(Exception, match="Full name must be 1 to 200 characters"):
        await service.update_profile(uow, UpdateProfile(user.id, name))

    assert uow.users.rows[user.id].full_name == "Ada"


async def test_missing_or_erased_users_cannot_be_updated(service: UserService) -> None:
    uow = FakeUnitOfWork()
    user = await service.create_user(uow, CreateUser("ada@example.na", "Ada"))
    uow.users.rows[user.id] = replace(user, status=UserStatus.ERASED)

    for user_id in (user.id, new_id()):
        with pytest.raises(UserNotFound):
            await service.update_profile(uow, UpdateProfile(user_id, "Someone"))
