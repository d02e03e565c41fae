"""OWASP GraphQL cheat sheet, the parts this API defends at its edge: schema discovery,
CSRF, oversized documents. Every anonymous refusal happens before the database is used."""

from collections.abc import AsyncIterator

import httpx
import pytest

from server.settings import Environment, Introspection, Settings
from tests.support.apps import ServedApp, app_with
from tests.support.factories import api_key_for, create_user
from tests.support.sql import count_statements

SCHEMA = "{ __schema { queryType { name } } }"
TYPE = '{ __type(name: "Query") { name } }'
MISSPELT = "{ supportedCurrencie { code } }"
PREFLIGHTED = {"x-elcorp-client": "tests"}
MUTATION = 'mutation { updateMyProfile(input: {fullName: "x"}) { errors { code } } }'


@pytest.fixture
async def production(settings: Settings) -> AsyncIterator[ServedApp]:
    async with app_with(settings, env=Environment.PRODUCTION) as served:
        yield served


async def partner_key(served: ServedApp) -> dict[str, str]:
    """The headers of a partner exploring with an API key."""
    partner = await create_user(served.runtime.services)
    secret = await api_key_for(served.runtime.services, partner, ["payments:transfer"])
    return {"authorization": f"ApiKey {secret}"}


def codes(response: httpx.Response) -> list[str]:
    return [error["extensions"]["code"] for error in response.json()["errors"]]


async def test_anonymous_introspection_is_refused_in_production_without_touching_the_database(
    production: ServedApp,
) -> None:
    with count_statements(production.runtime.engine) as counted:
        schema = await production.graphql(SCHEMA)
        type_ = await production.graphql(TYPE)
        typename = await production.graphql("{ __typename }")

    assert set(schema.error_codes) == {"GRAPHQL_VALIDATION_FAILED"}
    assert "introspection has been disabled" in schema.errors[0]["message"]
    assert schema.data is None
    assert set(type_.error_codes) == {"GRAPHQL_VALIDATION_FAILED"}
    assert typename.result == {"data": {"__typename": "Query"}}
    assert counted.count == 0


async def test_a_subgraph_shows_its_sdl_only_to_authenticated_callers_in_production(
    settings: Settings,
) -> None:
    sdl = "{ _service { sdl } }"
    async with app_with(settings, env=Environment.PRODUCTION, subgraph="payments") as served:
        with count_statements(served.runtime.engine) as counted:
            anonymous = await served.graphql(sdl)
        as_partner = await served.graphql(sdl, headers=await partner_key(served))

    assert anonymous.error_codes == ["GRAPHQL_VALIDATION_FAILED"]
    assert anonymous.data is None
    assert counted.count == 0
    assert "type Query" in as_partner.data["_service"]["sdl"]


async def test_anonymous_callers_get_no_field_suggestions_in_production(
    production: ServedApp,
) -> None:
    with count_statements(production.runtime.engine) as counted:
        misspelt = await production.graphql(MISSPELT)

    assert misspelt.error_codes == ["GRAPHQL_VALIDATION_FAILED"]
    assert (
        misspelt.errors[0]["message"] == "Cannot query field 'supportedCurrencie' on type 'Query'."
    )
    assert counted.count == 0


async def test_a_partner_api_key_may_introspect_in_production_and_the_cache_keeps_them_apart(
    production: ServedApp,
) -> None:
    key = await partner_key(production)

    as_partner = await production.graphql(SCHEMA, headers=key)
    as_anonymous = await production.graphql(SCHEMA)  # same document, now cached
    as_partner_again = await production.graphql(SCHEMA, headers=key)
    misspelt = await production.graphql(MISSPELT, headers=key)

    assert as_partner.data == {"__schema": {"queryType": {"name": "Query"}}}
    assert set(as_anonymous.error_codes) == {"GRAPHQL_VALIDATION_FAILED"}
    assert as_partner_again.data == as_partner.data
    assert "Did you mean 'supportedCurrencies'?" in misspelt.errors[0]["message"]


