"""Every root field outside the public allow-list declares who may use it, in the SDL."""

from graphql import FieldDefinitionNode, ObjectTypeDefinitionNode, parse

from schema.export import PUBLIC_SCHEMA

PUBLIC_ROOT_FIELDS = frozenset(
    {
        "Query.supportedCurrencies",
        "Query.vinStatus",
        "Query.vehicleRegistrationsPerWeek",
        "Mutation.register",
        "Mutation.verifyEmail",
        "Mutation.resendVerification",
        "Mutation.login",
        "Mutation.completeMfaLogin",
        "Mutation.refreshSession",
        "Mutation.requestPasswordReset",
        "Mutation.resetPassword",
    }
)
AUTHORIZATION = frozenset({"authenticated", "requiresScopes"})


def root_fields() -> dict[str, FieldDefinitionNode]:
    document = parse(PUBLIC_SCHEMA.read_text())
    return {
        f"{definition.name.value}.{field.name.value}": field
        for definition in document.definitions
        if isinstance(definition, ObjectTypeDefinitionNode)
        and definition.name.value in ("Query", "Mutation", "Subscription")
        for field in definition.fields or ()
    }


def test_every_guarded_root_field_carries_an_authorization_directive() -> None:
    unguarded = [
        name
        for name, field in root_fields().items()
        if name not in PUBLIC_ROOT_FIELDS
        and not AUTHORIZATION & {directive.name.value for directive in field.directives or ()}
    ]

    assert unguarded == []


def test_the_public_allow_list_names_real_fields() -> None:
    assert set(root_fields()) >= PUBLIC_ROOT_FIELDS


def test_step_up_fields_declare_the_policy() -> None:
    fields = root_fields()
    for name in (
        "Mutation.disableTotp",
        "Mutation.regenerateBackupCodes",
        "Mutation.createApiKey",
        "Mutation.grantRole",
        "Mutation.approveRoleGrant",
        "Mutation.rejectRoleGrant",
        "Mutation.revokeRole",
    ):
        directives = {directive.name.value for directive in fields[name].directives or ()}
        assert {"authenticated", "policy"} <= directives, name
