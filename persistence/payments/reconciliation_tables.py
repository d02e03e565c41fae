from datetime import date, datetime
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.orm import Mapped, mapped_column

from persistence.base import Base

KNOWN_CURRENCIES = "('NAD', 'ZAR', 'USD', 'EUR')"


def _money_check(prefix: str, name: str) -> CheckConstraint:
    """An optional amount: both columns or neither, positive, in a currency we hold."""
    return CheckConstraint(
        f"({prefix}_amount_minor IS NULL AND {prefix}_currency IS NULL) OR "
        f"({prefix}_amount_minor > 0 AND {prefix}_currency IN {KNOWN_CURRENCIES})",
        name=name,
    )


class SettlementStatementRow(Base):
    __tablename__ = "settlement_statements"

    id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), primary_key=True)
    gateway: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    content_sha256: Mapped[str] = mapped_column(Text, unique=True)
    line_count: Mapped[int] = mapped_column(Integer)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    imported_by: Mapped[UUID | None] = mapped_column(PgUUID(as_uuid=True))
    reconciled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("status IN ('imported', 'reconciled')", name="known_status"),
        CheckConstraint("content_sha256 ~ '^[0-9a-f]{64}$'", name="sha256_hex"),
        CheckConstraint("line_count > 0", name="has_lines"),
        CheckConstraint("period_end >= period_start", name="period_in_order"),
        CheckConstraint(
            "(status = 'reconciled') = (reconciled_at IS NOT NULL)", name="reconciled_when"
        ),
    )


class SettlementStatementLineRow(Base):
    """A statement's lines as imported; kept so the report can always be traced back."""

    __tablename__ = "settlement_statement_lines"

    statement_id: Mapped[UUID] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("settlement_statements.id"), primary_key=True
    )
    line_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(Text)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(Text)
    settled_on: Mapped[date] = mapped_column(Date)

    __table_args__ = (
        UniqueConstraint(
            "statement_id", "reference", name="uq_settlement_statement_lines_reference"
        ),
        CheckConstraint("line_no > 1", name="after_header"),
        CheckConstraint("char_length(reference) BETWEEN 1 AND 200", name="reference_length"),
        CheckConstraint("amount_minor > 0", name="positive_amount"),
        CheckConstraint(f"currency IN {KNOWN_CURRENCIES}", name="known_currency"),
    )


class ReconciliationItemRow(Base):
    """One item of a statement's report, in `position` order; resolved at most once."""

    __tablename__ = "reconciliation_items"

    id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), primary_key=True)
    statement_id: Mapped[UUID] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("settlement_statements.id")
    )
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(Text)
    reference: Mapped[str] = mapped_column(Text)
    line_no: Mapped[int | None] = mapped_column(Integer)
    statement_amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    statement_currency: Mapped[str | None] = mapped_column(Text)
    ledger_amount_minor: Mapped[int | None] = mapped_column(BigInteger)
    ledger_currency: Mapped[str | None] = mapped_column(Text)
    transaction_id: Mapped[UUID | None] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("ledger_transactions.id")
    )
    detail: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by: Mapped[UUID | None] = mapped_column(PgUUID(as_uuid=True))

    __table_args__ = (
        UniqueConstraint("statement_id", "position", name="uq_reconciliation_items_position"),
        Index("ix_reconciliation_items_kind", "statement_id", "kind", "position"),
        CheckConstraint(
            "kind IN ('matched', 'amount_mismatch', 'currency_mismatch', "
            "'missing_in_ledger', 'missing_in_statement')",
            name="known_kind",
        ),
        _money_check("statement", "statement_amount"),
        _money_check("ledger", "ledger_amount"),
        CheckConstraint(
            "(kind = 'missing_in_statement') = (statement_amount_minor IS NULL)",
            name="statement_side",
        ),
        CheckConstraint(
            "kind = 'missing_in_ledger' OR transaction_id IS NOT NULL", name="ledger_side"
        ),
        CheckConstraint(
            "resolution IS NULL OR resolution IN "
            "('accepted', 'corrected_in_ledger', 'written_off', 'escalated')",
            name="known_resolution",
        ),
        CheckConstraint(
            "(resolution IS NULL) = (note IS NULL) AND "
            "(resolution IS NULL) = (resolved_at IS NULL)",
            name="resolved_with_note",
        ),
        CheckConstraint("kind <> 'matched' OR resolution IS NULL", name="matches_unresolved"),
        CheckConstraint("char_length(note) BETWEEN 1 AND 500", name="note_length"),
    )
