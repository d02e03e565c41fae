"""Settlement reconciliation: a gateway's statement matched against the ledger.

Each statement line names a gateway reference; the ledger transaction with that gateway and
reference either settled for the same amount and currency (MATCHED) or it did not (a
discrepancy). Ledger transactions settled within the statement's period that no line names
are MISSING_IN_STATEMENT. Staff resolve discrepancies once, with a note."""

import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from uuid import UUID

from domain.payments.errors import InvalidState
from domain.payments.model import LedgerTransaction, TransactionStatus
from domain.payments.statements import StatementLine
from domain.shared.calendar import NAMIBIA
from domain.shared.errors import DomainError
from domain.shared.ids import new_id
from domain.shared.money import Money

SETTLED = frozenset({TransactionStatus.COMPLETED, TransactionStatus.REVERSED})
"""Money that did move through the gateway: a reversal later does not undo the settlement."""
MAX_NOTE = 500


class StatementStatus(StrEnum):
    IMPORTED = "imported"
    """Stored; the worker has not matched it yet."""
    RECONCILED = "reconciled"


class DiscrepancyKind(StrEnum):
    MATCHED = "matched"
    AMOUNT_MISMATCH = "amount_mismatch"
    CURRENCY_MISMATCH = "currency_mismatch"
    MISSING_IN_LEDGER = "missing_in_ledger"
    MISSING_IN_STATEMENT = "missing_in_statement"


class Resolution(StrEnum):
    ACCEPTED = "accepted"
    """Explained; nothing to do."""
    CORRECTED_IN_LEDGER = "corrected_in_ledger"
    WRITTEN_OFF = "written_off"
    ESCALATED = "escalated"


@dataclass(frozen=True, kw_only=True)
class SettlementStatement:
    id: UUID
    gateway: str
    status: StatementStatus
    content_sha256: str
    line_count: int
    period_start: date
    period_end: date
    """Namibian days, both inclusive: the first and the last line's settlement date."""
    imported_at: datetime
    imported_by: UUID | None
    reconciled_at: datetime | None = None

    @property
    def settled_from(self) -> datetime:
        return _namibian_midnight(self.period_start)

    @property
    def settled_before(self) -> datetime:
        return _namibian_midnight(self.period_end + timedelta(days=1))


@dataclass(frozen=True, kw_only=True)
class Discrepancy:
    """One item of a statement's report; MATCHED ones are items too, never resolvable."""

    id: UUID
    statement_id: UUID
    position: int
    """The report's order: the statement's lines first, then what the statement lacks."""
    kind: DiscrepancyKind
    reference: str
    line_no: int | None
    statement_amount: Money | None
    ledger_amount: Money | None
    transaction_id: UUID | None
    detail: str | None
    resolution: Resolution | None = None
    note: str | None = None
    resolved_at: datetime | None = None
    resolved_by: UUID | None = None

    def resolved(
        self, resolution: Resolution, note: str, by: UUID | None, at: datetime
    ) -> "Discrepancy":
        if self.kind is DiscrepancyKind.MATCHED:
            raise InvalidState("A matched item needs no resolution", field="id")
        if self.resolution is not None:
            raise InvalidState(f"This item was resolved already ({self.resolution})", field="id")
        note = note.strip()
        if not 1 <= len(note) <= MAX_NOTE:
            raise DomainError(f"The note is 1 to {MAX_NOTE} characters", field="note")
        if any(unicodedata.category(char) == "Cc" and char not in "\n\t" for char in note):
            raise DomainError("The note holds control characters", field="note")
        return replace(self, resolution=resolution, note=note, resolved_at=at, resolved_by=by)


@dataclass(frozen=True)
class DiscrepancyFilter:
    kind: DiscrepancyKind | None = None
    unresolved_only: bool = False
    """Discrepancies (not matches) nobody has resolved yet."""


@dataclass(frozen=True)
class ReconciliationSummary:
    matched: int = 0
    amount_mismatch: int = 0
    currency_mismatch: int = 0
    missing_in_ledger: int = 0
    missing_in_statement: int = 0
    unresolved: int = 0
    """Discrepancies (not matches) nobody has resolved yet."""

    @classmethod
    def of(cls, counts: Mapping[tuple[DiscrepancyKind, bool], int]) -> "ReconciliationSummary":
        """From counts by (kind, resolved)."""
        by_kind: Counter[DiscrepancyKind] = Counter()
        unresolved = 0
        for (kind, resolved), count in counts.items():
            by_kind[kind] += count
            if kind is not DiscrepancyKind.MATCHED and not resolved:
                unresolved += count
        return cls(**{kind.value: by_kind[kind] for kind in DiscrepancyKind}, unresolved=unresolved)


def reconcile(
    statement: SettlementStatement,
    lines: Sequence[StatementLine],
    ledger: Mapping[str, LedgerTransaction],
    settled_in_period: Iterable[LedgerTransaction],
) -> list[Discrepancy]:
    """The report: an item per line (`ledger` holds the transactions their references
    name), then an item per transaction settled in the period that no line names."""
    items = [_line_item(statement, line, ledger.get(line.reference)) for line in lines]
    listed = {line.reference for line in lines}
    unlisted = [t for t in settled_in_period if t.gateway_reference not in listed]
    items += [_unlisted_item(statement, transaction) for transaction in unlisted]
    return [replace(item, position=position) for position, item in enumerate(items, start=1)]


def _line_item(
    statement: SettlementStatement, line: StatementLine, found: LedgerTransaction | None
) -> Discrepancy:
    kind, detail = _verdict(line, found)
    return Discrepancy(
        id=new_id(),
        statement_id=statement.id,
        position=0,
        kind=kind,
        reference=line.reference,
        line_no=line.line_no,
        statement_amount=line.amount,
        ledger_amount=None if found is None else found.amount,
        transaction_id=None if found is None else found.id,
        detail=detail,
    )


def _verdict(
    line: StatementLine, found: LedgerTransaction | None
) -> tuple[DiscrepancyKind, str | None]:
    if found is None:
        return DiscrepancyKind.MISSING_IN_LEDGER, "No ledger transaction has this reference"
    if found.status not in SETTLED:
        return (
            DiscrepancyKind.MISSING_IN_LEDGER,
            f"The ledger has this {found.kind.value} as {found.status.value}, not settled",
        )
    if found.amount.currency is not line.amount.currency:
        return (
            DiscrepancyKind.CURRENCY_MISMATCH,
            f"The statement says {line.amount.currency}, the ledger {found.amount.currency}",
        )
    if found.amount.amount_minor != line.amount.amount_minor:
        return (
            DiscrepancyKind.AMOUNT_MISMATCH,
            f"The statement says {line.amount.display()}, the ledger {found.amount.display()}",
        )
    return DiscrepancyKind.MATCHED, None


def _unlisted_item(statement: SettlementStatement, transaction: LedgerTransaction) -> Discrepancy:
    assert transaction.gateway_reference is not None
    return Discrepancy(
        id=new_id(),
        statement_id=statement.id,
        position=0,
        kind=DiscrepancyKind.MISSING_IN_STATEMENT,
        reference=transaction.gateway_reference,
        line_no=None,
        statement_amount=None,
        ledger_amount=transaction.amount,
        transaction_id=transaction.id,
        detail=f"The ledger settled this {transaction.kind.value} within the statement's "
        "period; the statement does not list it",
    )


def _namibian_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=NAMIBIA).astimezone(UTC)
