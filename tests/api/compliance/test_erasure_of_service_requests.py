"""Service requests under data-subject rights: exported without internal notes; erased to
tombstones with their history kept; their text purged long after they ended."""

from datetime import UTC, datetime, timedelta

import orjson
from sqlalchemy import func, select, update

from persistence.governance.request_tables import ServiceRequestChangeRow, ServiceRequestRow
from schema.ids import from_global_id
from server.app import Runtime
from server.data_protection import retention_policies
from tests.support.governance import act, comment, in_progress, person, resolve
from tests.support.graphql import GraphQLClient
from tests.support.privacy import EXPORT_MINE, EXPORT_SUBJECT, approve, requested, staff

STAFF_VIEW = """query($id: ID!) { serviceRequest(id: $id) {
  title description resolution status
  comments { edges { node { body internal } } } history { edges { node { kind } } } } }"""
PRIVATE = ["Ndapewa Shikongo", "+264 81 555 0199", "she called twice, upset", "my cousin Selma"]


async def furnished_request(runtime: Runtime, graphql: GraphQLClient):  # type: ignore[no-untyped-def]
    customer = await person(runtime, graphql)
    worker = await person(runtime, graphql, "staff")
    request = await in_progress(graphql, customer, worker)
    await comment(graphql, customer, request["id"], f"It is {PRIVATE[0]}, call {PRIVATE[1]}")
    await comment(graphql, worker, request["id"], f"Internal: {PRIVATE[2]}", internal=True)
    await comment(graphql, worker, request["id"], f"We spoke to {PRIVATE[3]} as asked")
    return customer, worker, request


async def test_the_export_has_the_requests_and_public_comments_but_no_internal_notes(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer, _, request = await furnished_request(runtime, graphql)

    exported = await graphql(EXPORT_MINE, token=customer.token)

    section = exported.data["exportMyData"]["document"]["governance"]
    (mine,) = section["serviceRequests"]
    assert mine["id"] == request["id"]
    assert [c["by"] for c in mine["comments"]] == ["you", "Elcorp staff"]
    assert PRIVATE[2] not in orjson.dumps(section).decode()
    assert section["roles"] == ["customer"]


async def test_erasure_tombstones_the_text_and_keeps_the_history(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer, worker, request = await furnished_request(runtime, graphql)
    before = (await graphql(STAFF_VIEW, {"id": request["id"]}, token=worker.token)).data
    officer = await staff(runtime, "compliance_officer")

    approval = await approve(graphql, officer, await requested(graphql, customer.token))
    after = (await graphql(STAFF_VIEW, {"id": request["id"]}, token=worker.token)).data
    exported = await graphql(EXPORT_SUBJECT, {"user": customer.id}, token=officer)

    seen = after["serviceRequest"]
    assert approval.data["approveErasure"]["errors"] == []
    assert (seen["title"], seen["description"], seen["status"]) == (
        "[erased]",
        "[erased]",
        "IN_PROGRESS",
    )
    assert {edge["node"]["body"] for edge in seen["comments"]["edges"]} == {"[erased]"}
    assert seen["history"] == before["serviceRequest"]["history"]
    readable = orjson.dumps([after, exported.body]).decode()
    assert [value for value in PRIVATE if value in readable] == []
    erased = approval.data["approveErasure"]["request"]["erased"]
    assert erased["governance"]["service_request_comments_tombstoned"] == 3


async def test_retention_purges_the_text_of_requests_that_ended_long_ago(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer, worker, old = await furnished_request(runtime, graphql)
    await resolve(graphql, worker, old["id"])
    await act(graphql, worker, "closeServiceRequest", old["id"])
    recent = await in_progress(graphql, customer, worker)
    await resolve(graphql, worker, recent["id"])
    await act(graphql, worker, "closeServiceRequest", recent["id"])
    now = datetime.now(UTC)
    policy_days = runtime.settings.retention_ended_service_request_days
    async with runtime.services.session_factory() as db, db.begin():
        await db.execute(
            update(ServiceRequestRow)
            .where(ServiceRequestRow.id == from_global_id(old["id"])[1])
            .values(closed_at=now - timedelta(days=policy_days, seconds=1))
        )
        history_before = await db.scalar(select(func.count()).select_from(ServiceRequestChangeRow))
    (policy,) = [p for p in retention_policies(runtime.services) if p.table == "service_requests"]

    purged = await policy.purge(now - policy.keep_for, 100)
    again = await policy.purge(now - policy.keep_for, 100)
    old_view = (await graphql(STAFF_VIEW, {"id": old["id"]}, token=worker.token)).data
    recent_view = (await graphql(STAFF_VIEW, {"id": recent["id"]}, token=worker.token)).data
    async with runtime.services.session_factory() as db:
        history_after = await db.scalar(select(func.count()).select_from(ServiceRequestChangeRow))

    assert purged == {"service_requests": 1, "service_request_comments": 3}
    assert again == {"service_requests": 0, "service_request_comments": 0}
    assert old_view["serviceRequest"]["title"] == "[erased]"
    assert old_view["serviceRequest"]["resolution"] == "[erased]"
    assert recent_view["serviceRequest"]["title"] != "[erased]"
    assert history_after == history_before
