"""An erasure is one unit of work: if any context fails, no context has erased anything."""

from datetime import datetime
from typing import Any
from uuid import UUID

import pytest

from domain.compliance.data_subject_service import DataSubjectRightsService
from domain.compliance.data_subjects import ErasureStatus
from persistence.identity.personal_data import KnownSubjects
from persistence.identity.repository import UserRepository
from persistence.identity.subject_keys import wrapped_key_of
from server.app import Runtime
from server.data_protection import personal_data_holders
from tests.support.factories import create_user


class FailingHolder:
    section = "failing"

    async def export(self, subject_id: UUID) -> dict[str, Any]:
        return {}

    async def erase(self, uow: Any, subject_id: UUID, at: datetime) -> dict[str, int]:
        raise RuntimeError("the disk is full")


async def test_a_failing_holder_rolls_every_context_back(runtime: Runtime) -> None:
    services = runtime.services
    subject = await create_user(services, full_name="Ndapewa Shikongo")
    officer = await create_user(services, roles=["compliance_officer"])
    holders = [*personal_data_holders(services.session_factory, services.keyring), FailingHolder()]
    rights = DataSubjectRightsService(
        services.clock, KnownSubjects(services.session_factory), holders
    )
    async with services.unit_of_work() as uow:
        request = await rights.request_erasure(uow, subject.id, "Leaving")

    with pytest.raises(RuntimeError, match="disk is full"):
        async with services.unit_of_work() as uow:
            await rights.approve(uow, officer.id, request.id)

    async with services.unit_of_work() as uow:
        user = await UserRepository(uow.session, services.keyring).get(subject.id)
        key = await wrapped_key_of(uow.session, subject.id)
        pending = await uow.erasure_requests.get_for_update(request.id)
    assert user is not None
    assert (user.email, user.full_name, user.status.value) == (
        subject.email,
        "Ndapewa Shikongo",
        "active",
    )
    assert key is not None
    assert pending is not None
    assert (pending.status, pending.reason) == (ErasureStatus.PENDING, "Leaving")
