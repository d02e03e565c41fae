from strawberry.types import Info

from auth.tokens import InvalidToken as MalformedToken
from domain.identity.authentication import SignedIn
from domain.identity.errors import InvalidToken
from domain.identity.mfa import Enrollment
from domain.identity.model import Device
from domain.shared.errors import DomainError
from resolvers.commands import run_command


async def begin_enrollment(info: Info) -> Enrollment | DomainError:
    mfa, user_id = info.context.services.mfa, info.context.principal.subject_id
    return await run_command(info, lambda uow: mfa.begin_enrollment(uow, user_id))


async def confirm_enrollment(info: Info, code: str) -> list[str] | DomainError:
    mfa, user_id = info.context.services.mfa, info.context.principal.subject_id
    return await run_command(info, lambda uow: mfa.confirm_enrollment(uow, user_id, code))


async def disable(info: Info) -> DomainError | None:
    mfa, user_id = info.context.services.mfa, info.context.principal.subject_id
    return await run_command(info, lambda uow: mfa.disable(uow, user_id))


async def regenerate_backup_codes(info: Info) -> list[str] | DomainError:
    mfa, user_id = info.context.services.mfa, info.context.principal.subject_id
    return await run_command(info, lambda uow: mfa.regenerate_backup_codes(uow, user_id))


async def complete_login(
    info: Info, challenge: str, code: str | None, backup_code: str | None
) -> SignedIn | DomainError:
    services = info.context.services
    try:
        claims = services.tokens.verify_mfa_challenge(challenge)
    except MalformedToken:
        return InvalidToken("This sign-in challenge is invalid or expired", field="challenge")
    device = Device(id=claims.device_id, name=claims.device_name)
    return await run_command(
        info,
        lambda uow: services.mfa.complete_login(
            uow,
            claims.subject_id,
            claims.token_id,
            device,
            info.context.client_ip,
            code,
            backup_code,
        ),
    )
