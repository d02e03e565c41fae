"""Settlement statements, their lines and reports; the ledger facts matching needs."""

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any, TypeVar
from uuid import UUID

from sqlalchemy import ARRAY, ColumnElement, Text, any_, bindparam, insert, select, update
from sqlalchemy.dialects.postgresql import insert as upsert
from sqlalchemy.ext.asyncio import AsyncSession

from domain.payments.model import LedgerTransaction, TransactionStatus
from domain.payments.reconciliation import (
    SETTLED,
    Discrepancy,
    DiscrepancyKind,
    Resolution,
    SettlementStatement,
    StatementStatus,
)
from domain.payments.statements import StatementLine
from domain.shared.money import Currency, Money
from persistence.payments.reconciliation_tables import (
    ReconciliationItemRow,
    SettlementStatementLineRow,
    SettlementStatementRow,
)
from persistence.payments.repository import to_transaction
from persistence.payments.tables import LedgerTransactionRow, TransactionEventRow

Items = ReconciliationItemRow
Row = TypeVar("Row", SettlementStatementRow, ReconciliationItemRow)


def to_statement(row: SettlementStatementRow) -> SettlementStatement:
    return SettlementStatement(
        id=row.id,
        gateway=row.gateway,
        status=StatementStatus(row.status),
        content_sha256=row.content_sha256,
        line_count=row.line_count,
        period_start=row.period_start,
        period_end=row.period_end,
        imported_at=row.imported_at,
        imported_by=row.imported_by,
        reconciled_at=row.reconciled_at,
    )


def to_discrepancy(row: ReconciliationItemRow) -> Discrepancy:
    return Discrepancy(
        id=row.id,
        statement_id=row.statement_id,
        position=row.position,
        kind=DiscrepancyKind(row.kind),
        reference=row.reference,
        line_no=row.line_no,
        statement_amount=_money(row.statement_amount_minor, row.statement_currency),
        ledger_amount=_money(row.ledger_amount_minor, row.ledger_currency),
        transaction_id=row.transaction_id,
        detail=row.detail,
        resolution=None if row.resolution is None else Resolution(row.resolution),
        note=row.note,
        resolved_at=row.resolved_at,
        resolved_by=row.resolved_by,
    )


def _money(amount_minor: int | None, currency: str | None) -> Money | None:
    if amount_minor is None or currency is None:
        return None
    return Money(amount_minor, Currency(currency))


def _amount_columns(prefix: str, money: Money | None) -> dict[str, Any]:
    return {
        f"{prefix}_amount_minor": None if money is None else money.amount_minor,
        f"{prefix}_currency": None if money is None else money.currency.value,
    }


def _item_values(item: Discrepancy) -> dict[str, Any]:
    return {
        "id": item.id,
        "statement_id": item.statement_id,
        "position": item.position,
        "kind": item.kind.value,
        "reference": item.reference,
        "line_no": item.line_no,
        "transaction_id": item.transaction_id,
        "detail": item.detail,
        **_amount_columns("statement", item.statement_amount),
        **_amount_columns("ledger", item.ledger_amount),
    }


def _any_of(values: Collection[str]) -> ColumnElement[Any]:
    """One array parameter however many values (an IN list stops at 32,767)."""
    return any_(bindparam("values", list(values), type_=ARRAY(Text)))


class ReconciliationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def add_statement(
        self, statement: SettlementStatement, lines: Sequence[StatementLine]
    ) -> bool:
        added = await self._db.scalar(
            upsert(SettlementStatementRow)
            .values(
                id=statement.id,
                gateway=statement.gateway,
                status=statement.status.value,
                content_sha256=statement.content_sha256,
                line_count=statement.line_count,
                period_start=statement.period_start,
                period_end=statement.period_end,
                imported_at=statement.imported_at,
                imported_by=statement.imported_by,
            )
            .on_conflict_do_nothing(index_elements=[SettlementStatementRow.content_sha256])
            .returning(SettlementStatementRow.id)
        )
        if added is None:
            return False
        await self._db.execute(
            insert(SettlementStatementLineRow),
            [
                {
                    "statement_id": statement.id,
                    "line_no": line.line_no,
                    "reference": line.reference,
                    "amount_minor": line.amount.amount_minor,
                    "currency": line.amount.currency.value,
                    "settled_on": line.settled_on,
                }
                for line in lines
            ],
        )
        return True

    async def lock_statement(self, statement_id: UUID) -> SettlementStatement | None:
        row = await self._locked(SettlementStatementRow, statement_id)
        return None if row is None else to_statement(row)

    async def lines_of(self, statement_id: UUID) -> list[StatementLine]:
        rows = await self._db.scalars(
            select(SettlementStatementLineRow)
            .where(SettlementStatementLineRow.statement_id == statement_id)
            .order_by(SettlementStatementLineRow.line_no)
        )
        return [
            StatementLine(
                line_no=row.line_no,
                reference=row.reference,
                amount=Money(row.amount_minor, Currency(row.currency)),
                settled_on=row.settled_on,
            )
            for row in rows
        ]

    async def ledger_by_reference(
        self, gateway: str, references: Collection[str]
    ) -> dict[str, LedgerTransaction]:
        rows = await self._db.scalars(
            select(LedgerTransactionRow).where(
                LedgerTransactionRow.gateway == gateway,
                LedgerTransactionRow.gateway_reference == _any_of(references),
            )
        )
        return {row.gateway_reference: to_transaction(row) for row in rows if row.gateway_reference}

    async def settled_between(
        self, gateway: str, start: datetime, end: datetime
    ) -> list[LedgerTransaction]:
        """Settled is when the transaction completed: its `completed` event, which stays
        true of a transaction reversed later."""
        completed = (
            select(TransactionEventRow.transaction_id)
            .where(
                TransactionEventRow.status == TransactionStatus.COMPLETED.value,
                TransactionEventRow.occurred_at >= start,
                TransactionEventRow.occurred_at < end,
            )
            .scalar_subquery()
        )
        rows = await self._db.scalars(
            select(LedgerTransactionRow)
            .where(
                LedgerTransactionRow.gateway == gateway,
                LedgerTransactionRow.gateway_reference.is_not(None),
                LedgerTransactionRow.status.in_(sorted(status.value for status in SETTLED)),
                LedgerTransactionRow.created_at < end,
                LedgerTransactionRow.id.in_(completed),
            )
            .order_by(LedgerTransactionRow.id)
        )
        return [to_transaction(row) for row in rows]

    async def add_report(
        self, statement: SettlementStatement, items: Sequence[Discrepancy]
    ) -> None:
        if items:
            await self._db.execute(insert(Items), [_item_values(item) for item in items])
        await self._db.execute(
            update(SettlementStatementRow)
            .where(SettlementStatementRow.id == statement.id)
            .values(status=statement.status.value, reconciled_at=statement.reconciled_at)
        )

    async def lock_discrepancy(self, discrepancy_id: UUID) -> Discrepancy | None:
        row = await self._locked(Items, discrepancy_id)
        return None if row is None else to_discrepancy(row)

    async def save_resolution(self, discrepancy: Discrepancy) -> None:
        assert discrepancy.resolution is not None
        await self._db.execute(
            update(Items)
            .where(Items.id == discrepancy.id)
            .values(
                resolution=discrepancy.resolution.value,
                note=discrepancy.note,
                resolved_at=discrepancy.resolved_at,
                resolved_by=discrepancy.resolved_by,
            )
        )

    async def _locked(self, table: type[Row], row_id: UUID) -> Row | None:
        """The row as it is now, locked until the transaction ends."""
        return await self._db.scalar(
            select(table)
            .where(table.id == row_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
