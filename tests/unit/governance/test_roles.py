from domain.governance.roles import ADMIN, CUSTOMER, PRIVILEGED_ROLES, permissions_for


def test_permissions_are_the_union_of_the_roles() -> None:
    granted = permissions_for([CUSTOMER, "compliance_officer"])

    assert {"payments:transfer", "audit:read"} <= granted


def test_unknown_roles_grant_nothing() -> None:
    assert permissions_for(["superuser"]) == frozenset()


def test_admin_is_privileged_and_may_grant_roles() -> None:
    assert ADMIN in PRIVILEGED_ROLES
    assert "roles:grant" in permissions_for([ADMIN])
