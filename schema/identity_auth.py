"""Identity's sign-up, sign-in and session types and root fields."""

from datetime import datetime

import strawberry
from strawberry.types import Info

from domain.identity.authentication import MfaChallenge, SignedIn
from domain.identity.model import Session as DomainSession
from domain.shared.errors import DomainError
from resolvers.identity import auth
from schema.ids import to_global_id
from schema.nodes import node_type
from schema.pagination import PAGE, Connection, connection, decode_cursor, page_size
from schema.permissions import signed_in
from schema.shared import Node, UserError, to_payload


@node_type
@strawberry.type(description="A signed-in device.")
class Session(Node):
    id: strawberry.ID
    device_id: str
    device_name: str
    ip: str | None
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    current: bool

    @classmethod
    def from_domain(cls, session: DomainSession, current_id: str | None) -> "Session":
        return cls(
            id=to_global_id("Session", session.id),
            device_id=session.device.id,
            device_name=session.device.name,
            ip=session.ip,
            created_at=session.created_at,
            last_seen_at=session.last_seen_at,
            expires_at=session.expires_at,
            revoked_at=session.revoked_at,
            current=str(session.id) == current_id,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Session | None":
        return None  # sessions are listed through `mySessions`, never fetched by id


@strawberry.type(description="Credentials for API calls and for renewing them.")
class AuthTokens:
    access_token: str
    access_token_expires_at: datetime
    refresh_token: str
    token_type: str
    session: Session

    @classmethod
    def from_domain(cls, signed_in: SignedIn) -> "AuthTokens":
        return cls(
            access_token=signed_in.access.token,
            access_token_expires_at=signed_in.access.expires_at,
            refresh_token=signed_in.refresh_token,
            token_type="Bearer",
            session=Session.from_domain(signed_in.session, str(signed_in.session.id)),
        )


@strawberry.input
class DeviceInput:
    id: str
    name: str


@strawberry.input
class RegisterInput:
    email: str
    password: str
    full_name: str


@strawberry.type
class RegisterPayload:
    user_id: strawberry.ID | None = None
    errors: list[UserError]


@strawberry.input
class VerifyEmailInput:
    token: str


@strawberry.type
class VerifyEmailPayload:
    verified: bool = False
    errors: list[UserError]


@strawberry.input
class ResendVerificationInput:
    email: str


@strawberry.input
class LoginInput:
    email: str
    password: str
    device: DeviceInput


@strawberry.type
class LoginPayload:
    tokens: AuthTokens | None = None
    mfa_challenge: str | None = strawberry.field(
        default=None, description="Set when two-factor sign-in is on: pass it to completeMfaLogin."
    )
    errors: list[UserError]


@strawberry.input
class RefreshSessionInput:
    refresh_token: str
    device_id: str


@strawberry.input
class RevokeSessionInput:
    session_id: strawberry.ID


@strawberry.type
class SessionPayload:
    session: Session | None = None
    errors: list[UserError]


@strawberry.type
class DonePayload:
    ok: bool = False
    errors: list[UserError]


def tokens_payload(outcome: SignedIn | MfaChallenge | DomainError) -> LoginPayload:
    return to_payload(LoginPayload, outcome, _signed_in_fields)


def _signed_in_fields(outcome: SignedIn | MfaChallenge) -> dict[str, object]:
    if isinstance(outcome, MfaChallenge):
        return {"mfa_challenge": outcome.challenge}
    return {"tokens": AuthTokens.from_domain(outcome)}


def done(outcome: object) -> DonePayload:
    return to_payload(DonePayload, outcome, lambda _: {"ok": True})


@strawberry.type(name="Mutation")
class AuthMutation:
    @strawberry.mutation(description="Public. Creates a customer account and emails a code.")
    async def register(self, info: Info, input: RegisterInput) -> RegisterPayload:
        outcome = await auth.register(info, input.email, input.password, input.full_name)
        return to_payload(
            RegisterPayload, outcome, lambda user: {"user_id": to_global_id("User", user.id)}
        )

    @strawberry.mutation(description="Public. Confirms the email address with the emailed code.")
    async def verify_email(self, info: Info, input: VerifyEmailInput) -> VerifyEmailPayload:
        outcome = await auth.verify_email(info, input.token)
        return to_payload(VerifyEmailPayload, outcome, lambda _: {"verified": True})

    @strawberry.mutation(description="Public. Same answer whether or not the address is known.")
    async def resend_verification(self, info: Info, input: ResendVerificationInput) -> DonePayload:
        return done(await auth.resend_verification(info, input.email))

    @strawberry.mutation(description="Public. Signs in a device; RATE_LIMITED when locked.")
    async def login(self, info: Info, input: LoginInput) -> LoginPayload:
        outcome = await auth.login(
            info, input.email, input.password, input.device.id, input.device.name
        )
        return tokens_payload(outcome)

    @strawberry.mutation(description="Public. Rotates the refresh token of the same device.")
    async def refresh_session(self, info: Info, input: RefreshSessionInput) -> LoginPayload:
        return tokens_payload(
            await auth.refresh_session(info, input.refresh_token, input.device_id)
        )

    @strawberry.mutation(extensions=signed_in(), description="Ends this session.")
    async def logout(self, info: Info) -> DonePayload:
        return done(await auth.logout(info))

    @strawberry.mutation(extensions=signed_in(), description="Ends every session.")
    async def logout_all(self, info: Info) -> DonePayload:
        return done(await auth.logout_all(info))

    @strawberry.mutation(extensions=signed_in(), description="Ends one of your sessions.")
    async def revoke_session(self, info: Info, input: RevokeSessionInput) -> SessionPayload:
        outcome = await auth.revoke_session(info, input.session_id)
        current = info.context.principal.session_id
        return to_payload(
            SessionPayload, outcome, lambda s: {"session": Session.from_domain(s, current)}
        )


@strawberry.type(name="Query")
class AuthQuery:
    @strawberry.field(
        directives=PAGE,
        extensions=signed_in(),
        description="Your sessions (device, address, created, last seen), newest first.",
    )
    async def sessions(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[Session]:
        size = page_size(first)
        rows = await auth.my_sessions(info, size + 1, decode_cursor(after))
        current = info.context.principal.session_id
        return connection(
            rows, size, lambda row: row.id, lambda row: Session.from_domain(row, current)
        )
