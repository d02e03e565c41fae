"""compliance: incidents, their timelines and regulator-deadline alerts (one per kind)

Revision ID: 0015
Revises: 0013
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0015"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "incidents",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("severity", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("affected", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("opened_by", sa.UUID(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "personal_data_breach", sa.Boolean(), server_default=sa.text("false"), nullable=False
        ),
        sa.Column("breach_flagged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("regulator_notification_due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("regulator_notified_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("regulator_reference", sa.Text(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by", sa.UUID(), nullable=True),
        sa.Column("mitigated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution_summary", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("postmortem", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "severity IN ('sev1', 'sev2', 'sev3', 'sev4')", name=op.f("ck_incidents_known_severity")
        ),
        sa.CheckConstraint(
            "status <> 'closed' OR postmortem IS NOT NULL",
            name=op.f("ck_incidents_closed_with_postmortem"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'investigating', 'mitigated', 'resolved', 'closed')",
            name=op.f("ck_incidents_known_status"),
        ),
        sa.CheckConstraint(
            "NOT personal_data_breach OR regulator_notification_due_at IS NOT NULL",
            name=op.f("ck_incidents_breach_has_deadline"),
        ),
        sa.ForeignKeyConstraint(
            ["acknowledged_by"], ["users.id"], name=op.f("fk_incidents_acknowledged_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["opened_by"], ["users.id"], name=op.f("fk_incidents_opened_by_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    op.create_index(
        "ix_incidents_notification_due",
        "incidents",
        ["regulator_notification_due_at"],
        unique=False,
        postgresql_where=sa.text("personal_data_breach AND regulator_notified_at IS NULL"),
    )
    op.create_index("ix_incidents_opened_at", "incidents", ["opened_at", "id"], unique=False)
    op.create_table(
        "incident_alerts",
        sa.Column("seq", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('deadline_near', 'deadline_passed')",
            name=op.f("ck_incident_alerts_known_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_alerts_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_incident_alerts")),
        sa.UniqueConstraint("incident_id", "kind", name="uq_incident_alerts_incident_kind"),
    )
    op.create_table(
        "incident_timeline_entries",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("incident_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor_id", sa.UUID(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("from_status", sa.Text(), nullable=True),
        sa.Column("to_status", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_incident_timeline_entries_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_incident_timeline_entries_incident_id_incidents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_timeline_entries")),
    )
    op.create_index(
        "ix_incident_timeline_entries_incident",
        "incident_timeline_entries",
        ["incident_id", "id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_incident_timeline_entries_incident", table_name="incident_timeline_entries")
    op.drop_table("incident_timeline_entries")
    op.drop_table("incident_alerts")
    op.drop_index("ix_incidents_opened_at", table_name="incidents")
    op.drop_index(
        "ix_incidents_notification_due",
        table_name="incidents",
        postgresql_where=sa.text("personal_data_breach AND regulator_notified_at IS NULL"),
    )
    op.drop_table("incidents")
