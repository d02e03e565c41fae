"""Matching a statement against the ledger, and resolving what does not match."""

import uuid
from collections.abc import Collection, Sequence
from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from domain.payments.errors import InvalidState
from domain.payments.model import LedgerTransaction, TransactionKind, TransactionStatus
from domain.payments.reconciliation import (
    Discrepancy,
    DiscrepancyKind,
    ReconciliationSummary,
    Resolution,
    SettlementStatement,
    StatementStatus,
    reconcile,
)
from domain.payments.reconciliation_service import (
    DISCREPANCY_RESOLVED,
    STATEMENT_IMPORTED,
    STATEMENT_RECONCILED,
    ImportStatement,
    ReconciliationService,
    ResolveDiscrepancy,
)
from domain.payments.statements import MalformedStatement, StatementLimits, StatementLine
from domain.shared.clock import FixedClock
from domain.shared.errors import Conflict, DomainError, NotFound
from domain.shared.events import AuditRecord, DomainEvent
from domain.shared.money import Currency, Money
from tests.unit.payments.fakes import NOW, nad

STAFF = uuid.uuid4()
LIMITS = StatementLimits(max_bytes=10_000, max_lines=100)


def ledger(reference: str, amount: Money, status: TransactionStatus) -> LedgerTransaction:
    return LedgerTransaction(
        id=uuid.uuid4(),
        kind=TransactionKind.DEPOSIT,
        status=status,
        amount=amount,
        from_account_id=uuid.uuid4(),
        to_account_id=uuid.uuid4(),
        reference="deposit",
        initiated_by=None,
        created_at=NOW,
        gateway="sandbox",
        gateway_reference=reference,
    )


def line(line_no: int, reference: str, amount: Money) -> StatementLine:
    return StatementLine(
        line_no=line_no, reference=reference, amount=amount, settled_on=date(2026, 11, 25)
    )


def statement(
    start: date = date(2026, 11, 24), end: date = date(2026, 11, 25)
) -> SettlementStatement:
    return SettlementStatement(
        id=uuid.uuid4(),
        gateway="sandbox",
        status=StatementStatus.IMPORTED,
        content_sha256="0" * 64,
        line_count=1,
        period_start=start,
        period_end=end,
        imported_at=NOW,
        imported_by=STAFF,
    )


COMPLETED, REVERSED = TransactionStatus.COMPLETED, TransactionStatus.REVERSED


def test_each_line_is_matched_by_reference_and_judged_by_status_currency_and_amount() -> None:
    found = {
        "same": ledger("same", nad(1000), COMPLETED),
        "reversed": ledger("reversed", nad(500), REVERSED),
        "short": ledger("short", nad(900), COMPLETED),
        "zar": ledger("zar", nad(700), COMPLETED),
        "both": ledger("both", nad(100), COMPLETED),
        "failed": ledger("failed", nad(1013), TransactionStatus.FAILED),
        "processing": ledger("processing", nad(1014), TransactionStatus.PROCESSING),
    }
    lines = [
        line(2, "same", nad(1000)),
        line(3, "reversed", nad(500)),
        line(4, "short", nad(1000)),
        line(5, "zar", Money(700, Currency.ZAR)),
        line(6, "both", Money(200, Currency.EUR)),
        line(7, "failed", nad(1013)),
        line(8, "processing", nad(1014)),
        line(9, "unknown", nad(50)),
    ]

    items = reconcile(statement(), lines, found, [])

    assert [(i.position, i.line_no, i.reference, i.kind) for i in items] == [
        (1, 2, "same", DiscrepancyKind.MATCHED),
        (2, 3, "reversed", DiscrepancyKind.MATCHED),
        (3, 4, "short", DiscrepancyKind.AMOUNT_MISMATCH),
        (4, 5, "zar", DiscrepancyKind.CURRENCY_MISMATCH),
        (5, 6, "both", DiscrepancyKind.CURRENCY_MISMATCH),
        (6, 7, "failed", DiscrepancyKind.MISSING_IN_LEDGER),
        (7, 8, "processing", DiscrepancyKind.MISSING_IN_LEDGER),
        (8, 9, "unknown", DiscrepancyKind.MISSING_IN_LEDGER),
    ]
    by_reference = {item.reference: item for item in items}
    short = by_reference["short"]
    assert (short.statement_amount, short.ledger_amount) == (nad(1000), nad(900))
    assert short.transaction_id == found["short"].id
    assert short.detail == "The statement says N$10.00, the ledger N$9.00"
    assert by_reference["zar"].detail == "The statement says ZAR, the ledger NAD"
    assert by_reference["failed"].detail == "The ledger has this deposit as failed, not settled"
    assert by_reference["failed"].transaction_id == found["failed"].id
    unknown = by_reference["unknown"]
    assert (unknown.ledger_amount, unknown.transaction_id) == (None, None)
    assert unknown.detail == "No ledger transaction has this reference"
    assert by_reference["same"].detail is None


