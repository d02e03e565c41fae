"""Matches an imported settlement statement against the ledger, in the worker."""

from collections.abc import Callable

from domain.payments.reconciliation_service import STATEMENT_IMPORTED, ReconciliationService
from persistence.outbox import OutboxMessage
from persistence.uow import SYSTEM, Actor, UnitOfWork


class ReconcileImportedStatement:
    """Idempotent: a redelivered event finds the statement reconciled and does nothing."""

    def __init__(
        self, unit_of_work: Callable[[Actor], UnitOfWork], reconciliation: ReconciliationService
    ) -> None:
        self._unit_of_work = unit_of_work
        self._reconciliation = reconciliation

    async def __call__(self, message: OutboxMessage) -> None:
        if message.name != STATEMENT_IMPORTED:
            return
        async with self._unit_of_work(SYSTEM) as uow:
            await self._reconciliation.reconcile(uow, message.aggregate_id)
