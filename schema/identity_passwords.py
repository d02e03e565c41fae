import strawberry
from strawberry.types import Info

from resolvers.identity import passwords
from schema.identity_auth import DonePayload, done
from schema.permissions import signed_in


@strawberry.input
class RequestPasswordResetInput:
    email: str


@strawberry.input
class ResetPasswordInput:
    token: str
    new_password: str


@strawberry.input
class ChangePasswordInput:
    current_password: str
    new_password: str


@strawberry.type(name="Mutation")
class PasswordMutation:
    @strawberry.mutation(description="Public. Same answer whether or not the address is known.")
    async def request_password_reset(
        self, info: Info, input: RequestPasswordResetInput
    ) -> DonePayload:
        return done(await passwords.request_reset(info, input.email))

    @strawberry.mutation(description="Public. Sets a new password and ends every session.")
    async def reset_password(self, info: Info, input: ResetPasswordInput) -> DonePayload:
        return done(await passwords.reset(info, input.token, input.new_password))

    @strawberry.mutation(extensions=signed_in(), description="Ends every other session.")
    async def change_password(self, info: Info, input: ChangePasswordInput) -> DonePayload:
        return done(await passwords.change(info, input.current_password, input.new_password))
