"""identity kyc

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "kyc_profiles",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("details_ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("national_id_lookup", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reviewer_id", sa.UUID(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name=op.f("fk_kyc_profiles_reviewer_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_kyc_profiles_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kyc_profiles")),
    )
    op.create_index(
        op.f("ix_kyc_profiles_national_id_lookup"),
        "kyc_profiles",
        ["national_id_lookup"],
        unique=False,
    )
    op.create_index(op.f("ix_kyc_profiles_status"), "kyc_profiles", ["status"], unique=False)
    op.create_index(op.f("ix_kyc_profiles_user_id"), "kyc_profiles", ["user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_kyc_profiles_user_id"), table_name="kyc_profiles")
    op.drop_index(op.f("ix_kyc_profiles_status"), table_name="kyc_profiles")
    op.drop_index(op.f("ix_kyc_profiles_national_id_lookup"), table_name="kyc_profiles")
    op.drop_table("kyc_profiles")
