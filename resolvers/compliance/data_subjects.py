"""Data subject rights: exports for the subject and for compliance officers, erasure
requests by the subject, decided by a compliance officer who is not the subject."""

from uuid import UUID

from strawberry.types import Info

from domain.compliance.data_subjects import ErasureRequest, ErasureStatus, PersonalDataExport
from domain.shared.errors import DomainError
from persistence.compliance.erasure_requests import ErasureRequestRepository
from resolvers.commands import run_command
from schema.errors import NotFound
from schema.ids import from_global_id


def _subject(info: Info) -> UUID:
    subject_id = info.context.principal.subject_id
    assert subject_id is not None, "guarded by the field's permission"
    return subject_id  # type: ignore[no-any-return]


async def export_mine(info: Info) -> PersonalDataExport:
    return await _export(info, _subject(info), by_subject=True)


async def export_subject(info: Info, user: str) -> PersonalDataExport:
    return await _export(info, from_global_id(user, "User")[1], by_subject=False)


async def _export(info: Info, subject_id: UUID, *, by_subject: bool) -> PersonalDataExport:
    rights = info.context.services.data_subject_rights
    outcome = await run_command(
        info, lambda uow: rights.export(uow, subject_id, by_subject=by_subject)
    )
    if isinstance(outcome, DomainError):
        raise NotFound(outcome.message)
    return outcome


async def request_erasure(info: Info, reason: str) -> ErasureRequest | DomainError:
    rights, subject_id = info.context.services.data_subject_rights, _subject(info)
    return await run_command(info, lambda uow: rights.request_erasure(uow, subject_id, reason))


async def approve(info: Info, request: str) -> ErasureRequest | DomainError:
    rights, officer_id = info.context.services.data_subject_rights, _subject(info)
    request_id = from_global_id(request, "ErasureRequest")[1]
    return await run_command(info, lambda uow: rights.approve(uow, officer_id, request_id))


async def reject(info: Info, request: str, reason: str) -> ErasureRequest | DomainError:
    rights, officer_id = info.context.services.data_subject_rights, _subject(info)
    request_id = from_global_id(request, "ErasureRequest")[1]
    return await run_command(info, lambda uow: rights.reject(uow, officer_id, request_id, reason))


async def requests(
    info: Info, status: ErasureStatus | None, first: int, after: UUID | None
) -> list[ErasureRequest]:
    async with info.context.services.session_factory() as session:
        return await ErasureRequestRepository(session).search(status, first, after)
