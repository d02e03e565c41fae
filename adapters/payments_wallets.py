"""Payments' reaction to identity's sign-ups: every customer gets a NAD wallet."""

from collections.abc import Callable

from domain.identity.events import USER_CREATED
from domain.payments.service import WALLET_ROLES, PaymentsService
from persistence.outbox import OutboxMessage
from persistence.uow import SYSTEM, Actor, UnitOfWork


class OpenWalletOnSignUp:
    """Idempotent: a redelivered event finds the wallet already open."""

    def __init__(
        self, unit_of_work: Callable[[Actor], UnitOfWork], payments: PaymentsService
    ) -> None:
        self._unit_of_work = unit_of_work
        self._payments = payments

    async def __call__(self, message: OutboxMessage) -> None:
        if message.name != USER_CREATED or not WALLET_ROLES & set(message.payload.get("roles", ())):
            return
        async with self._unit_of_work(SYSTEM) as uow:
            await self._payments.open_wallet(uow, message.aggregate_id)
