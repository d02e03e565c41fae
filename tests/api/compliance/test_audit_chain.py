"""verifyAuditChain over GraphQL, for holders of audit:read."""

from server.app import Runtime
from tests.support.databases import tamper
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient

VERIFY = """
query($from: Int!, $to: Int) {
  verifyAuditChain(fromSeq: $from, toSeq: $to) {
    ok fromSeq toSeq checked firstBroken { seq reason }
  }
}
"""


async def test_compliance_officers_verify_the_chain_and_see_the_first_break(
    runtime: Runtime, graphql: GraphQLClient, database_url: str
) -> None:
    officer = await create_user(runtime.services, roles=["compliance_officer"])
    for _ in range(3):
        await create_user(runtime.services)
    token = await token_for(runtime.services, officer)

    intact = await graphql(VERIFY, {"from": 1}, token=token)
    await tamper(database_url, "UPDATE audit_log SET changes = '{}' WHERE seq = 3")
    broken = await graphql(VERIFY, {"from": 1}, token=token)

    assert intact.data["verifyAuditChain"] == {
        "ok": True,
        "fromSeq": 1,
        "toSeq": 5,
        "checked": 5,
        "firstBroken": None,
    }
    assert broken.data["verifyAuditChain"]["ok"] is False
    assert broken.data["verifyAuditChain"]["firstBroken"]["seq"] == 3


async def test_an_impossible_range_is_bad_user_input(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    officer = await create_user(runtime.services, roles=["compliance_officer"])

    response = await graphql(VERIFY, {"from": 0}, token=await token_for(runtime.services, officer))

    assert response.error_codes == ["BAD_USER_INPUT"]


async def test_customers_cannot_read_audit_integrity(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer = await create_user(runtime.services)

    response = await graphql(VERIFY, {"from": 1}, token=await token_for(runtime.services, customer))

    assert response.error_codes == ["FORBIDDEN"]
