"""Role grants and revocation without a database: maker-checker and the last admin."""

from datetime import UTC, datetime
from uuid import UUID, uuid4

import pytest

from domain.governance.role_grants import GrantStatus
from domain.governance.role_service import RoleAdministrationService
from domain.shared.clock import FixedClock
from domain.shared.errors import DomainError, ErrorCode
from tests.unit.governance.fakes import RoleUnitOfWork

NOW = datetime(2026, 6, 1, 12, tzinfo=UTC)


def setup(*admins: UUID) -> tuple[RoleAdministrationService, RoleUnitOfWork, UUID]:
    uow, user = RoleUnitOfWork(), uuid4()
    uow.role_holders.active |= {user, *admins}
    uow.role_holders.held |= {(admin, "admin") for admin in admins}
    return RoleAdministrationService(FixedClock(NOW)), uow, user


async def refused(work: object) -> ErrorCode:
    with pytest.raises(DomainError) as error:
        await work  # type: ignore[misc]
    return error.value.code


async def test_a_privileged_grant_waits_for_a_second_admin_who_alone_can_approve_it() -> None:
    maker, checker = uuid4(), uuid4()
    roles, uow, user = setup(maker, checker)

    grant = await roles.grant(uow, maker, user, "admin")
    by_maker = await refused(roles.approve(uow, maker, grant.id))
    approved = await roles.approve(uow, checker, grant.id)

    assert grant.status is GrantStatus.PENDING
    assert by_maker is ErrorCode.FORBIDDEN
    assert approved.status is GrantStatus.APPROVED
    assert (user, "admin") in uow.role_holders.held
    assert uow.names == ["governance.role_grant_requested", "governance.role_granted"]


async def test_only_a_holder_of_the_role_approves_and_nobody_decides_their_own_grant() -> None:
    maker = uuid4()
    roles, uow, user = setup(maker)
    outsider = uuid4()
    uow.role_holders.active.add(outsider)
    grant = await roles.grant(uow, maker, user, "admin")

    assert await refused(roles.approve(uow, outsider, grant.id)) is ErrorCode.FORBIDDEN
    assert await refused(roles.approve(uow, user, grant.id)) is ErrorCode.FORBIDDEN
    assert await refused(roles.grant(uow, maker, maker, "staff")) is ErrorCode.FORBIDDEN
    assert await refused(roles.grant(uow, maker, user, "admin")) is ErrorCode.CONFLICT
    assert (user, "admin") not in uow.role_holders.held


async def test_a_rejected_grant_grants_nothing_and_cannot_be_approved_later() -> None:
    maker, checker = uuid4(), uuid4()
    roles, uow, user = setup(maker, checker)
    grant = await roles.grant(uow, maker, user, "admin")

    rejected = await roles.reject(uow, checker, grant.id)

    assert rejected.status is GrantStatus.REJECTED
    assert await refused(roles.approve(uow, checker, grant.id)) is ErrorCode.INVALID_STATE
    assert (user, "admin") not in uow.role_holders.held


async def test_an_ordinary_role_is_granted_at_once_and_revoked_at_once() -> None:
    admin = uuid4()
    roles, uow, user = setup(admin)

    grant = await roles.grant(uow, admin, user, "staff")
    again = await refused(roles.grant(uow, admin, user, "staff"))
    await roles.revoke(uow, admin, user, "staff")

    assert grant.status is GrantStatus.APPROVED
    assert again is ErrorCode.CONFLICT
    assert (user, "staff") not in uow.role_holders.held
    assert uow.events[-1].audience == (user,)


async def test_the_last_active_admin_stays_but_another_may_go() -> None:
    first, second = uuid4(), uuid4()
    roles, uow, _ = setup(first, second)

    await roles.revoke(uow, first, second, "admin")
    last = await refused(roles.revoke(uow, first, first, "admin"))

    assert last is ErrorCode.INVALID_STATE
    assert (first, "admin") in uow.role_holders.held


async def test_unknown_roles_and_inactive_users_are_not_found() -> None:
    admin = uuid4()
    roles, uow, user = setup(admin)

    assert await refused(roles.grant(uow, admin, user, "overlord")) is ErrorCode.NOT_FOUND
    assert await refused(roles.grant(uow, admin, uuid4(), "staff")) is ErrorCode.NOT_FOUND
    assert await refused(roles.revoke(uow, admin, user, "staff")) is ErrorCode.NOT_FOUND
    assert await refused(roles.revoke(uow, admin, user, "overlord")) is ErrorCode.NOT_FOUND
