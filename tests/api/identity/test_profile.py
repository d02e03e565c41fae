"""updateMyProfile end to end: row, outbox event and audit entry; typed errors change nothing."""

from sqlalchemy import select

from persistence.compliance.tables import AuditLogRow
from persistence.shared.tables import OutboxEventRow
from server.app import Runtime
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient

UPDATE = """
mutation Update($name: String!) {
  updateMyProfile(input: {fullName: $name}) {
    user { fullName }
    errors { code field message }
  }
}
"""


async def events_and_audit(runtime: Runtime) -> tuple[list[str], list[tuple[str, str]]]:
    async with runtime.services.session_factory() as session:
        events = list(await session.scalars(select(OutboxEventRow.name)))
        audit = list(await session.execute(select(AuditLogRow.action, AuditLogRow.actor)))
    return events, [(action, actor) for action, actor in audit]


async def test_updating_my_profile_is_stored_evented_and_audited(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    user = await create_user(runtime.services)

    response = await graphql(
        UPDATE, {"name": "  Ada   Lovelace "}, token=await token_for(runtime.services, user)
    )

    assert response.data == {
        "updateMyProfile": {"user": {"fullName": "Ada Lovelace"}, "errors": []}
    }
    events, audit = await events_and_audit(runtime)
    assert events == [
        "identity.user_created",
        "identity.session_started",
        "identity.profile_updated",
    ]
    assert audit[-1] == ("identity.profile_updated", f"user:{user.id}")


async def test_an_invalid_name_is_a_typed_error_and_changes_nothing(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    user = await create_user(runtime.services)

    response = await graphql(UPDATE, {"name": "   "}, token=await token_for(runtime.services, user))

    assert response.data == {
        "updateMyProfile": {
            "user": None,
            "errors": [
                {
                    "code": "BAD_USER_INPUT",
                    "field": ["fullName"],
                    "message": "Full name must be 1 to 200 characters",
                }
            ],
        }
    }
    events, _ = await events_and_audit(runtime)
    assert "identity.profile_updated" not in events


async def test_anonymous_callers_cannot_mutate(graphql: GraphQLClient) -> None:
    response = await graphql(UPDATE, {"name": "Mallory"})

    assert response.error_codes == ["UNAUTHENTICATED"]
