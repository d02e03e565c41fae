"""The staff queue: ordered by priority, SLA due time or creation, filtered, paged by keyset
cursors, and read in the same number of statements however many rows it returns."""

from collections.abc import Callable
from contextlib import AbstractContextManager

from server.app import Runtime
from tests.support.governance import Person, assign, comment, open_request, person
from tests.support.graphql import GraphQLClient
from tests.support.sql import StatementCounter

QUEUE = """query($filter: ServiceRequestsFilter, $order: ServiceRequestOrder!, $first: Int!, $after: String) {
  serviceRequests(filter: $filter, orderBy: $order, first: $first, after: $after) {
    edges { node { id priority title status assignee { id } customer { id }
      sla { resolutionDueAt breached }
      comments(first: 5) { edges { node { body internal author { id } } } }
      history(first: 5) { edges { node { kind actor { id } } } } } }
    pageInfo { hasNextPage endCursor } } }"""


async def queue(
    graphql: GraphQLClient,
    staff: Person,
    order: str = "PRIORITY",
    first: int = 20,
    after: str | None = None,
    **filter: object,
) -> dict:
    variables = {"order": order, "first": first, "after": after, "filter": filter or None}
    response = await graphql(QUEUE, variables, token=staff.token)
    assert response.errors == [], response.body
    return response.data["serviceRequests"]  # type: ignore[no-any-return]


def titles(page: dict) -> list[str]:
    return [edge["node"]["title"] for edge in page["edges"]]


async def test_the_queue_puts_the_most_urgent_first_then_the_oldest(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    for title, priority in [("a", "LOW"), ("b", "CRITICAL"), ("c", "MEDIUM"), ("d", "CRITICAL")]:
        await open_request(graphql, customer, priority, title=title)

    by_priority = await queue(graphql, staff)
    by_due = await queue(graphql, staff, "SLA_DUE")
    newest_first = await queue(graphql, staff, "CREATED")

    assert titles(by_priority) == ["b", "d", "c", "a"]
    assert titles(by_due) == ["b", "d", "c", "a"]  # 4 h, 4 h, 3 days, 10 days
    assert titles(newest_first) == ["d", "c", "b", "a"]


async def test_pages_follow_each_order_without_repeats_or_gaps(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    for n, priority in enumerate(["LOW", "HIGH", "HIGH", "CRITICAL", "LOW", "MEDIUM", "HIGH"]):
        await open_request(graphql, customer, priority, title=f"r{n}")

    for order in ("PRIORITY", "SLA_DUE", "CREATED"):
        whole = titles(await queue(graphql, staff, order))
        paged, after = [], None
        while True:
            page = await queue(graphql, staff, order, first=3, after=after)
            paged += titles(page)
            if not page["pageInfo"]["hasNextPage"]:
                break
            after = page["pageInfo"]["endCursor"]
        assert paged == whole, order


async def test_filters_narrow_the_queue(runtime: Runtime, graphql: GraphQLClient) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    colleague = await person(runtime, graphql, "staff")
    mine = await open_request(graphql, customer, "HIGH", title="mine", request_type="KYC")
    await open_request(graphql, customer, "LOW", title="theirs", request_type="ACCOUNT")
    await open_request(graphql, customer, "HIGH", title="nobody's")
    await assign(graphql, staff, mine["id"])
    theirs = (await queue(graphql, staff, status="OPEN", priority="LOW"))["edges"][0]["node"]
    await assign(graphql, staff, theirs["id"], colleague)

    assert titles(await queue(graphql, staff, assigneeId=staff.id)) == ["mine"]
    assert titles(await queue(graphql, staff, status="OPEN")) == ["nobody's"]
    assert titles(await queue(graphql, staff, priority="HIGH")) == ["mine", "nobody's"]
    assert titles(await queue(graphql, staff, type="KYC")) == ["mine"]
    assert titles(await queue(graphql, staff, breached=False, priority="LOW")) == ["theirs"]
    due = mine["sla"]["resolutionDueAt"]
    assert titles(await queue(graphql, staff, "SLA_DUE", dueBefore=due)) == []


async def test_the_queue_costs_the_same_statements_for_3_or_12_requests(
    runtime: Runtime,
    graphql: GraphQLClient,
    count_sql: Callable[[], AbstractContextManager[StatementCounter]],
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")

    async def add(requests: int) -> None:
        for n in range(requests):
            opened = await open_request(graphql, customer, ["LOW", "HIGH", "CRITICAL"][n % 3])
            await assign(graphql, staff, opened["id"])
            await comment(graphql, staff, opened["id"], "On it.")
            await comment(graphql, staff, opened["id"], "Note.", internal=True)

    await add(3)
    with count_sql() as few:
        small = await queue(graphql, staff)
    await add(9)
    with count_sql() as many:
        large = await queue(graphql, staff)

    assert len(small["edges"]) == 3
    assert len(large["edges"]) == 12
    assert all(len(edge["node"]["comments"]["edges"]) == 2 for edge in large["edges"])
    assert many.count == few.count <= 4, many.statements
