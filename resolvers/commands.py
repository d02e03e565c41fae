"""Runs a command in a unit of work and turns its outcome into what a payload needs."""

from collections.abc import Awaitable, Callable
from typing import TypeVar

from strawberry.types import Info

from domain.shared.errors import DomainError, RateLimited
from persistence.uow import UnitOfWork
from schema.errors import RateLimitExceeded

T = TypeVar("T")


async def run_command(info: Info, work: Callable[[UnitOfWork], Awaitable[T]]) -> T | DomainError:
    """A raised DomainError rolls back and comes back as a value; a returned one commits
    (the command recorded something that must stand, e.g. a lockout). Rate limits are
    top-level `RATE_LIMITED` errors with `retryAfter` seconds."""
    try:
        async with info.context.uow() as uow:
            return await work(uow)
    except RateLimited as limited:
        raise rate_limit_exceeded(limited) from None
    except DomainError as error:
        return error


def rate_limit_exceeded(limited: RateLimited) -> RateLimitExceeded:
    return RateLimitExceeded(limited.message, retryAfter=limited.retry_after_s)