def test_settled_transactions_no_line_names_are_missing_in_the_statement_after_the_lines() -> None:
    listed = ledger("listed", nad(1000), COMPLETED)
    unlisted = ledger("unlisted", nad(2500), COMPLETED)

    items = reconcile(
        statement(), [line(2, "listed", nad(1000))], {"listed": listed}, [listed, unlisted]
    )

    assert [(i.position, i.kind, i.reference) for i in items] == [
        (1, DiscrepancyKind.MATCHED, "listed"),
        (2, DiscrepancyKind.MISSING_IN_STATEMENT, "unlisted"),
    ]
    missing = items[1]
    assert (missing.statement_amount, missing.ledger_amount, missing.line_no) == (
        None,
        nad(2500),
        None,
    )
    assert missing.transaction_id == unlisted.id


def test_the_period_runs_from_the_first_days_namibian_midnight_to_the_day_after_the_last() -> None:
    period = statement(date(2026, 11, 24), date(2026, 11, 25))

    assert period.settled_from == datetime(2026, 11, 23, 22, 0, tzinfo=UTC)
    assert period.settled_before == datetime(2026, 11, 25, 22, 0, tzinfo=UTC)


def item(kind: DiscrepancyKind) -> Discrepancy:
    return Discrepancy(
        id=uuid.uuid4(),
        statement_id=uuid.uuid4(),
        position=1,
        kind=kind,
        reference="ref",
        line_no=2,
        statement_amount=nad(100),
        ledger_amount=nad(90),
        transaction_id=uuid.uuid4(),
        detail=None,
    )


def test_a_discrepancy_is_resolved_once_with_a_trimmed_note_and_who_and_when() -> None:
    resolved = item(DiscrepancyKind.AMOUNT_MISMATCH).resolved(
        Resolution.WRITTEN_OFF, "  bank fee  ", STAFF, NOW
    )

    assert (resolved.resolution, resolved.note, resolved.resolved_by, resolved.resolved_at) == (
        Resolution.WRITTEN_OFF,
        "bank fee",
        STAFF,
        NOW,
    )
    with pytest.raises(InvalidState, match="resolved already"):
        resolved.resolved(Resolution.ACCEPTED, "again", STAFF, NOW)


def test_a_note_may_span_lines_but_holds_no_other_control_characters() -> None:
    pending = item(DiscrepancyKind.MISSING_IN_LEDGER)

    resolved = pending.resolved(Resolution.ESCALATED, "line one\n\tline two", STAFF, NOW)

    assert resolved.note == "line one\n\tline two"
    with pytest.raises(DomainError, match="control characters"):
        pending.resolved(Resolution.ESCALATED, "nul\x00byte", STAFF, NOW)


def test_a_match_cannot_be_resolved() -> None:
    with pytest.raises(InvalidState, match="matched"):
        item(DiscrepancyKind.MATCHED).resolved(Resolution.ACCEPTED, "fine", STAFF, NOW)


