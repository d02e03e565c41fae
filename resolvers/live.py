"""What every live subscription shares: the listener is re-checked before each event, and a
stream ends when they may no longer listen (a WebSocket closes with 4403)."""

import asyncio
from collections.abc import Sequence
from typing import NoReturn

from starlette.websockets import WebSocket
from strawberry.types import Info

from auth.middleware import AuthenticationFailed, AuthenticationUnavailable
from schema.errors import Forbidden, ServiceUnavailable

FORBIDDEN_CLOSE_CODE = 4403


async def reauthorize(info: Info, scopes: Sequence[str] = ()) -> None:
    """The principal as it stands now, with fresh loaders for the next events; a stream that
    needs `scopes` ends once the principal no longer holds every one of them."""
    context = info.context
    try:
        principal = await context.services.authenticator.recheck(context.principal)
    except AuthenticationFailed:
        await _end_forbidden(info)
    except AuthenticationUnavailable:
        raise ServiceUnavailable("Authorization checks are unavailable; subscribe again") from None
    context.refresh(principal)
    if scopes and not principal.has_any_scope_set([scopes]):
        await _end_forbidden(info)


async def _end_forbidden(info: Info) -> NoReturn:
    connection = info.context.request
    if isinstance(connection, WebSocket):
        await connection.close(code=FORBIDDEN_CLOSE_CODE, reason="Forbidden")
        await asyncio.Event().wait()  # the closed connection cancels its operations
    raise Forbidden("Your session has ended")


def recheck_interval(info: Info) -> float:
    """How long a quiet stream waits before looking again (missed wake-ups, revocations)."""
    return float(info.context.services.settings.live_recheck_s)
