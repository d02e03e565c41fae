"""Sign-up, sign-in, refresh and sign-out resolvers."""

from uuid import UUID

from strawberry.types import Info

from domain.identity.authentication import RefreshReuseDetected, SignedIn
from domain.identity.commands import Login, RefreshSession, Register
from domain.identity.errors import InvalidToken
from domain.identity.model import Device, Session, User
from domain.shared.errors import DomainError
from persistence.identity.sessions import SessionRepository
from resolvers.commands import run_command
from schema.ids import from_global_id


async def register(info: Info, email: str, password: str, full_name: str) -> User | DomainError:
    registration = info.context.services.registration
    return await run_command(
        info, lambda uow: registration.register(uow, Register(email, password, full_name))
    )


async def verify_email(info: Info, token: str) -> User | DomainError:
    registration = info.context.services.registration
    return await run_command(info, lambda uow: registration.verify_email(uow, token))


async def resend_verification(info: Info, email: str) -> DomainError | None:
    registration = info.context.services.registration
    return await run_command(info, lambda uow: registration.resend_verification(uow, email))


async def login(
    info: Info, email: str, password: str, device_id: str, device_name: str
) -> SignedIn | DomainError:
    authentication = info.context.services.authentication

    async def work(uow):  # type: ignore[no-untyped-def]
        device = Device(id=device_id, name=device_name)
        return await authentication.login(
            uow, Login(email, password, device, info.context.client_ip)
        )

    return await run_command(info, work)


async def refresh_session(info: Info, refresh_token: str, device_id: str) -> SignedIn | DomainError:
    authentication = info.context.services.authentication
    command = RefreshSession(refresh_token, device_id, info.context.client_ip)
    outcome = await run_command(info, lambda uow: authentication.refresh(uow, command))
    if isinstance(outcome, RefreshReuseDetected):
        return InvalidToken(
            "This refresh token was already used; the session is revoked", field="refreshToken"
        )
    return outcome


async def logout(info: Info) -> DomainError | None:
    principal = info.context.principal
    authentication = info.context.services.authentication
    return await run_command(
        info,
        lambda uow: authentication.logout(
            uow, UUID(principal.session_id), principal.token_id, principal.token_expires_at
        ),
    )


async def logout_all(info: Info) -> int | DomainError:
    principal = info.context.principal
    authentication = info.context.services.authentication

    async def work(uow):  # type: ignore[no-untyped-def]
        user = await uow.users.get(principal.subject_id)
        return await authentication.logout_all(
            uow, user, principal.token_id, principal.token_expires_at
        )

    return await run_command(info, work)


async def revoke_session(info: Info, session_global_id: str) -> Session | DomainError:
    _, session_id = from_global_id(session_global_id, "Session")
    user_id = info.context.principal.subject_id
    authentication = info.context.services.authentication
    return await run_command(
        info, lambda uow: authentication.revoke_session(uow, user_id, session_id)
    )


async def my_sessions(info: Info, first: int, after: UUID | None) -> list[Session]:
    async with info.context.services.session_factory() as db:
        return await SessionRepository(db).list_for_user(
            info.context.principal.subject_id, first, after
        )
