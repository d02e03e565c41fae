"""Two-factor sign-in: TOTP enrolment, backup codes, and completing a challenged login."""

import strawberry
from strawberry.types import Info

from domain.identity.mfa import Enrollment
from domain.shared.errors import DomainError
from resolvers.identity import mfa
from schema.identity_auth import DonePayload, LoginPayload, done, tokens_payload
from schema.permissions import signed_in, step_up
from schema.shared import UserError, to_payload


@strawberry.type
class BeginTotpEnrollmentPayload:
    otpauth_uri: str | None = None
    qr_code_svg: str | None = strawberry.field(
        default=None, description="An SVG data URI of the otpauth URI."
    )
    errors: list[UserError]


@strawberry.input
class ConfirmTotpEnrollmentInput:
    code: str


@strawberry.type
class BackupCodesPayload:
    backup_codes: list[str] | None = strawberry.field(
        default=None, description="Shown once; each works once. Store them somewhere safe."
    )
    errors: list[UserError]


@strawberry.input
class CompleteMfaLoginInput:
    challenge: str
    code: str | None = None
    backup_code: str | None = None


def _codes(outcome: list[str] | DomainError) -> BackupCodesPayload:
    return to_payload(BackupCodesPayload, outcome, lambda codes: {"backup_codes": codes})


def _enrollment(enrollment: Enrollment) -> dict[str, object]:
    return {"otpauth_uri": enrollment.otpauth_uri, "qr_code_svg": enrollment.qr_code}


@strawberry.type(name="Mutation")
class MfaMutation:
    @strawberry.mutation(extensions=signed_in())
    async def begin_totp_enrollment(self, info: Info) -> BeginTotpEnrollmentPayload:
        return to_payload(BeginTotpEnrollmentPayload, await mfa.begin_enrollment(info), _enrollment)

    @strawberry.mutation(extensions=signed_in(), description="Turns two-factor sign-in on.")
    async def confirm_totp_enrollment(
        self, info: Info, input: ConfirmTotpEnrollmentInput
    ) -> BackupCodesPayload:
        return _codes(await mfa.confirm_enrollment(info, input.code))

    @strawberry.mutation(extensions=step_up(), description="Needs a fresh second factor.")
    async def disable_totp(self, info: Info) -> DonePayload:
        return done(await mfa.disable(info))

    @strawberry.mutation(extensions=step_up(), description="Replaces every backup code.")
    async def regenerate_backup_codes(self, info: Info) -> BackupCodesPayload:
        return _codes(await mfa.regenerate_backup_codes(info))

    @strawberry.mutation(
        description="Public. The second step of a login that returned a challenge."
    )
    async def complete_mfa_login(self, info: Info, input: CompleteMfaLoginInput) -> LoginPayload:
        return tokens_payload(
            await mfa.complete_login(info, input.challenge, input.code, input.backup_code)
        )
