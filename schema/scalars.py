"""Custom scalars, mapped in every schema's config (`SCALARS`)."""

from typing import NewType

import strawberry

SAFE_INT_MAX = 2**53 - 1

SafeInt = NewType("SafeInt", int)


def _safe_int(value: object) -> SafeInt:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("SafeInt takes a whole number")
    if abs(value) > SAFE_INT_MAX:
        raise ValueError(f"SafeInt is at most {SAFE_INT_MAX} in magnitude")
    return SafeInt(value)


SCALARS = {
    SafeInt: strawberry.scalar(
        name="SafeInt",
        description=(
            "A whole number up to 2^53 - 1 in magnitude, as a JSON number: exact in "
            "JavaScript, where GraphQL's Int stops at 2^31 - 1. Amounts in minor units use it."
        ),
        specified_by_url="https://the-guild.dev/graphql/scalars/docs/scalars/safe-int",
        serialize=_safe_int,
        parse_value=_safe_int,
    )
}
