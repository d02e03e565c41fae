"""Trusted documents: the portal's operations run by their hash (Apollo's persisted-query
protocol); `require-for-browsers` keeps free-form documents to API keys."""

import contextlib
import hashlib
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
from starlette.applications import Starlette

from server.app import Runtime, create_app
from server.settings import Settings, TrustedDocumentsMode
from tests.support.factories import PASSWORD, create_user, token_for
from tests.support.graphql import GraphQLClient
from tests.support.identity import deliver_outbox, stepped_up_token
from tests.support.sql import count_statements
from tests.support.trusted_documents import (
    persisted_query,
    post,
    registered_documents,
    registered_hash,
    send_registered,
)
from tests.support.websocket import graphql_ws

UNKNOWN_HASH = "0" * 64
FREE_FORM = "{ me { email } }"
CREATE_KEY = (
    'mutation { createApiKey(input: {name: "Partner", scopes: ["roles:read"]}) { secret } }'
)
PARTNER_QUERY = "{ roles { name } }"


def sha256(document: str) -> str:
    return hashlib.sha256(document.encode()).hexdigest()


@dataclass
class Served:
    app: Starlette
    http: httpx.AsyncClient
    runtime: Runtime


@contextlib.asynccontextmanager
async def served_with(settings: Settings, mode: TrustedDocumentsMode) -> AsyncIterator[Served]:
    """A second server on the same database and Redis, in another mode."""
    runtime = Runtime(settings.model_copy(update={"trusted_documents": mode}))
    await runtime.start()
    try:
        app = create_app(runtime.settings, runtime=runtime)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            yield Served(app, http, runtime)
    finally:
        await runtime.stop()


async def test_the_portal_signs_in_and_reads_its_accounts_by_hash(
    runtime: Runtime, http: httpx.AsyncClient
) -> None:
    email = "portal-user@example.na"
    await create_user(runtime.services, email=email)
    await deliver_outbox(runtime)
    device = {"id": "browser-1", "name": "Portal"}

    signed_in = await send_registered(
        http,
        registered_hash("PortalLogin"),
        {"input": {"email": email, "password": PASSWORD, "device": device}},
    )
    token = signed_in.data["login"]["tokens"]["accessToken"]
    me = await send_registered(http, registered_hash("PortalMe"), {"recent": 5}, token=token)

    assert signed_in.errors == []
    assert me.errors == []
    assert me.data["me"]["email"] == email
    (wallet,) = me.data["me"]["accounts"]
    assert wallet["currency"] == "NAD"
    assert wallet["transactions"]["edges"] == []


async def test_a_registered_hash_runs_over_get(runtime: Runtime, http: httpx.AsyncClient) -> None:
    user = await create_user(runtime.services)
    token = await token_for(runtime.services, user)

    response = await http.get(
        "/graphql",
        params={
            "extensions": json.dumps(persisted_query(registered_hash("PortalMe"))),
            "variables": json.dumps({"recent": 1}),
        },
        headers={"authorization": f"Bearer {token}", "x-elcorp-client": "portal"},
    )

    assert response.status_code == 200
    assert response.json()["data"]["me"]["email"] == user.email


async def test_an_unknown_hash_is_persisted_query_not_found(http: httpx.AsyncClient) -> None:
    response = await send_registered(http, UNKNOWN_HASH)

    assert response.status_code == 200  # as Apollo Server: the client retries with the text
    assert response.error_codes == ["PERSISTED_QUERY_NOT_FOUND"]
    assert response.errors[0]["message"] == "PersistedQueryNotFound"


async def test_a_hash_that_is_not_its_documents_is_refused(http: httpx.AsyncClient) -> None:
    response = await post(
        http,
        {"query": "{ __typename }", "extensions": persisted_query(registered_hash("PortalMe"))},
    )

    assert response.status_code == 400
    assert response.error_codes == ["BAD_REQUEST"]


