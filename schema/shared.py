"""Types several subgraphs return: identical in each, so marked shareable."""

from enum import Enum

import strawberry

from domain.shared.errors import DomainError


@strawberry.enum(description="Why a mutation could not do what was asked.")
class UserErrorCode(Enum):
    BAD_USER_INPUT = "BAD_USER_INPUT"
    NOT_FOUND = "NOT_FOUND"
    CONFLICT = "CONFLICT"
    FORBIDDEN = "FORBIDDEN"
    INVALID_CREDENTIALS = "INVALID_CREDENTIALS"
    EMAIL_NOT_VERIFIED = "EMAIL_NOT_VERIFIED"
    INVALID_TOKEN = "INVALID_TOKEN"
    WEAK_PASSWORD = "WEAK_PASSWORD"


@strawberry.federation.type(shareable=True, description="An expected business failure.")
class UserError:
    code: UserErrorCode
    field: list[str] | None
    message: str

    @classmethod
    def from_domain(cls, error: DomainError) -> "UserError":
        code = UserErrorCode.__members__.get(error.code.value, UserErrorCode.BAD_USER_INPUT)
        return cls(code=code, field=[error.field] if error.field else None, message=error.message)


@strawberry.interface(description="An object with a globally unique id (Relay).")
class Node:
    id: strawberry.ID
