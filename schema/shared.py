"""Types several subgraphs return: identical in each, so marked shareable."""

from collections.abc import Callable
from enum import Enum
from typing import Any, TypeVar

import strawberry

from domain.shared.errors import DomainError
from domain.shared.money import Currency as DomainCurrency
from domain.shared.money import Money as DomainMoney
from schema.scalars import SafeInt


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
    INSUFFICIENT_FUNDS = "INSUFFICIENT_FUNDS"
    SELF_TRANSFER = "SELF_TRANSFER"
    CURRENCY_MISMATCH = "CURRENCY_MISMATCH"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    INVALID_STATE = "INVALID_STATE"
    REFUND_EXCEEDS_PAYMENT = "REFUND_EXCEEDS_PAYMENT"
    MALFORMED_STATEMENT = "MALFORMED_STATEMENT"
    INVALID_VIN = "INVALID_VIN"
    INVALID_URL = "INVALID_URL"


@strawberry.federation.type(shareable=True, description="An expected business failure.")
class UserError:
    code: UserErrorCode
    field: list[str] | None
    message: str

    @classmethod
    def from_domain(cls, error: DomainError) -> "UserError":
        code = UserErrorCode.__members__.get(error.code.value, UserErrorCode.BAD_USER_INPUT)
        return cls(code=code, field=[error.field] if error.field else None, message=error.message)


Currency = strawberry.enum(DomainCurrency, description="ISO 4217 currencies Elcorp holds.")


@strawberry.federation.type(shareable=True, description="An amount in minor units (cents).")
class Money:
    amount_minor: SafeInt
    currency: Currency
    display: str

    @classmethod
    def from_domain(cls, money: DomainMoney) -> "Money":
        return cls(
            amount_minor=SafeInt(money.amount_minor),
            currency=money.currency,
            display=money.display(),
        )


@strawberry.interface(description="An object with a globally unique id (Relay).")
class Node:
    id: strawberry.ID


Payload = TypeVar("Payload")
Result = TypeVar("Result")


def to_payload(
    payload_type: type[Payload],
    outcome: Result | DomainError,
    fields: Callable[[Result], dict[str, Any]],
) -> Payload:
    """A mutation's payload: the result's fields, or the typed error with every result
    field left at its default (null, or false for `ok`)."""
    if isinstance(outcome, DomainError):
        return payload_type(errors=[UserError.from_domain(outcome)])  # type: ignore[call-arg]
    return payload_type(**fields(outcome), errors=[])  # type: ignore[call-arg]
