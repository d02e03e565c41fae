"""Auditors read the log by entity, actor, action and time, and see whether the signed
checkpoints still hold."""

from datetime import UTC, datetime, timedelta

from adapters.audit_checkpoints import AuditCheckpointJob
from server.app import Runtime
from tests.support.databases import rewrite_history
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient
from tests.support.payments import customer, transfer

AUDIT_LOG = """
query($filter: AuditLogFilter, $first: Int! = 20, $after: String) {
  auditLog(filter: $filter, first: $first, after: $after) {
    edges { node { seq actor action entityType entityId changes } }
    pageInfo { hasNextPage endCursor } } }
"""
CHECKPOINTS = """
{ auditCheckpoints { edges { node { seq hash keyId signatureValid } } }
  verifyAuditChain { ok checkpoints { ok checked firstInvalid { seq reason } } } }
"""


async def officer_token(runtime: Runtime) -> str:
    officer = await create_user(runtime.services, roles=["compliance_officer"])
    return await token_for(runtime.services, officer)


async def test_auditors_filter_the_log_and_page_through_it_newest_first(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql, 10_000)
    bob = await customer(runtime, graphql)
    await transfer(graphql, ada, bob, 250)
    token = await officer_token(runtime)
    recorded = {"action": "payments.transaction_recorded"}

    transfers = await graphql(AUDIT_LOG, {"filter": recorded}, token=token)
    first_page = await graphql(AUDIT_LOG, {"filter": recorded, "first": 1}, token=token)
    cursor = first_page.data["auditLog"]["pageInfo"]["endCursor"]
    second_page = await graphql(
        AUDIT_LOG, {"filter": recorded, "first": 1, "after": cursor}, token=token
    )
    future = await graphql(
        AUDIT_LOG,
        {"filter": {"occurredFrom": (datetime.now(UTC) + timedelta(hours=1)).isoformat()}},
        token=token,
    )

    entries = [edge["node"] for edge in transfers.data["auditLog"]["edges"]]
    assert [entry["changes"]["kind"] for entry in entries] == ["transfer", "deposit"]
    assert entries[0]["changes"]["amount_minor"] == 250
    assert entries[0]["actor"].startswith("user:")
    assert entries[0]["seq"] > entries[1]["seq"]
    assert [e["node"]["seq"] for e in first_page.data["auditLog"]["edges"]] == [entries[0]["seq"]]
    assert [e["node"]["seq"] for e in second_page.data["auditLog"]["edges"]] == [entries[1]["seq"]]
    assert future.data["auditLog"]["edges"] == []


async def test_only_holders_of_audit_read_see_the_log(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await customer(runtime, graphql)

    answer = await graphql(AUDIT_LOG, token=ada.token)

    assert answer.error_codes == ["FORBIDDEN"]


async def test_checkpoints_hold_until_history_is_rewritten(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    await customer(runtime, graphql, 1_000)
    token = await officer_token(runtime)
    job = AuditCheckpointJob(runtime.services.session_factory, runtime.services.checkpoint_keys)
    written = await job(runtime.services.clock.now())
    unchanged = await job(runtime.services.clock.now())

    intact = await graphql(CHECKPOINTS, token=token)
    await rewrite_history(database_url, 2, "forged")
    rewritten = await graphql(CHECKPOINTS, token=token)

    (checkpoint,) = [e["node"] for e in intact.data["auditCheckpoints"]["edges"]]
    assert written == {"written": 1, "seq": checkpoint["seq"]}
    assert unchanged == {"written": 0}
    assert checkpoint["signatureValid"] is True
    assert intact.data["verifyAuditChain"] == {
        "ok": True,
        "checkpoints": {"ok": True, "checked": 1, "firstInvalid": None},
    }
    assert rewritten.data["verifyAuditChain"]["ok"] is True  # the recomputed chain is consistent
    assert rewritten.data["verifyAuditChain"]["checkpoints"] == {
        "ok": False,
        "checked": 0,
        "firstInvalid": {
            "seq": checkpoint["seq"],
            "reason": "the chain no longer has the checkpointed hash",
        },
    }
