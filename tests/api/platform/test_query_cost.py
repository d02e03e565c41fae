"""Query cost (IBM cost directives, as Apollo computes them) in `extensions.cost`, numbers
worked out by hand, and per-principal budgets in Redis that refuse an operation before it
runs once it costs more than the budget holds."""

from collections.abc import AsyncIterator, Callable
from contextlib import AbstractContextManager
from datetime import UTC, datetime, timedelta

import pytest

from domain.shared.clock import FixedClock
from server.app import Runtime
from server.settings import QueryLimits, Settings
from tests.support.compliance import runtime_on
from tests.support.graphql import GraphQLClient
from tests.support.identity import stepped_up_token
from tests.support.payments import customer, deposit
from tests.support.sql import StatementCounter

ROLES = "{ roles { name } }"
CREATE_KEY = """mutation { createApiKey(input: {name: "Dashboard", scopes: ["roles:read"]}) {
  secret errors { code } } }"""
PAGES = """query($n: Int!) { me { accounts { transactions(first: $n) {
  edges { node { id } } pageInfo { hasNextPage } } } } }"""
WITH_AMOUNTS = """query($n: Int!) { me { accounts { transactions(first: $n) {
  edges { node { id amount { amountMinor } } } pageInfo { hasNextPage } } } } }"""
USER = QueryLimits(max_cost=1_000)
PARTNER = QueryLimits(max_cost=60, budget_maximum=100, budget_restore_rate=10)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.now(UTC).replace(microsecond=0))


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"query_limits_api_key": PARTNER, "query_limits_user": USER})


@pytest.fixture
async def runtime(settings: Settings, clock: FixedClock) -> AsyncIterator[Runtime]:
    async with runtime_on(settings, clock) as runtime:
        yield runtime


def cost_of(body: dict) -> tuple[int, int | None]:
    cost = body["extensions"]["cost"]
    return cost["requestedQueryCost"], cost["actualQueryCost"]


@pytest.mark.parametrize(
    ("document", "requested"),
    [
        # me: a User (1)
        ("{ me { id } }", 1),
        # me 1 + accounts (a wallet per currency: 4) x (Account 1 + Money 1)
        ("{ me { accounts { id balance { amountMinor } } } }", 1 + 4 * (1 + 1)),
        # me 1 + 4 x (Account 1 + connection 1 + edges 5 x (Edge 1 + node 1) + PageInfo 1)
        (
            "{ me { accounts { transactions(first: 5) { edges { node { id } } "
            "pageInfo { hasNextPage } } } } }",
            1 + 4 * (1 + 1 + 5 * (1 + 1) + 1),
        ),
        # the argument's default (20) when it is not given; skipped fields cost nothing
        (
            "{ me { accounts { transactions { edges { cursor } } "
            "balance @skip(if: true) { amountMinor } } } }",
            1 + 4 * (1 + 1 + 20 * 1),
        ),
        # a mutation adds 10 to its payload object
        ("mutation { logout { ok } }", 10 + 1),
    ],
)
async def test_requested_cost_is_computed_before_execution(
    runtime: Runtime, graphql: GraphQLClient, document: str, requested: int
) -> None:
    ada = await customer(runtime, graphql)

    response = await graphql(document, token=ada.token)

    assert cost_of(response.body)[0] == requested


async def test_actual_cost_counts_what_the_response_holds(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql)
    await deposit(graphql, ada.token, ada.account_id, 5_000)

    response = await graphql("query Pages" + PAGES.removeprefix("query"), {"n": 3}, token=ada.token)
    metrics = (await graphql.http.get("/metrics")).text

    # requested: me 1 + 4 x (1 + 1 + 3 x 2 + 1); actual: one wallet, one transaction
    assert cost_of(response.body) == (1 + 4 * (1 + 1 + 3 * 2 + 1), 1 + (1 + 1 + 1 * 2 + 1))
    assert (
        'elcorp_graphql_operation_cost_sum{measure="actual",operation="Pages",principal="user"} 6.0'
        in metrics
    )
    throttle = response.body["extensions"]["cost"]["throttleStatus"]
    limits = runtime.settings.query_limits_user
    assert throttle["maximumAvailable"] == limits.budget_maximum
    assert throttle["restoreRate"] == limits.budget_restore_rate


async def test_a_partner_key_is_throttled_where_its_budget_runs_out(
    runtime: Runtime, graphql: GraphQLClient, clock: FixedClock
) -> None:
    admin = await stepped_up_token(runtime, graphql, roles=["admin"])
    secret = (await graphql(CREATE_KEY, token=admin)).data["createApiKey"]["secret"]
    partner = {"authorization": f"ApiKey {secret}"}

    first = await graphql(ROLES, headers=partner)
    requested, actual = cost_of(first.body)
    assert actual is not None
    expected_left, outcomes, expected = PARTNER.budget_maximum - actual, [], []
    while expected_left >= requested:
        response = await graphql(ROLES, headers=partner)
        outcomes.append(response.body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"])
        expected_left -= actual
        expected.append(expected_left)
    refused = await graphql(ROLES, headers=partner)
    clock.advance(timedelta(seconds=refused.errors[0]["extensions"]["retryAfter"]))
    after_waiting = await graphql(ROLES, headers=partner)

    # roles: a list with no declared size, assumed to hold 10 RoleDefinitions
    assert requested == 10
    assert outcomes == expected
    assert refused.data is None
    assert refused.error_codes == ["RATE_LIMITED"]
    assert refused.errors[0]["extensions"]["retryAfter"] == -(
        -(requested - expected_left) // PARTNER.budget_restore_rate
    )
    assert refused.body["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] == (
        expected_left
    )
    assert after_waiting.errors == []


async def test_an_operation_over_the_maximum_cost_is_refused_before_it_runs(
    runtime: Runtime,
    graphql: GraphQLClient,
    count_sql: Callable[[], AbstractContextManager[StatementCounter]],
) -> None:
    ada = await customer(runtime, graphql)

    with count_sql() as authenticating:
        await graphql("{ __typename }", token=ada.token)
    with count_sql() as counted:
        response = await graphql(WITH_AMOUNTS, {"n": 100}, token=ada.token)

    assert response.error_codes == ["QUERY_TOO_COMPLEX"]
    assert response.errors[0]["extensions"]["limit"] == runtime.settings.query_limits_user.max_cost
    assert response.errors[0]["extensions"]["measured"] == 1 + 4 * (1 + 1 + 100 * 3 + 1)
    assert response.data is None
    assert counted.statements == authenticating.statements
