"""Importing settlement statements, matching them in the worker, resolving discrepancies."""

from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Protocol
from uuid import UUID

from domain.payments.model import LedgerTransaction
from domain.payments.reconciliation import (
    Discrepancy,
    Resolution,
    SettlementStatement,
    StatementStatus,
    reconcile,
)
from domain.payments.statements import StatementLimits, StatementLine, parse_statement
from domain.shared.calendar import NAMIBIA
from domain.shared.clock import Clock
from domain.shared.errors import Conflict, NotFound
from domain.shared.events import DomainEvent
from domain.shared.ids import new_id
from domain.shared.money import Money
from domain.shared.ports import EventRecorder

STATEMENT_IMPORTED = "payments.settlement_statement_imported"
STATEMENT_RECONCILED = "payments.settlement_statement_reconciled"
DISCREPANCY_RESOLVED = "payments.discrepancy_resolved"


@dataclass(frozen=True, kw_only=True)
class ImportStatement:
    gateway: str
    content: bytes
    imported_by: UUID | None


@dataclass(frozen=True, kw_only=True)
class ResolveDiscrepancy:
    discrepancy_id: UUID
    resolution: Resolution
    note: str
    resolved_by: UUID | None


class ReconciliationRepository(Protocol):
    async def add_statement(
        self, statement: SettlementStatement, lines: Sequence[StatementLine]
    ) -> bool:
        """False when a statement with the same content was imported already."""

    async def lock_statement(self, statement_id: UUID) -> SettlementStatement | None: ...

    async def lines_of(self, statement_id: UUID) -> list[StatementLine]: ...

    async def ledger_by_reference(
        self, gateway: str, references: Collection[str]
    ) -> dict[str, LedgerTransaction]: ...

    async def settled_between(
        self, gateway: str, start: datetime, end: datetime
    ) -> list[LedgerTransaction]:
        """Transactions with a gateway reference whose money settled in [start, end)."""

    async def add_report(
        self, statement: SettlementStatement, items: Sequence[Discrepancy]
    ) -> None:
        """Stores the items and the statement's new status."""

    async def lock_discrepancy(self, discrepancy_id: UUID) -> Discrepancy | None: ...

    async def save_resolution(self, discrepancy: Discrepancy) -> None: ...


class ReconciliationUnitOfWork(EventRecorder, Protocol):
    @property
    def reconciliation(self) -> ReconciliationRepository: ...


class ReconciliationService:
    def __init__(self, clock: Clock, gateways: Collection[str], limits: StatementLimits) -> None:
        self._clock = clock
        self._gateways = frozenset(gateways)
        self.limits = limits

    async def import_statement(
        self, uow: ReconciliationUnitOfWork, command: ImportStatement
    ) -> SettlementStatement:
        """Stores a valid statement for the worker to match; the same file twice is a
        Conflict, and a malformed one stores nothing."""
        if command.gateway not in self._gateways:
            raise NotFound(f"No gateway called {command.gateway[:40]!r}", field="gateway")
        now = self._clock.now()
        parsed = parse_statement(command.content, self.limits, now.astimezone(NAMIBIA).date())
        period_start, period_end = parsed.period
        statement = SettlementStatement(
            id=new_id(),
            gateway=command.gateway,
            status=StatementStatus.IMPORTED,
            content_sha256=parsed.content_sha256,
            line_count=len(parsed.lines),
            period_start=period_start,
            period_end=period_end,
            imported_at=now,
            imported_by=command.imported_by,
        )
        if not await uow.reconciliation.add_statement(statement, parsed.lines):
            raise Conflict("This statement was imported already", field="csv")
        uow.record(
            self._event(
                STATEMENT_IMPORTED,
                statement,
                {
                    "gateway": statement.gateway,
                    "line_count": statement.line_count,
                    "content_sha256": statement.content_sha256,
                    "period_start": statement.period_start.isoformat(),
                    "period_end": statement.period_end.isoformat(),
                },
            )
        )
        return statement

    async def reconcile(self, uow: ReconciliationUnitOfWork, statement_id: UUID) -> bool:
        """Matches an imported statement; False (and nothing done) when it was already."""
        repository = uow.reconciliation
        statement = await repository.lock_statement(statement_id)
        if statement is None or statement.status is not StatementStatus.IMPORTED:
            return False
        lines = await repository.lines_of(statement.id)
        ledger = await repository.ledger_by_reference(
            statement.gateway, [line.reference for line in lines]
        )
        settled = await repository.settled_between(
            statement.gateway, statement.settled_from, statement.settled_before
        )
        items = reconcile(statement, lines, ledger, settled)
        reconciled = replace(
            statement, status=StatementStatus.RECONCILED, reconciled_at=self._clock.now()
        )
        await repository.add_report(reconciled, items)
        counts = Counter(item.kind.value for item in items)
        uow.record(self._event(STATEMENT_RECONCILED, reconciled, {"counts": dict(counts)}))
        return True

    async def resolve(
        self, uow: ReconciliationUnitOfWork, command: ResolveDiscrepancy
    ) -> Discrepancy:
        found = await uow.reconciliation.lock_discrepancy(command.discrepancy_id)
        if found is None:
            raise NotFound("No reconciliation item has that id", field="id")
        resolved = found.resolved(
            command.resolution, command.note, command.resolved_by, self._clock.now()
        )
        await uow.reconciliation.save_resolution(resolved)
        uow.record(
            DomainEvent(
                name=DISCREPANCY_RESOLVED,
                aggregate_type="Discrepancy",
                aggregate_id=resolved.id,
                occurred_at=self._clock.now(),
                payload=_resolution_payload(resolved),
                broadcast=False,
            )
        )
        return resolved

    def _event(
        self, name: str, statement: SettlementStatement, extra: Mapping[str, Any]
    ) -> DomainEvent:
        return DomainEvent(
            name=name,
            aggregate_type="SettlementStatement",
            aggregate_id=statement.id,
            occurred_at=self._clock.now(),
            payload={"status": statement.status.value, **extra},
            broadcast=False,
        )


def _resolution_payload(item: Discrepancy) -> dict[str, Any]:
    """Ids, kinds and amounts: the free-text note stays on the item, out of events and audit."""
    return {
        "statement_id": str(item.statement_id),
        "kind": item.kind.value,
        "resolution": item.resolution.value if item.resolution else None,
        "reference": item.reference,
        "transaction_id": str(item.transaction_id) if item.transaction_id else None,
        "resolved_by": str(item.resolved_by) if item.resolved_by else None,
        **_amount("statement", item.statement_amount),
        **_amount("ledger", item.ledger_amount),
    }


def _amount(side: str, money: Money | None) -> dict[str, Any]:
    if money is None:
        return {f"{side}_amount_minor": None, f"{side}_currency": None}
    return {f"{side}_amount_minor": money.amount_minor, f"{side}_currency": money.currency.value}