@pytest.mark.parametrize("note", ["", "   ", "x" * 501])
def test_a_resolution_needs_a_note_of_1_to_500_characters(note: str) -> None:
    with pytest.raises(DomainError, match="1 to 500") as refused:
        item(DiscrepancyKind.MISSING_IN_LEDGER).resolved(Resolution.ACCEPTED, note, STAFF, NOW)

    assert refused.value.field == "note"


def test_the_summary_counts_each_kind_and_what_is_unresolved() -> None:
    summary = ReconciliationSummary.of(
        {
            (DiscrepancyKind.MATCHED, False): 4,
            (DiscrepancyKind.AMOUNT_MISMATCH, False): 2,
            (DiscrepancyKind.AMOUNT_MISMATCH, True): 1,
            (DiscrepancyKind.MISSING_IN_STATEMENT, True): 3,
        }
    )

    assert summary == ReconciliationSummary(
        matched=4, amount_mismatch=3, missing_in_statement=3, unresolved=2
    )


class InMemoryReconciliation:
    def __init__(self, *transactions: LedgerTransaction) -> None:
        self.transactions = list(transactions)
        self.statements: dict[UUID, SettlementStatement] = {}
        self.lines: dict[UUID, list[StatementLine]] = {}
        self.items: dict[UUID, Discrepancy] = {}

    async def add_statement(
        self, statement: SettlementStatement, lines: Sequence[StatementLine]
    ) -> bool:
        if any(s.content_sha256 == statement.content_sha256 for s in self.statements.values()):
            return False
        self.statements[statement.id] = statement
        self.lines[statement.id] = list(lines)
        return True

    async def lock_statement(self, statement_id: UUID) -> SettlementStatement | None:
        return self.statements.get(statement_id)

    async def lines_of(self, statement_id: UUID) -> list[StatementLine]:
        return self.lines[statement_id]

    async def ledger_by_reference(
        self, gateway: str, references: Collection[str]
    ) -> dict[str, LedgerTransaction]:
        return {
            t.gateway_reference: t
            for t in self.transactions
            if t.gateway == gateway and t.gateway_reference in references and t.gateway_reference
        }

    async def settled_between(
        self, gateway: str, start: datetime, end: datetime
    ) -> list[LedgerTransaction]:
        return [
            t
            for t in self.transactions
            if t.gateway == gateway and t.status is COMPLETED and start <= t.created_at < end
        ]

    async def add_report(
        self, statement: SettlementStatement, items: Sequence[Discrepancy]
    ) -> None:
        self.statements[statement.id] = statement
        self.items.update({i.id: i for i in items})

    async def lock_discrepancy(self, discrepancy_id: UUID) -> Discrepancy | None:
        return self.items.get(discrepancy_id)

    async def save_resolution(self, discrepancy: Discrepancy) -> None:
        self.items[discrepancy.id] = discrepancy


class FakeReconciliationUnitOfWork:
    def __init__(self, *transactions: LedgerTransaction) -> None:
        self.reconciliation = InMemoryReconciliation(*transactions)
        self.events: list[DomainEvent] = []

    def record(self, event: DomainEvent) -> None:
        self.events.append(event)

    def audit(self, record: AuditRecord) -> None:
        pass


CSV = b"reference,amount,currency,date\nsandbox_ch_1,10.00,NAD,2026-11-25\n"


def importing(content: bytes = CSV, gateway: str = "sandbox") -> ImportStatement:
    return ImportStatement(gateway=gateway, content=content, imported_by=STAFF)


