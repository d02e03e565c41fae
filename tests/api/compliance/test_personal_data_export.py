"""A subject's export holds their own data from every context and nothing of anyone else;
each export is audited without personal data."""

import orjson

from server.app import Runtime
from tests.support.graphql import GraphQLClient
from tests.support.payments import customer
from tests.support.privacy import EXPORT_MINE, EXPORT_SUBJECT, furnished_subject, send, staff

AUDIT = """{ auditLog(filter: {action: "compliance.personal_data_exported"}) {
  edges { node { actor entityType entityId changes } } } }"""


async def test_my_export_holds_my_data_and_nothing_of_other_users(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await furnished_subject(
        runtime, graphql, full_name="Ada Nangolo", national_id="88020212345", phone="+264812223333"
    )
    bob = await furnished_subject(
        runtime,
        graphql,
        full_name="Bob Hamutenya",
        national_id="77030312345",
        phone="+264814445555",
    )
    carol = await customer(runtime, graphql, 10_000, name="Carol Iipinge")
    await send(graphql, ada.wallet, bob.wallet, 1_500, "Ada's share of the taxi")
    await send(graphql, bob.wallet, carol, 700, "Bob pays Carol back")

    answer = await graphql(EXPORT_MINE, token=ada.wallet.token)

    export = answer.data["exportMyData"]
    document = export["document"]
    text = orjson.dumps(document).decode()
    assert export["subjectId"] == ada.global_id
    assert set(document) == {
        "subjectId",
        "generatedAt",
        "identity",
        "payments",
        "governance",
        "compliance",
    }
    assert document["identity"]["profile"]["email"] == ada.email
    assert document["identity"]["profile"]["fullName"] == "Ada Nangolo"
    assert [(k["nationalId"], k["phone"]) for k in document["identity"]["kyc"]] == [
        ("88020212345", "+264812223333")
    ]
    assert [key["name"] for key in document["identity"]["apiKeys"]] == ["Till at the market"]
    assert document["identity"]["mfa"]["totpEnabled"] is True
    assert len(document["identity"]["sessions"]) >= 2
    assert [a["id"] for a in document["payments"]["accounts"]] == [ada.wallet.account_id]
    transfer = document["payments"]["transactions"][-1]
    assert (transfer["reference"], transfer["direction"]) == ("Ada's share of the taxi", "OUT")
    assert transfer["counterparty"] == {"kind": "CUSTOMER_WALLET", "name": "Bob H."}
    for foreign in (
        bob.email,
        "Bob Hamutenya",
        "77030312345",
        "+264814445555",
        "Bob pays Carol back",
        "Carol",
        bob.wallet.account_id,
    ):
        assert foreign not in text, foreign
    for secret in ("secret", "hash", "elk_", "password"):
        assert secret not in text.lower(), secret


async def test_exports_are_audited_without_personal_data_and_only_officers_export_others(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await furnished_subject(
        runtime, graphql, full_name="Ada Nangolo", national_id="88020212345", phone="+264812223333"
    )
    officer = await staff(runtime, "compliance_officer")
    staff_member = await staff(runtime, "staff")

    mine = await graphql(EXPORT_MINE, token=ada.wallet.token)
    by_officer = await graphql(EXPORT_SUBJECT, {"user": ada.global_id}, token=officer)
    by_staff = await graphql(EXPORT_SUBJECT, {"user": ada.global_id}, token=staff_member)
    by_customer = await graphql(EXPORT_SUBJECT, {"user": ada.global_id}, token=ada.wallet.token)
    by_api_key = await graphql(EXPORT_MINE, headers={"authorization": f"ApiKey {ada.api_key}"})
    audit = await graphql(AUDIT, token=officer)

    assert mine.errors == []
    assert by_officer.errors == []
    assert (
        by_officer.data["exportSubjectData"]["document"]["identity"]
        == (mine.data["exportMyData"]["document"]["identity"])
    )
    assert by_staff.error_codes == by_customer.error_codes == ["FORBIDDEN"]
    assert by_api_key.error_codes == ["FORBIDDEN"]
    entries = [edge["node"] for edge in audit.data["auditLog"]["edges"]]
    assert [
        (e["actor"].split(":")[0], e["entityType"], e["changes"]["by_subject"]) for e in entries
    ] == [
        ("user", "User", False),
        ("user", "User", True),
    ]
    sections = ["identity", "payments", "governance", "compliance"]
    assert all(e["changes"]["sections"] == sections for e in entries)
    assert "Ada" not in orjson.dumps(entries).decode()
    assert ada.email not in orjson.dumps(entries).decode()


async def test_the_export_downloads_as_a_json_file_for_a_signed_in_user_only(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    ada = await furnished_subject(
        runtime, graphql, full_name="Ada Nangolo", national_id="88020212345", phone="+264812223333"
    )

    download = await graphql.http.get(
        "/privacy/export", headers={"authorization": f"Bearer {ada.wallet.token}"}
    )
    anonymous = await graphql.http.get("/privacy/export")
    by_api_key = await graphql.http.get(
        "/privacy/export", headers={"authorization": f"ApiKey {ada.api_key}"}
    )

    assert download.status_code == 200
    assert download.headers["content-disposition"].startswith(
        'attachment; filename="elcorp-personal-data-'
    )
    assert download.headers["cache-control"] == "no-store"
    document = orjson.loads(download.content)
    assert document["identity"]["profile"]["email"] == ada.email
    assert document["identity"]["kyc"][0]["nationalId"] == "88020212345"
    assert (anonymous.status_code, by_api_key.status_code) == (401, 403)
