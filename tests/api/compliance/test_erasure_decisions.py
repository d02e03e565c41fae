"""Who decides an erasure request, and what a decision other than approval changes: nothing."""

from server.app import Runtime
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient
from tests.support.privacy import (
    EXPORT_SUBJECT,
    REJECT,
    REQUEST,
    approve,
    requested,
    rows_by_table,
    staff,
)

LIST = """query($status: ErasureRequestStatus) { erasureRequests(status: $status) {
  edges { node { id status subjectId reason } } } }"""


async def test_an_officer_cannot_approve_their_own_request(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    officer = await staff(runtime, "compliance_officer")
    request_id = await requested(graphql, officer)

    own = await approve(graphql, officer, request_id)
    me = await graphql("{ me { id } }", token=officer)

    assert own.data["approveErasure"]["errors"] == [
        {
            "code": "FORBIDDEN",
            "field": ["requestId"],
            "message": "Nobody decides their own erasure request",
        }
    ]
    assert me.data["me"] is not None


async def test_a_customer_cannot_approve_nor_list_requests(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    subject = await staff(runtime, "customer")
    request_id = await requested(graphql, subject)
    other_customer = await staff(runtime, "customer")

    approval = await approve(graphql, other_customer, request_id)
    listing = await graphql(LIST, token=other_customer)

    assert approval.error_codes == ["FORBIDDEN"]
    assert approval.data is None
    assert listing.error_codes == ["FORBIDDEN"]


async def test_a_rejected_request_changes_nothing_but_its_status(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    user = await create_user(runtime.services, full_name="Selma Nghifikwa")
    token = await token_for(runtime.services, user)
    officer = await staff(runtime, "compliance_officer")
    request_id = await requested(graphql, token, "Please forget me")
    before = await rows_by_table(database_url)

    rejected = await graphql(
        REJECT, {"id": request_id, "reason": "An investigation holds the data"}, token=officer
    )
    after = await rows_by_table(database_url)
    approved_later = await approve(graphql, officer, request_id)
    me = await graphql("{ me { email fullName } }", token=token)

    assert rejected.data["rejectErasure"] == {
        "request": {
            "id": request_id,
            "status": "REJECTED",
            "decisionReason": "An investigation holds the data",
        },
        "errors": [],
    }
    changed = sorted(table for table in before if before[table] != after[table])
    assert changed == ["audit_log", "erasure_requests", "outbox_events"]
    assert approved_later.data["approveErasure"]["errors"][0]["code"] == "INVALID_STATE"
    assert me.data["me"] == {"email": user.email, "fullName": "Selma Nghifikwa"}


async def test_one_request_waits_at_a_time_and_officers_see_the_queue(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    subject = await staff(runtime, "customer")
    officer = await staff(runtime, "compliance_officer")
    request_id = await requested(graphql, subject, "Moving abroad")

    again = await graphql(REQUEST, {"reason": "Moving abroad"}, token=subject)
    queue = await graphql(LIST, {"status": "PENDING"}, token=officer)

    assert again.data["requestErasure"]["errors"][0]["code"] == "CONFLICT"
    assert [edge["node"]["id"] for edge in queue.data["erasureRequests"]["edges"]] == [request_id]
    assert queue.data["erasureRequests"]["edges"][0]["node"]["reason"] == "Moving abroad"


async def test_an_unknown_user_has_no_export(runtime: Runtime, graphql: GraphQLClient) -> None:
    officer = await staff(runtime, "compliance_officer")
    unknown = "VXNlcjowMTkzYzFkMi0wMDAwLTcwMDAtODAwMC0wMDAwMDAwMDAwMDA="

    answer = await graphql(EXPORT_SUBJECT, {"user": unknown}, token=officer)

    assert answer.error_codes == ["NOT_FOUND"]
