"""payments ledger

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-25
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


IMMUTABLE_ENTRIES = """
CREATE FUNCTION reject_ledger_entry_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger_entries are immutable: % is not allowed; post a reversal', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$
"""
SYSTEM_ACCOUNTS = ("gateway_clearing", "fees", "suspense")
CURRENCIES = ("NAD", "ZAR", "USD", "EUR")


def system_account_id(kind: str, currency: str) -> uuid.UUID:
    return uuid.uuid5(uuid.NAMESPACE_URL, f"elcorp:system-account:{kind}:{currency}")


def upgrade() -> None:
    op.create_table(
        "idempotency_records",
        sa.Column("principal", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("operation", sa.Text(), nullable=False),
        sa.Column("request_hash", sa.Text(), nullable=False),
        sa.Column("outcome", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("principal", "key", name=op.f("pk_idempotency_records")),
    )
    op.create_index(
        op.f("ix_idempotency_records_created_at"),
        "idempotency_records",
        ["created_at"],
        unique=False,
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("owner_id", sa.UUID(), nullable=True),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("balance_minor", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "balance_minor >= 0 OR kind IN ('gateway_clearing', 'suspense')",
            name=op.f("ck_accounts_non_negative_balance"),
        ),
        sa.CheckConstraint(
            "currency IN ('NAD', 'ZAR', 'USD', 'EUR')", name=op.f("ck_accounts_known_currency")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_accounts_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
        sa.UniqueConstraint("owner_id", "kind", "currency", name="uq_accounts_owner_kind_currency"),
    )
    op.create_table(
        "ledger_transactions",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("from_account_id", sa.UUID(), nullable=True),
        sa.Column("to_account_id", sa.UUID(), nullable=True),
        sa.Column("reference", sa.Text(), nullable=False),
        sa.Column("initiated_by", sa.UUID(), nullable=True),
        sa.Column("failure_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("amount_minor > 0", name=op.f("ck_ledger_transactions_positive_amount")),
        sa.ForeignKeyConstraint(
            ["from_account_id"],
            ["accounts.id"],
            name=op.f("fk_ledger_transactions_from_account_id_accounts"),
        ),
        sa.ForeignKeyConstraint(
            ["to_account_id"],
            ["accounts.id"],
            name=op.f("fk_ledger_transactions_to_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_transactions")),
    )
    op.create_index(
        "ix_ledger_transactions_from_account",
        "ledger_transactions",
        ["from_account_id", "id"],
        unique=False,
    )
    op.create_index(
        "ix_ledger_transactions_to_account",
        "ledger_transactions",
        ["to_account_id", "id"],
        unique=False,
    )
    op.create_table(
        "ledger_entries",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("transaction_id", sa.UUID(), nullable=False),
        sa.Column("account_id", sa.UUID(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("currency", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_ledger_entries_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transactions.id"],
            name=op.f("fk_ledger_entries_transaction_id_ledger_transactions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ledger_entries")),
    )
    op.create_index(
        op.f("ix_ledger_entries_account_id"), "ledger_entries", ["account_id"], unique=False
    )
    op.create_index(
        op.f("ix_ledger_entries_transaction_id"), "ledger_entries", ["transaction_id"], unique=False
    )
    op.create_table(
        "transaction_events",
        sa.Column("transaction_id", sa.UUID(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["transaction_id"],
            ["ledger_transactions.id"],
            name=op.f("fk_transaction_events_transaction_id_ledger_transactions"),
        ),
        sa.PrimaryKeyConstraint("transaction_id", "seq", name=op.f("pk_transaction_events")),
    )
    op.execute(IMMUTABLE_ENTRIES)
    op.execute(
        "CREATE TRIGGER ledger_entries_immutable BEFORE UPDATE OR DELETE OR TRUNCATE "
        "ON ledger_entries FOR EACH STATEMENT EXECUTE FUNCTION reject_ledger_entry_change()"
    )
    accounts = sa.table(
        "accounts",
        sa.column("id"),
        sa.column("owner_id"),
        sa.column("kind"),
        sa.column("currency"),
        sa.column("balance_minor"),
        sa.column("created_at", sa.DateTime(timezone=True)),
    )
    op.bulk_insert(
        accounts,
        [
            {
                "id": system_account_id(kind, currency),
                "owner_id": None,
                "kind": kind,
                "currency": currency,
                "balance_minor": 0,
                "created_at": datetime.now(UTC),
            }
            for kind in SYSTEM_ACCOUNTS
            for currency in CURRENCIES
        ],
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER ledger_entries_immutable ON ledger_entries")
    op.execute("DROP FUNCTION reject_ledger_entry_change()")
    op.drop_table("transaction_events")
    op.drop_index(op.f("ix_ledger_entries_transaction_id"), table_name="ledger_entries")
    op.drop_index(op.f("ix_ledger_entries_account_id"), table_name="ledger_entries")
    op.drop_table("ledger_entries")
    op.drop_index("ix_ledger_transactions_to_account", table_name="ledger_transactions")
    op.drop_index("ix_ledger_transactions_from_account", table_name="ledger_transactions")
    op.drop_table("ledger_transactions")
    op.drop_table("accounts")
    op.drop_index(op.f("ix_idempotency_records_created_at"), table_name="idempotency_records")
    op.drop_table("idempotency_records")
