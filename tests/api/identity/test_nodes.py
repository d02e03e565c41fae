"""Relay `node`/`nodes`: global ids, object-level visibility, and batched reads."""

from server.app import Runtime
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient

NODES = "query($ids: [ID!]!) { nodes(ids: $ids) { id ... on User { email roles } } }"
NODE = "query($id: ID!) { node(id: $id) { id ... on User { fullName } } }"


async def global_id_of(graphql: GraphQLClient, token: str) -> str:
    return (await graphql("{ me { id } }", token=token)).data["me"]["id"]  # type: ignore[no-any-return]


async def test_node_fetches_the_user_by_global_id(runtime: Runtime, graphql: GraphQLClient) -> None:
    user = await create_user(runtime.services)
    token = await token_for(runtime.services, user)
    user_id = await global_id_of(graphql, token)

    response = await graphql(NODE, {"id": user_id}, token=token)

    assert response.data == {"node": {"id": user_id, "fullName": "Test Person"}}


async def test_another_users_node_is_indistinguishable_from_a_missing_one(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await create_user(runtime.services)
    mallory = await create_user(runtime.services)
    ada_id = await global_id_of(graphql, await token_for(runtime.services, ada))

    response = await graphql(NODE, {"id": ada_id}, token=await token_for(runtime.services, mallory))

    assert response.result == {"data": {"node": None}}


async def test_a_malformed_id_is_bad_user_input(runtime: Runtime, graphql: GraphQLClient) -> None:
    user = await create_user(runtime.services)

    response = await graphql(
        NODE, {"id": "not-a-global-id"}, token=await token_for(runtime.services, user)
    )

    assert response.error_codes == ["BAD_USER_INPUT"]


async def test_statements_do_not_grow_with_the_number_of_nodes(
    runtime: Runtime, graphql: GraphQLClient, count_sql
) -> None:
    staff = await create_user(runtime.services, roles=["staff", "admin"])
    token = await token_for(runtime.services, staff)
    users = [await create_user(runtime.services) for _ in range(12)]
    ids = [await global_id_of(graphql, await token_for(runtime.services, user)) for user in users]

    with count_sql() as few:
        small = await graphql(NODES, {"ids": ids[:2]}, token=token)
    with count_sql() as many:
        large = await graphql(NODES, {"ids": ids}, token=token)

    assert [node["email"] for node in large.data["nodes"]] == [user.email for user in users]
    assert len(small.data["nodes"]) == 2
    assert many.count == few.count == 3  # the principal; then one batch per relation
