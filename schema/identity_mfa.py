"""Two-factor sign-in: TOTP enrolment, backup codes, and completing a challenged login."""

import strawberry
from strawberry.types import Info

from domain.identity.mfa import Enrollment
from resolvers.identity import mfa
from schema.identity_auth import DonePayload, LoginPayload, done, tokens_payload
from schema.permissions import signed_in, step_up
from schema.shared import UserError


@strawberry.type
class BeginTotpEnrollmentPayload:
    otpauth_uri: str | None
    qr_code_svg: str | None = strawberry.field(description="An SVG data URI of the otpauth URI.")
    errors: list[UserError]


@strawberry.input
class ConfirmTotpEnrollmentInput:
    code: str


@strawberry.type
class BackupCodesPayload:
    backup_codes: list[str] | None = strawberry.field(
        description="Shown once; each works once. Store them somewhere safe."
    )
    errors: list[UserError]


@strawberry.input
class CompleteMfaLoginInput:
    challenge: str
    code: str | None = None
    backup_code: str | None = None


def _codes(outcome: list[str] | Exception) -> BackupCodesPayload:
    if isinstance(outcome, Exception):
        return BackupCodesPayload(backup_codes=None, errors=[UserError.from_domain(outcome)])  # type: ignore[arg-type]
    return BackupCodesPayload(backup_codes=outcome, errors=[])


@strawberry.type(name="Mutation")
class MfaMutation:
    @strawberry.mutation(extensions=signed_in())
    async def begin_totp_enrollment(self, info: Info) -> BeginTotpEnrollmentPayload:
        outcome = await mfa.begin_enrollment(info)
        if isinstance(outcome, Enrollment):
            return BeginTotpEnrollmentPayload(
                otpauth_uri=outcome.otpauth_uri, qr_code_svg=outcome.qr_code, errors=[]
            )
        return BeginTotpEnrollmentPayload(
            otpauth_uri=None, qr_code_svg=None, errors=[UserError.from_domain(outcome)]
        )

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
