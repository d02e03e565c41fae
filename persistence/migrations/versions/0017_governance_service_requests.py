"""governance: role grants (maker-checker), service requests with comments and history,
SLA policies (seeded from DOMAIN.md's targets) and alerts; `sla:manage` for admins

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HOUR = 3_600
DAY = 24 * HOUR
TARGETS = {
    "critical": (HOUR, 4 * HOUR),
    "high": (4 * HOUR, DAY),
    "medium": (DAY, 3 * DAY),
    "low": (3 * DAY, 10 * DAY),
}
"""(first response, resolution) in seconds by priority; every request type starts alike."""
REQUEST_TYPES = ("account", "payment", "kyc", "merchant", "technical", "other")
ADMIN_PERMISSIONS = ("sla:manage",)
HISTORY_IS_APPEND_ONLY = (
    """
CREATE FUNCTION reject_service_request_change_edit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'service_request_changes is append-only';
END $$
""",
    """
CREATE TRIGGER service_request_changes_append_only BEFORE UPDATE OR DELETE OR TRUNCATE
  ON service_request_changes FOR EACH STATEMENT
  EXECUTE FUNCTION reject_service_request_change_edit()
""",
)


def upgrade() -> None:
    op.create_table(
        "role_grants",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("user_id", sa.UUID(), nullable=False),
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("requested_by", sa.UUID(), nullable=False),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.UUID(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "(status = 'pending') = (decided_by IS NULL)",
            name=op.f("ck_role_grants_decided_unless_pending"),
        ),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'rejected')",
            name=op.f("ck_role_grants_known_status"),
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"], ["users.id"], name=op.f("fk_role_grants_decided_by_users")
        ),
        sa.ForeignKeyConstraint(
            ["requested_by"], ["users.id"], name=op.f("fk_role_grants_requested_by_users")
        ),
        sa.ForeignKeyConstraint(["role"], ["roles.name"], name=op.f("fk_role_grants_role_roles")),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_role_grants_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_role_grants")),
    )
    op.create_index(
        "ix_role_grants_pending",
        "role_grants",
        ["id"],
        unique=False,
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_index(
        "uq_role_grants_pending",
        "role_grants",
        ["user_id", "role"],
        unique=True,
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_table(
        "service_requests",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("customer_id", sa.UUID(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("priority", sa.Text(), nullable=False),
        sa.Column("priority_rank", sa.SmallInteger(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("assignee_id", sa.UUID(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("first_response_target_s", sa.Integer(), nullable=False),
        sa.Column("resolution_target_s", sa.Integer(), nullable=False),
        sa.Column("first_response_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("resolution_due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("first_responded_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("paused_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "alerted", postgresql.ARRAY(sa.Text()), server_default=sa.text("'{}'"), nullable=False
        ),
        sa.Column("breached", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.CheckConstraint(
            "priority IN ('low', 'medium', 'high', 'critical')",
            name=op.f("ck_service_requests_known_priority"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'assigned', 'in_progress', 'waiting_on_customer', 'resolved', 'closed', 'cancelled')",
            name=op.f("ck_service_requests_known_status"),
        ),
        sa.CheckConstraint(
            "type IN ('account', 'payment', 'kyc', 'merchant', 'technical', 'other')",
            name=op.f("ck_service_requests_known_type"),
        ),
        sa.CheckConstraint(
            "priority_rank BETWEEN 0 AND 3", name=op.f("ck_service_requests_known_rank")
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"], ["users.id"], name=op.f("fk_service_requests_assignee_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["customer_id"], ["users.id"], name=op.f("fk_service_requests_customer_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_requests")),
    )
    op.create_index(
        "ix_service_requests_assignee", "service_requests", ["assignee_id", "id"], unique=False
    )
    op.create_index(
        "ix_service_requests_customer", "service_requests", ["customer_id", "id"], unique=False
    )
    op.create_index(
        "ix_service_requests_due", "service_requests", ["resolution_due_at", "id"], unique=False
    )
    op.create_index(
        "ix_service_requests_queue",
        "service_requests",
        [sa.text("priority_rank DESC"), "id"],
        unique=False,
    )
    op.create_index(
        "ix_service_requests_running",
        "service_requests",
        ["first_response_due_at"],
        unique=False,
        postgresql_where=sa.text("status IN ('open', 'assigned', 'in_progress')"),
    )
    op.create_table(
        "sla_policies",
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("priority", sa.Text(), nullable=False),
        sa.Column("first_response_s", sa.Integer(), nullable=False),
        sa.Column("resolution_s", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_by", sa.UUID(), nullable=True),
        sa.CheckConstraint(
            "priority IN ('low', 'medium', 'high', 'critical')",
            name=op.f("ck_sla_policies_known_priority"),
        ),
        sa.CheckConstraint(
            "type IN ('account', 'payment', 'kyc', 'merchant', 'technical', 'other')",
            name=op.f("ck_sla_policies_known_type"),
        ),
        sa.CheckConstraint(
            "first_response_s > 0 AND first_response_s <= resolution_s",
            name=op.f("ck_sla_policies_ordered_targets"),
        ),
        sa.ForeignKeyConstraint(
            ["updated_by"], ["users.id"], name=op.f("fk_sla_policies_updated_by_users")
        ),
        sa.PrimaryKeyConstraint("type", "priority", name=op.f("pk_sla_policies")),
    )
    op.create_table(
        "service_request_comments",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("request_id", sa.UUID(), nullable=False),
        sa.Column("author_id", sa.UUID(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("internal", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_service_request_comments_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["service_requests.id"],
            name=op.f("fk_service_request_comments_request_id_service_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_request_comments")),
    )
    op.create_index(
        "ix_service_request_comments_request",
        "service_request_comments",
        ["request_id", "id"],
        unique=False,
    )
    op.create_table(
        "sla_alerts",
        sa.Column("seq", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("request_id", sa.UUID(), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("priority", sa.Text(), nullable=False),
        sa.Column("assignee_id", sa.UUID(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('first_response_at_risk', 'first_response_breached', 'resolution_at_risk', 'resolution_breached')",
            name=op.f("ck_sla_alerts_known_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["service_requests.id"],
            name=op.f("fk_sla_alerts_request_id_service_requests"),
        ),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_sla_alerts")),
        sa.UniqueConstraint("request_id", "kind", name="uq_sla_alerts_request_kind"),
    )
    op.create_table(
        "service_request_changes",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("request_id", sa.UUID(), nullable=False),
        sa.Column("actor_id", sa.UUID(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kind", sa.Text(), nullable=False),
        sa.Column("from_status", sa.Text(), nullable=True),
        sa.Column("to_status", sa.Text(), nullable=True),
        sa.Column("from_assignee_id", sa.UUID(), nullable=True),
        sa.Column("to_assignee_id", sa.UUID(), nullable=True),
        sa.Column("comment_id", sa.UUID(), nullable=True),
        sa.Column("internal", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.CheckConstraint(
            "kind IN ('opened', 'status_changed', 'assigned', 'commented')",
            name=op.f("ck_service_request_changes_known_kind"),
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["users.id"], name=op.f("fk_service_request_changes_actor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["service_request_comments.id"],
            name=op.f("fk_service_request_changes_comment_id_service_request_comments"),
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["service_requests.id"],
            name=op.f("fk_service_request_changes_request_id_service_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_request_changes")),
    )
    op.create_index(
        "ix_service_request_changes_request",
        "service_request_changes",
        ["request_id", "id"],
        unique=False,
    )
    for statement in HISTORY_IS_APPEND_ONLY:
        op.execute(statement)
    policies = sa.table(
        "sla_policies",
        sa.column("type"),
        sa.column("priority"),
        sa.column("first_response_s"),
        sa.column("resolution_s"),
    )
    op.bulk_insert(
        policies,
        [
            {"type": kind, "priority": priority, "first_response_s": first, "resolution_s": last}
            for kind in REQUEST_TYPES
            for priority, (first, last) in TARGETS.items()
        ],
    )
    grants = sa.table("role_permissions", sa.column("role"), sa.column("permission"))
    op.bulk_insert(grants, [{"role": "admin", "permission": p} for p in ADMIN_PERMISSIONS])


def downgrade() -> None:
    op.execute(
        sa.text(
            "DELETE FROM role_permissions WHERE role = 'admin' AND permission = ANY(:p)"
        ).bindparams(p=list(ADMIN_PERMISSIONS))
    )
    op.execute("DROP TRIGGER service_request_changes_append_only ON service_request_changes")
    op.execute("DROP FUNCTION reject_service_request_change_edit()")
    op.drop_index("ix_service_request_changes_request", table_name="service_request_changes")
    op.drop_table("service_request_changes")
    op.drop_table("sla_alerts")
    op.drop_index("ix_service_request_comments_request", table_name="service_request_comments")
    op.drop_table("service_request_comments")
    op.drop_table("sla_policies")
    op.drop_index(
        "ix_service_requests_running",
        table_name="service_requests",
        postgresql_where=sa.text("status IN ('open', 'assigned', 'in_progress')"),
    )
    op.drop_index("ix_service_requests_queue", table_name="service_requests")
    op.drop_index("ix_service_requests_due", table_name="service_requests")
    op.drop_index("ix_service_requests_customer", table_name="service_requests")
    op.drop_index("ix_service_requests_assignee", table_name="service_requests")
    op.drop_table("service_requests")
    op.drop_index(
        "uq_role_grants_pending",
        table_name="role_grants",
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.drop_index(
        "ix_role_grants_pending",
        table_name="role_grants",
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.drop_table("role_grants")