async def test_an_imported_statement_is_matched_once_and_records_its_events() -> None:
    service = ReconciliationService(FixedClock(NOW), ["sandbox"], LIMITS)
    deposit = ledger("sandbox_ch_1", nad(1000), COMPLETED)
    uow = FakeReconciliationUnitOfWork(deposit, ledger("sandbox_ch_2", nad(5), COMPLETED))

    imported = await service.import_statement(uow, importing())
    first = await service.reconcile(uow, imported.id)
    again = await service.reconcile(uow, imported.id)

    assert (imported.status, imported.line_count, imported.period_start) == (
        StatementStatus.IMPORTED,
        1,
        date(2026, 11, 25),
    )
    assert (first, again) == (True, False)
    assert uow.reconciliation.statements[imported.id].status is StatementStatus.RECONCILED
    assert sorted((i.kind, i.reference) for i in uow.reconciliation.items.values()) == [
        (DiscrepancyKind.MATCHED, "sandbox_ch_1"),
        (DiscrepancyKind.MISSING_IN_STATEMENT, "sandbox_ch_2"),
    ]
    assert [e.name for e in uow.events] == [STATEMENT_IMPORTED, STATEMENT_RECONCILED]
    assert uow.events[0].payload["line_count"] == 1
    assert uow.events[1].payload["counts"] == {"matched": 1, "missing_in_statement": 1}
    assert not any(e.broadcast for e in uow.events)


async def test_the_same_file_twice_an_unknown_gateway_and_bad_lines_are_refused() -> None:
    service = ReconciliationService(FixedClock(NOW), ["sandbox"], LIMITS)
    uow = FakeReconciliationUnitOfWork()
    await service.import_statement(uow, importing())

    with pytest.raises(Conflict):
        await service.import_statement(uow, importing())
    with pytest.raises(NotFound) as unknown:
        await service.import_statement(uow, importing(gateway="paypal"))
    with pytest.raises(MalformedStatement):
        await service.import_statement(uow, importing(CSV + b"x,1,NAD\n"))
    assert unknown.value.field == "gateway"
    assert len(uow.reconciliation.statements) == 1


async def test_the_settlement_date_may_be_today_in_namibia_while_it_is_yesterday_in_utc() -> None:
    late_evening = datetime(2026, 11, 24, 22, 30, tzinfo=UTC)  # already the 25th in Windhoek
    service = ReconciliationService(FixedClock(late_evening), ["sandbox"], LIMITS)

    imported = await service.import_statement(FakeReconciliationUnitOfWork(), importing())

    assert imported.period_end == date(2026, 11, 25)


async def test_resolving_records_ids_kinds_and_amounts_but_not_the_note() -> None:
    clock = FixedClock(NOW)
    service = ReconciliationService(clock, ["sandbox"], LIMITS)
    uow = FakeReconciliationUnitOfWork(ledger("sandbox_ch_1", nad(900), COMPLETED))
    imported = await service.import_statement(uow, importing())
    await service.reconcile(uow, imported.id)
    (mismatch,) = uow.reconciliation.items.values()
    clock.advance(timedelta(hours=1))

    resolved = await service.resolve(
        uow,
        ResolveDiscrepancy(
            discrepancy_id=mismatch.id,
            resolution=Resolution.CORRECTED_IN_LEDGER,
            note="Ada Lovelace called about it",
            resolved_by=STAFF,
        ),
    )

    assert resolved.resolved_at == NOW + timedelta(hours=1)
    assert uow.reconciliation.items[mismatch.id] == resolved
    event = uow.events[-1]
    assert (event.name, event.aggregate_type, event.aggregate_id) == (
        DISCREPANCY_RESOLVED,
        "Discrepancy",
        mismatch.id,
    )
    assert event.payload == {
        "statement_id": str(imported.id),
        "kind": "amount_mismatch",
        "resolution": "corrected_in_ledger",
        "reference": "sandbox_ch_1",
        "transaction_id": str(mismatch.transaction_id),
        "resolved_by": str(STAFF),
        "statement_amount_minor": 1000,
        "statement_currency": "NAD",
        "ledger_amount_minor": 900,
        "ledger_currency": "NAD",
    }
    assert "Ada" not in str(event.payload)


async def test_resolving_an_unknown_item_is_not_found() -> None:
    service = ReconciliationService(FixedClock(NOW), ["sandbox"], LIMITS)
    command = ResolveDiscrepancy(
        discrepancy_id=uuid.uuid4(), resolution=Resolution.ACCEPTED, note="n", resolved_by=None
    )

    with pytest.raises(NotFound):
        await service.resolve(FakeReconciliationUnitOfWork(), command)
