from datetime import datetime
from typing import Any
from uuid import UUID

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.orm import Mapped, mapped_column

from persistence.base import Base


class AccountRow(Base):
    __tablename__ = "accounts"

    id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), primary_key=True)
    owner_id: Mapped[UUID | None] = mapped_column(PgUUID(as_uuid=True), ForeignKey("users.id"))
    kind: Mapped[str] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(Text)
    balance_minor: Mapped[int] = mapped_column(BigInteger)
    held_minor: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        UniqueConstraint("owner_id", "kind", "currency", name="uq_accounts_owner_kind_currency"),
        CheckConstraint(
            "balance_minor - held_minor >= 0 OR kind IN ('gateway_clearing', 'suspense')",
            name="available_non_negative",
        ),
        CheckConstraint("held_minor >= 0", name="non_negative_hold"),
        CheckConstraint("currency IN ('NAD', 'ZAR', 'USD', 'EUR')", name="known_currency"),
    )


class LedgerTransactionRow(Base):
    __tablename__ = "ledger_transactions"

    id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), primary_key=True)
    kind: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(Text)
    from_account_id: Mapped[UUID | None] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("accounts.id")
    )
    to_account_id: Mapped[UUID | None] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("accounts.id")
    )
    reference: Mapped[str] = mapped_column(Text)
    initiated_by: Mapped[UUID | None] = mapped_column(PgUUID(as_uuid=True))
    failure_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    merchant_id: Mapped[UUID | None] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("merchants.id")
    )
    fee_minor: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    original_id: Mapped[UUID | None] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("ledger_transactions.id")
    )
    refunded_minor: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    gateway: Mapped[str | None] = mapped_column(Text)
    gateway_reference: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("amount_minor > 0", name="positive_amount"),
        CheckConstraint("fee_minor >= 0 AND fee_minor <= amount_minor", name="fee_within_amount"),
        CheckConstraint(
            "refunded_minor >= 0 AND refunded_minor <= amount_minor", name="refunds_within_amount"
        ),
        Index("ix_ledger_transactions_from_account", "from_account_id", "id"),
        Index("ix_ledger_transactions_to_account", "to_account_id", "id"),
        Index("ix_ledger_transactions_merchant", "merchant_id", "id"),
        Index("ix_ledger_transactions_original", "original_id"),
        Index(
            "uq_ledger_transactions_gateway_reference",
            "gateway",
            "gateway_reference",
            unique=True,
            postgresql_where=text("gateway_reference IS NOT NULL"),
        ),
        Index(
            "uq_ledger_transactions_one_reversal",
            "original_id",
            unique=True,
            postgresql_where=text("kind = 'reversal'"),
        ),
    )


class LedgerEntryRow(Base):
    """Immutable: a trigger created by the migration rejects UPDATE and DELETE."""

    __tablename__ = "ledger_entries"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    transaction_id: Mapped[UUID] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("ledger_transactions.id"), index=True
    )
    account_id: Mapped[UUID] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("accounts.id"), index=True
    )
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    currency: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TransactionEventRow(Base):
    __tablename__ = "transaction_events"

    transaction_id: Mapped[UUID] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("ledger_transactions.id"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TransactionFeedRow(Base):
    """Each party's own gap-free sequence of transaction events, for resumable streams.

    A user's next number comes from their row in `transaction_feed_heads`, locked until
    commit, so numbers become visible in order and a reader never skips one."""

    __tablename__ = "transaction_feed"

    user_id: Mapped[UUID] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("users.id"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    transaction_id: Mapped[UUID] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("ledger_transactions.id")
    )
    transaction_seq: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class TransactionFeedHeadRow(Base):
    __tablename__ = "transaction_feed_heads"

    user_id: Mapped[UUID] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("users.id"), primary_key=True
    )
    last_seq: Mapped[int] = mapped_column(BigInteger)


class MerchantRow(Base):
    __tablename__ = "merchants"

    id: Mapped[UUID] = mapped_column(PgUUID(as_uuid=True), primary_key=True)
    owner_id: Mapped[UUID] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("users.id"), unique=True
    )
    trading_name: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(Text)
    settlement_account_id: Mapped[UUID | None] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("accounts.id")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[UUID | None] = mapped_column(PgUUID(as_uuid=True))

    __table_args__ = (
        CheckConstraint(
            "status IN ('pending', 'approved', 'rejected', 'suspended')", name="known_status"
        ),
    )


class MerchantMemberRow(Base):
    """Users who act for a merchant: see its dashboard, refund its payments."""

    __tablename__ = "merchant_members"

    merchant_id: Mapped[UUID] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("merchants.id"), primary_key=True
    )
    user_id: Mapped[UUID] = mapped_column(
        PgUUID(as_uuid=True), ForeignKey("users.id"), primary_key=True, index=True
    )
    role: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class GatewayCallbackRow(Base):
    """Callbacks already applied: a replayed event id is acknowledged and ignored."""

    __tablename__ = "gateway_callbacks"

    gateway: Mapped[str] = mapped_column(Text, primary_key=True)
    event_id: Mapped[str] = mapped_column(Text, primary_key=True)
    gateway_reference: Mapped[str] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class IdempotencyRecordRow(Base):
    __tablename__ = "idempotency_records"

    principal: Mapped[str] = mapped_column(Text, primary_key=True)
    key: Mapped[str] = mapped_column(Text, primary_key=True)
    operation: Mapped[str] = mapped_column(Text)
    request_hash: Mapped[str] = mapped_column(Text)
    outcome: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
