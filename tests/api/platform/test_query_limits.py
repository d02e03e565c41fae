"""The OWASP GraphQL cheat sheet's document attacks, refused with QUERY_TOO_COMPLEX (the
limit and the measured value in `extensions`) or a validation or request error, before any
resolver runs: an anonymous attacker never reaches the database."""

import httpx
import pytest

from server.settings import Settings
from tests.support.graphql import GraphQLClient
from tests.support.sql import CountSql


def nested(depth: int) -> str:
    return "{ " + "a { " * (depth - 1) + "b" + " }" * (depth - 1) + " }"


LIMITS = Settings().query_limits_anonymous
ATTACKS = {
    "deep nesting": (nested(LIMITS.max_depth + 1), "depth", LIMITS.max_depth + 1),
    "alias overload": (
        "{ " + " ".join(f"a{i}: __typename" for i in range(LIMITS.max_aliases + 1)) + " }",
        "alias count",
        LIMITS.max_aliases + 1,
    ),
    "duplicated fields": ("{ " + "id " * 2_500 + "}", "token count", 2_502),
    "directive overload": (
        "{ __typename" + " @include(if: true)" * (LIMITS.max_directives_per_field + 1) + " }",
        "directives on one field",
        LIMITS.max_directives_per_field + 1,
    ),
    "a page of 100 000": (
        "{ auditLog(first: 100000) { edges { cursor } } }",
        "`auditLog` page size",
        100_000,
    ),
    "a page in a variable": (
        "query($n: Int!) { users(first: $n) { edges { cursor } } }",
        "`users` page size",
        5_000,
    ),
    "cost": (
        "{ "
        + " ".join(f"u{i}: users(first: 100) {{ edges {{ node {{ id }} }} }}" for i in range(6))
        + " }",
        "cost",
        6 * (1 + 100 * 2),  # each connection 1 + 100 x (edge 1 + user 1)
    ),
}


@pytest.mark.parametrize("attack", ATTACKS, ids=list(ATTACKS))
async def test_a_document_attack_is_refused_without_touching_the_database(
    graphql: GraphQLClient, count_sql: CountSql, attack: str
) -> None:
    document, measure, measured = ATTACKS[attack]

    with count_sql() as counted:
        response = await graphql(document, {"n": 5_000})

    assert response.error_codes == ["QUERY_TOO_COMPLEX"]
    assert response.errors[0]["extensions"]["measure"] == measure
    assert response.errors[0]["extensions"]["measured"] == measured
    assert response.data is None
    assert counted.count == 0


async def test_circular_fragments_are_refused(graphql: GraphQLClient, count_sql: CountSql) -> None:
    document = """query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }"""

    with count_sql() as counted:
        response = await graphql(document)

    assert response.error_codes == ["GRAPHQL_VALIDATION_FAILED"]
    assert "within itself" in response.errors[0]["message"]
    assert counted.count == 0


async def test_a_json_batch_is_refused(http: httpx.AsyncClient, count_sql: CountSql) -> None:
    batch = [{"query": "{ __typename }"}] * 100

    with count_sql() as counted:
        response = await http.post("/graphql", json=batch)

    assert response.status_code == 400
    assert response.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    assert counted.count == 0


async def test_a_document_at_the_limits_passes_them(graphql: GraphQLClient) -> None:
    at_the_limit = await graphql(nested(LIMITS.max_depth))

    assert at_the_limit.error_codes == ["GRAPHQL_VALIDATION_FAILED"]  # on to validation
