"""Money-moving mutations run once per (principal, idempotency key).

Same key and input: the stored outcome is replayed. Same key, other input:
IDEMPOTENCY_KEY_REUSED. A concurrent duplicate waits on the key's row until the first
commits, then replays it. Deadlocks and serialization failures retry the whole command.
"""

import hashlib
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

import orjson
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from strawberry.types import Info

from domain.payments.errors import IdempotencyKeyReused
from domain.payments.model import LedgerTransaction
from domain.shared.errors import DomainError, ErrorCode
from persistence.db import sqlstate, timed_out
from persistence.uow import UnitOfWork
from schema.errors import BadUserInput, ServiceUnavailable

RETRYABLE = frozenset({"40001", "40P01"})

ATTEMPTS = 5
MAX_KEY = 100

Command = Callable[[UnitOfWork], Awaitable[LedgerTransaction]]


def request_hash(operation: str, request: dict[str, Any]) -> str:
    body = orjson.dumps({"operation": operation, "request": request}, option=orjson.OPT_SORT_KEYS)
    return hashlib.sha256(body).hexdigest()


async def run_idempotent(
    info: Info, key: str, operation: str, request: dict[str, Any], command: Command
) -> LedgerTransaction | DomainError:
    if not 1 <= len(key) <= MAX_KEY or not key.isprintable():
        raise BadUserInput(f"idempotencyKey must be 1 to {MAX_KEY} printable characters")
    principal = info.context.principal.audit_name
    fingerprint = request_hash(operation, request)
    for attempt in range(ATTEMPTS):
        try:
            return await _once(info, principal, key, operation, fingerprint, command)
        except DBAPIError as error:
            if timed_out(error):
                raise ServiceUnavailable(
                    "The account is busy; nothing was done, try again", retryAfter=1
                ) from None
            if sqlstate(error) not in RETRYABLE or attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


async def _once(
    info: Info, principal: str, key: str, operation: str, fingerprint: str, command: Command
) -> LedgerTransaction | DomainError:
    now = info.context.services.clock.now()
    async with info.context.uow() as uow:
        # Money commands on one busy wallet queue on its row lock: they may wait longer
        # than the general statement timeout, up to `money_lock_wait_s`.
        wait_ms = int(info.context.services.settings.money_lock_wait_s * 1000)
        await uow.session.execute(text(f"SET LOCAL statement_timeout = {wait_ms}"))
        stored = await uow.idempotency.claim(principal, key, operation, fingerprint, now)
        if stored is not None:
            if stored.request_hash != fingerprint:
                return IdempotencyKeyReused(
                    "This idempotency key was used for a different request", field="idempotencyKey"
                )
            return await _replay(uow, stored.outcome)
        result: LedgerTransaction | DomainError
        try:
            async with uow.savepoint():
                result = await command(uow)
            outcome: dict[str, Any] = {"transaction_id": str(result.id)}
        except DomainError as error:
            result = error
            outcome = {
                "error": {"code": error.code.value, "field": error.field, "message": error.message}
            }
        await uow.idempotency.complete(principal, key, outcome)
    return result


async def _replay(uow: UnitOfWork, outcome: dict[str, Any]) -> LedgerTransaction | DomainError:
    if "transaction_id" in outcome:
        transaction = await uow.ledger.get(UUID(outcome["transaction_id"]))
        assert transaction is not None
        return transaction
    error = outcome["error"]
    return DomainError(error["message"], code=ErrorCode(error["code"]), field=error["field"])
