"""The role catalogue: each role is a named set of `context:action` permissions."""

from collections.abc import Iterable

CUSTOMER = "customer"
MERCHANT = "merchant"
VERIFIER = "verifier"
STAFF = "staff"
COMPLIANCE_OFFICER = "compliance_officer"
ADMIN = "admin"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    CUSTOMER: frozenset({"payments:transfer", "service_requests:open"}),
    MERCHANT: frozenset({"payments:transfer", "payments:refund", "merchants:manage"}),
    VERIFIER: frozenset({"kyc:review", "vin:register"}),
    STAFF: frozenset(
        {"payments:read_any", "service_requests:assign", "reports:read", "identity:read_any"}
    ),
    COMPLIANCE_OFFICER: frozenset(
        {"audit:read", "incidents:manage", "reports:read", "erasure:approve", "identity:read_any"}
    ),
    ADMIN: frozenset(
        {
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
        }
    ),
}

PRIVILEGED_ROLES = frozenset({ADMIN})


def permissions_for(roles: Iterable[str]) -> frozenset[str]:
    granted: set[str] = set()
    for role in roles:
        granted |= ROLE_PERMISSIONS.get(role, frozenset())
    return frozenset(granted)
