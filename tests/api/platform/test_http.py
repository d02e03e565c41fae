"""The HTTP surface of /graphql: good requests answer, bad ones get a clear 4xx."""

import pytest

from tests.support.graphql import GraphQLClient


async def test_typename_answers(graphql: GraphQLClient) -> None:
    response = await graphql("{ __typename }")

    assert response.status_code == 200
    assert response.result == {"data": {"__typename": "Query"}}


async def test_public_field_needs_no_credentials(graphql: GraphQLClient) -> None:
    response = await graphql("{ supportedCurrencies { code minorUnits symbol } }")

    assert response.data["supportedCurrencies"][0] == {
        "code": "NAD",
        "minorUnits": 2,
        "symbol": "N$",
    }


@pytest.mark.parametrize(
    ("content", "headers", "status", "code", "message"),
    [
        ("{not json", {"content-type": "application/json"}, 400, "BAD_REQUEST", "JSON"),
        ('{"variables": {}}', {"content-type": "application/json"}, 400, "BAD_REQUEST", "query"),
        (
            "query={__typename}",
            {"content-type": "text/plain"},
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "application/json",
        ),
        (
            "query=x",
            {"content-type": "application/x-www-form-urlencoded"},
            415,
            "UNSUPPORTED_MEDIA_TYPE",
            "content-type",
        ),
    ],
)
async def test_malformed_requests_get_a_clear_4xx(
    http, content: str, headers: dict[str, str], status: int, code: str, message: str
) -> None:
    response = await http.post("/graphql", content=content, headers=headers)

    assert response.status_code == status
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == code
    assert message in error["message"]


async def test_oversized_body_is_refused_before_parsing(http, settings) -> None:
    padding = "x" * (settings.max_body_bytes + 1)

    response = await http.post(
        "/graphql",
        content='{"query": "{ __typename }", "pad": "' + padding + '"}',
        headers={"content-type": "application/json"},
    )

    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


async def test_get_serves_queries_but_never_mutations(http) -> None:
    preflighted = {"x-elcorp-client": "tests"}  # GET needs it (CSRF prevention)
    query = await http.get("/graphql", params={"query": "{ __typename }"}, headers=preflighted)
    mutation = await http.get(
        "/graphql",
        params={
            "query": 'mutation { updateMyProfile(input: {fullName: "x"}) { errors { code } } }'
        },
        headers=preflighted,
    )

    assert query.json()["data"] == {"__typename": "Query"}
    assert mutation.status_code == 400
    assert "mutation" in mutation.json()["errors"][0]["message"].lower()


async def test_invalid_document_gets_a_validation_code(graphql: GraphQLClient) -> None:
    response = await graphql("{ noSuchField }")

    assert response.error_codes == ["GRAPHQL_VALIDATION_FAILED"]


async def test_syntax_error_gets_a_parse_code(graphql: GraphQLClient) -> None:
    response = await graphql("{ unclosed ")

    assert response.error_codes == ["GRAPHQL_PARSE_FAILED"]


async def test_every_response_carries_a_request_id(http) -> None:
    response = await http.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"x-request-id": "req-12345678"}
    )

    assert response.headers["x-request-id"] == "req-12345678"
