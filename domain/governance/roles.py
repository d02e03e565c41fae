"""Role names the code refers to. The catalogue itself (each role's permissions, and which
roles are privileged) lives in the database, seeded by migration and administered there."""

CUSTOMER = "customer"
MERCHANT = "merchant"
VERIFIER = "verifier"
STAFF = "staff"
COMPLIANCE_OFFICER = "compliance_officer"
ADMIN = "admin"