async def test_outside_production_anyone_may_introspect(graphql) -> None:
    schema = await graphql(SCHEMA)
    misspelt = await graphql(MISSPELT)

    assert schema.data == {"__schema": {"queryType": {"name": "Query"}}}
    assert "Did you mean 'supportedCurrencies'?" in misspelt.errors[0]["message"]


async def test_introspection_off_refuses_even_partners(settings: Settings) -> None:
    async with app_with(settings, introspection=Introspection.OFF) as served:
        refused = await served.graphql(SCHEMA, headers=await partner_key(served))

    assert set(refused.error_codes) == {"GRAPHQL_VALIDATION_FAILED"}


@pytest.mark.parametrize(
    "headers",
    [{}, {"content-type": "text/plain"}, {"content-type": "application/x-www-form-urlencoded"}],
)
async def test_a_get_without_a_preflight_header_is_refused_as_csrf(
    production: ServedApp, headers: dict[str, str]
) -> None:
    with count_statements(production.runtime.engine) as counted:
        response = await production.http.get(
            "/graphql", params={"query": "{ __typename }"}, headers=headers
        )

    assert response.status_code == 400
    assert codes(response) == ["BAD_REQUEST"]
    assert "CSRF" in response.json()["errors"][0]["message"]
    assert counted.count == 0


@pytest.mark.parametrize(
    "headers",
    [
        {"x-elcorp-client": "partner-sdk"},
        {"apollo-require-preflight": "true"},
        {"x-apollo-operation-name": "Currencies"},
        {"content-type": "application/json"},
    ],
)
async def test_a_get_showing_it_was_preflighted_runs(http, headers: dict[str, str]) -> None:
    response = await http.get("/graphql", params={"query": "{ __typename }"}, headers=headers)

    assert response.json()["data"] == {"__typename": "Query"}


async def test_the_graphiql_page_still_loads(http) -> None:
    response = await http.get("/graphql", headers={"accept": "text/html"})

    assert response.status_code == 200
    assert "graphiql" in response.text.lower()


async def test_a_mutation_over_get_is_refused(production: ServedApp) -> None:
    with count_statements(production.runtime.engine) as counted:
        response = await production.http.get(
            "/graphql", params={"query": MUTATION}, headers=PREFLIGHTED
        )

    assert response.status_code == 400
    assert codes(response) == ["BAD_REQUEST"]
    assert "mutations are not allowed when using GET" in response.json()["errors"][0]["message"]
    assert counted.count == 0


@pytest.mark.parametrize(
    "content_type", ["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"]
)
async def test_a_form_post_is_refused(production: ServedApp, content_type: str) -> None:
    with count_statements(production.runtime.engine) as counted:
        response = await production.http.post(
            "/graphql", content=f"query={MUTATION}", headers={"content-type": content_type}
        )

    assert response.status_code == 415
    assert codes(response) == ["UNSUPPORTED_MEDIA_TYPE"]
    assert counted.count == 0


async def test_an_oversized_document_is_refused_before_parsing(production: ServedApp) -> None:
    limit = production.runtime.settings.max_query_bytes
    unparsable = "{" + " " * limit  # a parser would call it a syntax error

    with count_statements(production.runtime.engine) as counted:
        posted = await production.http.post("/graphql", json={"query": unparsable})
        got = await production.http.get(
            "/graphql", params={"query": unparsable}, headers=PREFLIGHTED
        )
        at_the_limit = await production.graphql("{ __typename }" + " " * (limit - 14))

    assert (posted.status_code, codes(posted)) == (413, ["PAYLOAD_TOO_LARGE"])
    assert (got.status_code, codes(got)) == (413, ["PAYLOAD_TOO_LARGE"])
    assert at_the_limit.result == {"data": {"__typename": "Query"}}
    assert counted.count == 0
