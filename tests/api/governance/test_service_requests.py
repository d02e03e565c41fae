"""Service requests over GraphQL: the customer opens, staff work it through the state
machine, every change is in the history; customers see only their own."""

from server.app import Runtime
from tests.support.governance import (
    Person,
    act,
    assign,
    in_progress,
    open_request,
    person,
    resolve,
)
from tests.support.graphql import GraphQLClient

HISTORY = """
query($id: ID!) { serviceRequest(id: $id) { status history { edges { node {
  kind fromStatus toStatus actor { id } toAssignee { id } } } } } }
"""
REQUEST = "query($id: ID!) { serviceRequest(id: $id) { id status } }"


async def history_of(graphql: GraphQLClient, who: Person, request_id: str) -> list[dict]:
    response = await graphql(HISTORY, {"id": request_id}, token=who.token)
    return [edge["node"] for edge in response.data["serviceRequest"]["history"]["edges"]]


async def test_a_request_goes_from_open_to_closed_and_every_change_is_in_its_history(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    opened = await open_request(graphql, customer, "CRITICAL")

    assigned = await assign(graphql, staff, opened["id"])
    started = await act(graphql, staff, "startServiceRequest", opened["id"])
    resolved = await resolve(graphql, staff, opened["id"], "Refunded N$120.")
    closed = await act(graphql, staff, "closeServiceRequest", opened["id"])
    history = await history_of(graphql, customer, opened["id"])

    assert opened["status"] == "OPEN"
    assert opened["customer"] == {"id": customer.id}
    assert assigned["request"]["status"] == "ASSIGNED"
    assert assigned["request"]["assignee"] == {"id": staff.id}
    assert started["request"]["sla"]["firstRespondedAt"] is not None
    assert resolved["request"]["resolution"] == "Refunded N$120."
    assert closed["request"]["status"] == "CLOSED"
    assert [(h["kind"], h["fromStatus"], h["toStatus"]) for h in history] == [
        ("OPENED", None, "OPEN"),
        ("ASSIGNED", None, None),
        ("STATUS_CHANGED", "OPEN", "ASSIGNED"),
        ("STATUS_CHANGED", "ASSIGNED", "IN_PROGRESS"),
        ("STATUS_CHANGED", "IN_PROGRESS", "RESOLVED"),
        ("STATUS_CHANGED", "RESOLVED", "CLOSED"),
    ]
    assert [h["actor"]["id"] for h in history] == [customer.id] + [staff.id] * 5
    assert history[1]["toAssignee"] == {"id": staff.id}


async def test_an_illegal_transition_is_invalid_state_naming_from_and_to_and_changes_nothing(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    opened = await open_request(graphql, customer)

    refused = await act(graphql, staff, "startServiceRequest", opened["id"])
    history = await history_of(graphql, staff, opened["id"])

    assert refused["request"] is None
    (error,) = refused["errors"]
    assert error["code"] == "INVALID_STATE"
    assert "open -> in_progress" in error["message"]
    assert [h["kind"] for h in history] == ["OPENED"]


async def test_waiting_on_the_customer_and_resuming_moves_the_resolution_due_time(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    started = await in_progress(graphql, customer, staff)

    waiting = await act(graphql, staff, "waitOnCustomer", started["id"])
    resumed = await act(graphql, staff, "resumeServiceRequest", started["id"])
    again = await act(graphql, staff, "resumeServiceRequest", started["id"])

    assert waiting["request"]["status"] == "WAITING_ON_CUSTOMER"
    assert waiting["request"]["sla"]["paused"] is True
    assert resumed["request"]["status"] == "IN_PROGRESS"
    assert resumed["request"]["sla"]["paused"] is False
    assert resumed["request"]["sla"]["resolutionDueAt"] >= started["sla"]["resolutionDueAt"]
    assert again["errors"][0]["code"] == "INVALID_STATE"


async def test_the_customer_cancels_an_open_request_but_not_one_being_worked(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    first = await open_request(graphql, customer)
    second = await in_progress(graphql, customer, staff)

    cancelled = await act(graphql, customer, "cancelServiceRequest", first["id"])
    refused = await act(graphql, customer, "cancelServiceRequest", second["id"])
    by_staff = await act(graphql, staff, "cancelServiceRequest", second["id"])

    assert cancelled["request"]["status"] == "CANCELLED"
    assert refused["errors"][0]["code"] == "INVALID_STATE"
    assert by_staff["request"]["status"] == "CANCELLED"


async def test_the_customer_reopens_a_resolved_request_back_to_its_assignee(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    started = await in_progress(graphql, customer, staff)
    await resolve(graphql, staff, started["id"])

    reopened = await act(graphql, customer, "reopenServiceRequest", started["id"])

    assert reopened["errors"] == []
    assert reopened["request"]["status"] == "ASSIGNED"
    assert reopened["request"]["assignee"] == {"id": staff.id}
    assert reopened["request"]["resolution"] is None
    assert reopened["request"]["sla"]["resolvedAt"] is None


async def test_customers_never_see_or_touch_another_customers_request(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await person(runtime, graphql, "customer")
    mallory = await person(runtime, graphql, "customer")
    opened = await open_request(graphql, ada)

    read = await graphql(REQUEST, {"id": opened["id"]}, token=mallory.token)
    cancelled = await act(graphql, mallory, "cancelServiceRequest", opened["id"])
    listed = await graphql("{ myServiceRequests { edges { node { id } } } }", token=mallory.token)
    staff_only = await graphql("{ serviceRequests { edges { node { id } } } }", token=mallory.token)

    assert read.error_codes == ["NOT_FOUND"]
    assert cancelled["errors"][0]["code"] == "NOT_FOUND"
    assert listed.data["myServiceRequests"]["edges"] == []
    assert staff_only.error_codes == ["FORBIDDEN"]


async def test_customers_cannot_do_what_only_staff_do_and_staff_assign_only_staff(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer = await person(runtime, graphql, "customer")
    staff = await person(runtime, graphql, "staff")
    opened = await open_request(graphql, customer)

    self_assigned = await graphql(
        "mutation($id: ID!, $a: ID!) { assignServiceRequest(input: {id: $id, assigneeId: $a}) { errors { code } } }",
        {"id": opened["id"], "a": customer.id},
        token=customer.token,
    )
    to_a_customer = await assign(graphql, staff, opened["id"], customer)

    assert self_assigned.error_codes == ["FORBIDDEN"]
    assert to_a_customer["errors"][0] == {
        "code": "NOT_FOUND",
        "field": ["assigneeId"],
        "message": "No such member of staff",
    }


async def test_invalid_input_is_a_typed_error_and_opens_nothing(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer = await person(runtime, graphql, "customer")

    blank = await graphql(
        'mutation { openServiceRequest(input: {type: OTHER, title: "  ", description: "x", priority: LOW}) { request { id } errors { code field } } }',
        token=customer.token,
    )
    listed = await graphql("{ myServiceRequests { edges { node { id } } } }", token=customer.token)

    assert blank.data["openServiceRequest"] == {
        "request": None,
        "errors": [{"code": "BAD_USER_INPUT", "field": ["title"]}],
    }
    assert listed.data["myServiceRequests"]["edges"] == []