async def test_a_hash_with_text_is_never_registered(http: httpx.AsyncClient) -> None:
    document = "{ __typename }"

    with_text = await post(
        http, {"query": document, "extensions": persisted_query(sha256(document))}
    )
    hash_alone = await send_registered(http, sha256(document))

    assert with_text.data == {"__typename": "Query"}  # a free-form document, allowed here
    assert hash_alone.error_codes == ["PERSISTED_QUERY_NOT_FOUND"]


async def test_a_registered_hash_runs_over_websocket(runtime: Runtime, app: Starlette) -> None:
    user = await create_user(runtime.services)
    token = await token_for(runtime.services, user)

    async with graphql_ws(app) as ws:
        await ws.init({"Authorization": f"Bearer {token}"})
        await ws.session.send_json(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {
                    "variables": {"recent": 1},
                    "extensions": persisted_query(registered_hash("PortalMe")),
                },
            }
        )
        message = await ws.receive()

    assert message["type"] == "next"
    assert message["payload"]["data"]["me"]["email"] == user.email


async def test_require_for_browsers_refuses_free_form_documents_of_sessions(
    runtime: Runtime, settings: Settings
) -> None:
    user = await create_user(runtime.services)
    token = await token_for(runtime.services, user)

    async with served_with(settings, TrustedDocumentsMode.REQUIRE_FOR_BROWSERS) as strict:
        free_form = await post(strict.http, {"query": FREE_FORM}, token=token)
        registered = await send_registered(
            strict.http, registered_hash("PortalMe"), {"recent": 1}, token=token
        )
        with count_statements(strict.runtime.engine) as counted:
            anonymous = await post(strict.http, {"query": "{ __typename }"})

    assert free_form.status_code == 400
    assert free_form.error_codes == ["PERSISTED_QUERY_REQUIRED"]
    assert registered.data["me"]["email"] == user.email
    assert anonymous.error_codes == ["PERSISTED_QUERY_REQUIRED"]
    assert counted.count == 0


async def test_require_for_browsers_lets_api_keys_send_ad_hoc_queries(
    runtime: Runtime, graphql: GraphQLClient, settings: Settings
) -> None:
    admin = await stepped_up_token(runtime, graphql, roles=["admin"])
    secret = (await graphql(CREATE_KEY, token=admin)).data["createApiKey"]["secret"]

    async with served_with(settings, TrustedDocumentsMode.REQUIRE_FOR_BROWSERS) as strict:
        ad_hoc = await post(
            strict.http, {"query": PARTNER_QUERY}, headers={"authorization": f"ApiKey {secret}"}
        )

    assert ad_hoc.errors == []
    assert "admin" in [role["name"] for role in ad_hoc.data["roles"]]


async def test_require_for_browsers_refuses_free_form_subscriptions_of_sessions(
    runtime: Runtime, settings: Settings
) -> None:
    token = await token_for(runtime.services, await create_user(runtime.services))

    async with (
        served_with(settings, TrustedDocumentsMode.REQUIRE_FOR_BROWSERS) as strict,
        graphql_ws(strict.app) as ws,
    ):
        await ws.init({"Authorization": f"Bearer {token}"})
        await ws.subscribe("1", "subscription { myEvents { __typename } }")
        message = await ws.receive()

    assert message["type"] == "error"
    assert message["payload"][0]["extensions"]["code"] == "PERSISTED_QUERY_REQUIRED"


async def test_off_does_not_support_hashes_and_runs_free_form_documents(
    settings: Settings,
) -> None:
    async with served_with(settings, TrustedDocumentsMode.OFF) as off:
        by_hash = await send_registered(off.http, next(iter(registered_documents())))
        free_form = await post(off.http, {"query": "{ __typename }"})

    assert by_hash.status_code == 200
    assert by_hash.error_codes == ["PERSISTED_QUERY_NOT_SUPPORTED"]
    assert free_form.data == {"__typename": "Query"}
