from datetime import date
from uuid import UUID

from strawberry.types import Info

from domain.identity.kyc import KycProfile, KycStatus
from domain.shared.errors import DomainError
from persistence.identity.kyc import KycRepository
from resolvers.commands import run_command
from schema.ids import from_global_id

REVIEW = "kyc:review"


def may_see(info: Info, profile: KycProfile) -> bool:
    principal = info.context.principal
    return principal.subject_id == profile.user_id or REVIEW in principal.permissions


async def submit(
    info: Info, national_id: str, phone: str, date_of_birth: date
) -> KycProfile | DomainError:
    kyc, user_id = info.context.services.kyc, info.context.principal.subject_id
    return await run_command(
        info, lambda uow: kyc.submit(uow, user_id, national_id, phone, date_of_birth)
    )


async def review(
    info: Info, global_id: str, approve: bool, reason: str
) -> KycProfile | DomainError:
    _, kyc_id = from_global_id(global_id, "KycProfile")
    kyc, reviewer = info.context.services.kyc, info.context.principal.subject_id
    return await run_command(info, lambda uow: kyc.review(uow, reviewer, kyc_id, approve, reason))


async def visible(info: Info, global_id: str) -> KycProfile | None:
    """A profile by id for its owner or a reviewer; anyone else sees nothing (no probing)."""
    _, kyc_id = from_global_id(global_id, "KycProfile")
    async with info.context.services.session_factory() as db:
        profile = await KycRepository(db, info.context.services.keyring).get(kyc_id)
    return profile if profile is not None and may_see(info, profile) else None


async def latest_of(info: Info, user_id: UUID) -> KycProfile | None:
    return await info.context.loaders.kyc_by_user_id.load(user_id)  # type: ignore[no-any-return]


async def queue(info: Info, status: KycStatus, first: int, after: UUID | None) -> list[KycProfile]:
    async with info.context.services.session_factory() as db:
        return await KycRepository(db, info.context.services.keyring).queue(status, first, after)
