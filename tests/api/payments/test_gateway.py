"""Deposits and payouts through the sandbox gateway, settled by its signed callbacks."""

import time

import httpx

from schema.ids import from_global_id
from server.app import Runtime
from tests.api.payments.test_transfers import ledger_totals
from tests.support.graphql import GraphQLClient
from tests.support.money import accounts, gateway_callback, withdraw
from tests.support.payments import balance_of, customer, deposit, transfer

PENDING_CENTS = 14  # the sandbox leaves these for a callback to settle
DECLINED_CENTS = 13


def reference(transaction_id: str, prefix: str) -> str:
    return f"sandbox_{prefix}_{from_global_id(transaction_id, 'Transaction')[1]}"


def event(event_id: str, gateway_reference: str, succeeded: bool = True) -> dict[str, str]:
    kind = "transaction.succeeded" if succeeded else "transaction.failed"
    return {"id": event_id, "type": kind, "reference": gateway_reference, "reason": "bank said no"}


async def test_a_pending_deposit_is_completed_by_a_signed_callback_once(
    runtime: Runtime, graphql: GraphQLClient, http: httpx.AsyncClient, database_url: str
) -> None:
    ada = await customer(runtime, graphql)
    pending = (await deposit(graphql, ada.token, ada.account_id, 5_000 + PENDING_CENTS)).data
    assert pending["deposit"]["transaction"]["status"] == "PROCESSING"
    assert await balance_of(graphql, ada) == 0
    gateway_reference = reference(pending["deposit"]["transaction"]["id"], "ch")

    applied = await gateway_callback(http, runtime, event("evt_1", gateway_reference))
    replayed = await gateway_callback(http, runtime, event("evt_1", gateway_reference))
    late_failure = await gateway_callback(
        http, runtime, event("evt_2", gateway_reference, succeeded=False)
    )

    assert (applied.status_code, applied.json()) == (200, {"status": "applied"})
    assert replayed.json() == {"status": "duplicate"}
    assert late_failure.json() == {"status": "already_settled"}
    assert await balance_of(graphql, ada) == 5_014
    assert await ledger_totals(database_url) == [("NAD", 0)]


async def test_a_failed_callback_fails_the_deposit_and_moves_nothing(
    runtime: Runtime, graphql: GraphQLClient, http: httpx.AsyncClient, database_url: str
) -> None:
    ada = await customer(runtime, graphql)
    pending = (await deposit(graphql, ada.token, ada.account_id, PENDING_CENTS)).data
    gateway_reference = reference(pending["deposit"]["transaction"]["id"], "ch")

    failed = await gateway_callback(http, runtime, event("evt_9", gateway_reference, False))

    assert failed.json() == {"status": "applied"}
    status = await graphql(
        "query($id: ID!) { transaction(id: $id) { status failureReason } }",
        {"id": pending["deposit"]["transaction"]["id"]},
        token=ada.token,
    )
    assert status.data["transaction"] == {"status": "FAILED", "failureReason": "bank said no"}
    assert await balance_of(graphql, ada) == 0
    assert await ledger_totals(database_url) == []


async def test_forged_stale_or_malformed_callbacks_are_rejected_and_change_nothing(
    runtime: Runtime, graphql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    ada = await customer(runtime, graphql)
    pending = (await deposit(graphql, ada.token, ada.account_id, PENDING_CENTS)).data
    good = event("evt_x", reference(pending["deposit"]["transaction"]["id"], "ch"))

    forged = await gateway_callback(http, runtime, good, secret=b"not-the-secret")
    stale = await gateway_callback(http, runtime, good, timestamp=int(time.time()) - 3_600)
    unsigned = await http.post("/gateway/callbacks/sandbox", json=good)
    unknown_gateway = await http.post("/gateway/callbacks/paypal", json=good)
    garbage = await gateway_callback(http, runtime, {"id": "evt_y", "type": "refund"})
    unknown_reference = await gateway_callback(http, runtime, event("evt_z", "sandbox_ch_nope"))

    assert [r.status_code for r in (forged, stale, unsigned, unknown_gateway)] == [
        401,
        401,
        401,
        404,
    ]
    assert [r.json()["errors"][0]["extensions"]["code"] for r in (forged, stale, unsigned)] == [
        "INVALID_SIGNATURE",
        "STALE_TIMESTAMP",
        "INVALID_SIGNATURE",
    ]
    assert (garbage.status_code, unknown_reference.status_code) == (400, 404)
    assert await balance_of(graphql, ada) == 0
    # the genuine event still applies afterwards: nothing above claimed its id
    assert (await gateway_callback(http, runtime, good)).json() == {"status": "applied"}


async def test_a_payout_holds_the_money_until_the_gateway_confirms(
    runtime: Runtime, graphql: GraphQLClient, http: httpx.AsyncClient, database_url: str
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql)

    pending = (await withdraw(graphql, ada, 6_000 + PENDING_CENTS)).data["withdraw"]
    wallet = (await accounts(graphql, ada.token))["CUSTOMER_WALLET:NAD"]
    spend_held = await transfer(graphql, ada, bob, 5_000)

    assert pending["transaction"]["status"] == "PROCESSING"
    assert (wallet["balance"]["amountMinor"], wallet["available"]["amountMinor"]) == (
        10_000,
        3_986,
    )
    assert spend_held.data["transfer"]["errors"][0]["code"] == "INSUFFICIENT_FUNDS"

    gateway_reference = reference(pending["transaction"]["id"], "po")
    await gateway_callback(http, runtime, event("evt_po", gateway_reference))

    wallet = (await accounts(graphql, ada.token))["CUSTOMER_WALLET:NAD"]
    assert (wallet["balance"]["amountMinor"], wallet["available"]["amountMinor"]) == (3_986, 3_986)
    assert await ledger_totals(database_url) == [("NAD", 0)]


async def test_a_failed_payout_releases_the_hold_without_posting(
    runtime: Runtime, graphql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    declined = (await withdraw(graphql, ada, 1_000 + DECLINED_CENTS)).data["withdraw"]
    pending = (await withdraw(graphql, ada, 2_000 + PENDING_CENTS)).data["withdraw"]

    await gateway_callback(
        http, runtime, event("evt_f", reference(pending["transaction"]["id"], "po"), False)
    )

    assert declined["transaction"]["status"] == "FAILED"
    wallet = (await accounts(graphql, ada.token))["CUSTOMER_WALLET:NAD"]
    assert (wallet["balance"]["amountMinor"], wallet["available"]["amountMinor"]) == (
        10_000,
        10_000,
    )


async def test_a_payout_beyond_the_balance_is_refused(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 1_000)

    refused = (await withdraw(graphql, ada, 1_001)).data["withdraw"]
    completed = (await withdraw(graphql, ada, 400)).data["withdraw"]

    assert refused["errors"][0]["code"] == "INSUFFICIENT_FUNDS"
    assert refused["transaction"] is None
    assert completed["transaction"]["status"] == "COMPLETED"
    assert await balance_of(graphql, ada) == 600
