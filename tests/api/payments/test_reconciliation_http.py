"""Settlement statements over plain HTTP: `POST /reconciliation/statements` and the report's
CSV export, authenticated and permissioned as GraphQL is."""

import uuid

import httpx
import pytest

from schema.ids import to_global_id
from server.app import Runtime
from server.settings import Settings
from tests.api.identity.test_api_keys import CREATE as CREATE_API_KEY
from tests.support.graphql import GraphQLClient
from tests.support.identity import deliver_outbox, stepped_up_token
from tests.support.payments import customer, deposit
from tests.support.reconciliation import (
    SMALL_MAX_BYTES,
    SMALL_MAX_LINES,
    gateway_reference,
    items,
    post_statement,
    read_statement,
    reconciled_statement,
    reconciler,
    resolve,
    statement_csv,
    stored_rows,
    with_small_statement_limits,
)


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return with_small_statement_limits(settings)


def error_code(response: httpx.Response) -> str:
    return response.json()["errors"][0]["extensions"]["code"]  # type: ignore[no-any-return]


async def test_a_posted_statement_is_stored_and_then_matched_by_the_worker(
    runtime: Runtime, graphql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    admin = await reconciler(runtime)

    posted = await post_statement(http, admin.token, statement_csv(("sandbox_ch_1", "1.50", "USD")))
    await deliver_outbox(runtime)

    assert posted.status_code == 201
    body = posted.json()
    assert (body["status"], body["lineCount"]) == ("IMPORTED", 1)
    statement = await read_statement(graphql, admin.token, body["id"])
    assert statement["status"] == "RECONCILED"
    assert [(i["kind"], i["statementAmount"]) for i in items(statement)] == [
        ("MISSING_IN_LEDGER", {"amountMinor": 150, "currency": "USD"})
    ]


async def test_a_partner_api_key_with_the_permission_may_post_statements(
    runtime: Runtime, graphql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    token = await stepped_up_token(runtime, graphql, roles=("admin",))
    created = await graphql(
        CREATE_API_KEY, {"name": "gateway sync", "scopes": ["payments:reconcile"]}, token=token
    )
    secret = created.data["createApiKey"]["secret"]

    posted = await http.post(
        "/reconciliation/statements",
        content=statement_csv(("sandbox_ch_k", "1.00", "NAD")).encode(),
        headers={"content-type": "text/csv; charset=utf-8", "authorization": f"ApiKey {secret}"},
    )

    assert posted.status_code == 201, posted.text


async def test_a_malformed_post_imports_nothing_and_names_every_bad_line(
    runtime: Runtime, http: httpx.AsyncClient
) -> None:
    admin = await reconciler(runtime)
    csv = (
        "Reference,Amount,Currency,Date\nok,1.00,NAD,2026-11-20\nx,0.1.0,NAD,2026-11-20\nx,1,NAD\n"
    )

    posted = await post_statement(http, admin.token, csv)

    assert posted.status_code == 422
    assert error_code(posted) == "MALFORMED_STATEMENT"
    assert posted.json()["errors"][0]["extensions"]["lineErrorCount"] == 2
    assert posted.json()["lineErrors"] == [
        {
            "line": 3,
            "message": "The amount '0.1.0' is not a decimal with at most 2 decimals (e.g. 10.50)",
        },
        {"line": 4, "message": "Expected 4 fields (reference,amount,currency,date), found 3"},
    ]
    assert await stored_rows(runtime) == (0, 0, 0)


async def test_duplicate_oversized_and_unknown_gateway_posts_are_refused(
    runtime: Runtime, http: httpx.AsyncClient
) -> None:
    admin = await reconciler(runtime)
    csv = statement_csv(("sandbox_ch_1", "1.00", "NAD"))
    too_many = statement_csv(*((f"r{n}", "1.00", "NAD") for n in range(SMALL_MAX_LINES + 1)))

    first = await post_statement(http, admin.token, csv)
    duplicate = await post_statement(http, admin.token, csv)
    too_big = await post_statement(http, admin.token, b"x" * (SMALL_MAX_BYTES + 1))
    too_long = await post_statement(http, admin.token, too_many)
    unknown_gateway = await post_statement(http, admin.token, csv + "\n", gateway="paypal")

    assert first.status_code == 201
    assert (duplicate.status_code, error_code(duplicate)) == (409, "CONFLICT")
    assert (too_big.status_code, error_code(too_big)) == (413, "PAYLOAD_TOO_LARGE")
    assert f"at most {SMALL_MAX_BYTES} bytes" in too_big.json()["errors"][0]["message"]
    assert (too_long.status_code, error_code(too_long)) == (413, "PAYLOAD_TOO_LARGE")
    assert (unknown_gateway.status_code, error_code(unknown_gateway)) == (404, "NOT_FOUND")
    assert await stored_rows(runtime) == (1, 1, 0)


async def test_posting_needs_a_valid_credential_the_permission_and_csv(
    runtime: Runtime, http: httpx.AsyncClient
) -> None:
    csv = statement_csv(("sandbox_ch_1", "1.00", "NAD"))
    admin = await reconciler(runtime)

    anonymous = await post_statement(http, None, csv)
    forged = await post_statement(http, "not-a-token", csv)
    refused = [
        await post_statement(http, (await reconciler(runtime, role)).token, csv)
        for role in ("customer", "staff")
    ]
    as_json = await http.post(
        "/reconciliation/statements",
        json={"csv": csv},
        headers={"authorization": f"Bearer {admin.token}"},
    )

    assert [(r.status_code, error_code(r)) for r in (anonymous, forged)] == [
        (401, "UNAUTHENTICATED"),
        (401, "UNAUTHENTICATED"),
    ]
    assert [(r.status_code, error_code(r)) for r in refused] == [(403, "FORBIDDEN")] * 2
    assert (as_json.status_code, error_code(as_json)) == (415, "UNSUPPORTED_MEDIA_TYPE")
    assert await stored_rows(runtime) == (0, 0, 0)


async def test_the_report_exports_as_csv_exactly(
    runtime: Runtime, graphql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    admin = await reconciler(runtime)
    ada = await customer(runtime, graphql)
    made = [
        (await deposit(graphql, ada.token, ada.account_id, amount)).data["deposit"]["transaction"]
        for amount in (1_050, 200)
    ]
    listed, unlisted = [
        (t["id"], await gateway_reference(graphql, admin.token, t["id"])) for t in made
    ]
    csv = statement_csv((listed[1], "10.50", "NAD"), ("=HYPERLINK(1)", "3.00", "ZAR"))
    statement = await reconciled_statement(runtime, graphql, admin.token, csv)
    unknown = items(statement)[1]
    await resolve(graphql, admin.token, unknown["id"], "ESCALATED", "Asked the gateway, ref 7")

    exported = await http.get(
        f"/reconciliation/statements/{statement['id']}/report.csv",
        headers={"authorization": f"Bearer {admin.token}"},
    )

    assert exported.status_code == 200
    assert exported.headers["content-type"] == "text/csv; charset=utf-8"
    assert exported.headers["content-disposition"].startswith("attachment; filename=")
    assert exported.text == (
        "kind,reference,statement_amount,statement_currency,ledger_amount,ledger_currency,"
        "transaction_id,detail,resolution,note\n"
        f"MATCHED,{listed[1]},10.50,NAD,10.50,NAD,{listed[0]},,,\n"
        "MISSING_IN_LEDGER,'=HYPERLINK(1),3.00,ZAR,,,,No ledger transaction has this reference,"
        'ESCALATED,"Asked the gateway, ref 7"\n'
        f"MISSING_IN_STATEMENT,{unlisted[1]},,,2.00,NAD,{unlisted[0]},"
        "The ledger settled this deposit within the statement's period; the statement does "
        "not list it,,\n"
    )


async def test_the_export_is_for_reconcilers_and_reconciled_statements_only(
    runtime: Runtime, graphql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    admin = await reconciler(runtime)
    posted = await post_statement(http, admin.token, statement_csv(("sandbox_ch_1", "1.00", "NAD")))
    statement_id = posted.json()["id"]

    def export(statement: str, token: str | None) -> httpx.Request:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        return http.build_request(
            "GET", f"/reconciliation/statements/{statement}/report.csv", headers=headers
        )

    not_yet = await http.send(export(statement_id, admin.token))
    await deliver_outbox(runtime)
    customer_token = (await reconciler(runtime, "customer")).token
    staff_token = (await reconciler(runtime, "staff")).token
    responses = [
        await http.send(export(statement_id, customer_token)),
        await http.send(export(statement_id, staff_token)),
        await http.send(export(statement_id, None)),
        await http.send(export(to_global_id("SettlementStatement", uuid.uuid4()), admin.token)),
        await http.send(export("garbage", admin.token)),
        await http.send(export(statement_id, admin.token)),
    ]

    assert (not_yet.status_code, error_code(not_yet)) == (409, "INVALID_STATE")
    assert [r.status_code for r in responses] == [403, 403, 401, 404, 404, 200]
    assert [error_code(r) for r in responses[:5]] == [
        "FORBIDDEN",
        "FORBIDDEN",
        "UNAUTHENTICATED",
        "NOT_FOUND",
        "NOT_FOUND",
    ]
