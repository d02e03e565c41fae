"""governance role catalogue: roles and their permissions, seeded (DOMAIN.md)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


CATALOGUE = {
    "customer": (
        "Holds wallets, pays and transfers",
        False,
        ["payments:transfer", "service_requests:open"],
    ),
    "merchant": (
        "Accepts payments",
        False,
        ["payments:transfer", "payments:refund", "merchants:manage"],
    ),
    "verifier": ("Reviews KYC and registers vehicles", False, ["kyc:review", "vin:register"]),
    "staff": (
        "Operations staff",
        False,
        ["payments:read_any", "service_requests:assign", "reports:read", "identity:read_any"],
    ),
    "compliance_officer": (
        "Audit, incidents and data-subject requests",
        False,
        ["audit:read", "incidents:manage", "reports:read", "erasure:approve", "identity:read_any"],
    ),
    "admin": (
        "Administers roles; granting it needs a second admin",
        True,
        [
            "roles:read",
            "roles:grant",
            "identity:read_any",
            "audit:read",
            "payments:read_any",
            "payments:reverse",
            "payments:reconcile",
            "incidents:manage",
            "reports:read",
            "vin:register",
        ],
    ),
}


def upgrade() -> None:
    op.create_table(
        "roles",
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("privileged", sa.Boolean(), server_default=sa.text("false"), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_roles")),
    )
    op.create_table(
        "role_permissions",
        sa.Column("role", sa.Text(), nullable=False),
        sa.Column("permission", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["role"], ["roles.name"], name=op.f("fk_role_permissions_role_roles")
        ),
        sa.PrimaryKeyConstraint("role", "permission", name=op.f("pk_role_permissions")),
    )
    roles = sa.table("roles", sa.column("name"), sa.column("description"), sa.column("privileged"))
    grants = sa.table("role_permissions", sa.column("role"), sa.column("permission"))
    op.bulk_insert(
        roles,
        [
            {"name": name, "description": description, "privileged": privileged}
            for name, (description, privileged, _) in CATALOGUE.items()
        ],
    )
    op.bulk_insert(
        grants,
        [
            {"role": name, "permission": permission}
            for name, (_, _, permissions) in CATALOGUE.items()
            for permission in permissions
        ],
    )
    op.create_foreign_key(
        op.f("fk_role_assignments_role_roles"), "role_assignments", "roles", ["role"], ["name"]
    )


def downgrade() -> None:
    op.drop_constraint(
        op.f("fk_role_assignments_role_roles"), "role_assignments", type_="foreignkey"
    )
    op.drop_table("role_permissions")
    op.drop_table("roles")
