"""Erasure end to end: a customer with KYC, MFA, an API key, sessions and transactions both
ways asks to be erased; a compliance officer approves. Afterwards nothing identifying can
be read back anywhere, the subject cannot get in, and the ledger and the audit chain hold."""

from dataclasses import dataclass
from typing import Any

import asyncpg
import orjson
import pytest

from server.app import Runtime
from tests.support.factories import PASSWORD
from tests.support.graphql import GraphQLClient, GraphQLResponse
from tests.support.identity import login, refresh
from tests.support.payments import Customer, customer, transfer
from tests.support.privacy import (
    EXPORT_SUBJECT,
    Subject,
    approve,
    every_row_as_text,
    fetch,
    furnished_subject,
    requested,
    send,
    staff,
)

NAME = "Ndapewa Shikongo"
NATIONAL_ID = "85061512345"
PHONE = "+264811234567"
SENT_REFERENCE = "Rent for Ndapewa's flat 7"
RECEIVED_REFERENCE = "Lunch money from Bob"
COUNTERPARTY = """query($id: ID!) { transaction(id: $id) { reference amount { amountMinor }
  counterparty { displayName } } }"""
NODE = "query($id: ID!) { node(id: $id) { id ... on User { email fullName } } }"
USERS = """query($f: UserFilter) { users(filter: $f, first: 100) {
  edges { node { id email fullName } } } }"""
QUEUES = """{ submitted: kycQueue(status: SUBMITTED) { edges { node { nationalIdMasked
  details { nationalId phone } } } }
  rejected: kycQueue(status: REJECTED) { edges { node { nationalIdMasked reason
  details { nationalId phone dateOfBirth } } } } }"""
AUDIT_CHAIN = "{ verifyAuditChain { ok checked firstBroken { seq } } }"
LEDGER_BALANCES = """SELECT currency, sum(amount_minor) AS total FROM ledger_entries
  GROUP BY currency"""
BALANCES = "SELECT id, balance_minor, held_minor FROM accounts ORDER BY id"


IDENTIFYING = [
    NAME,
    "Ndapewa",
    "Shikongo",
    NATIONAL_ID,
    PHONE,
    SENT_REFERENCE,
    "I am closing my account",
    "Till at the market",
]


@dataclass
class Erased:
    subject: Subject
    bob: Customer
    sent: str
    received: str
    officer: str
    balances_before: list[asyncpg.Record]
    approval: GraphQLResponse

    @property
    def identifying(self) -> list[str]:
        return [self.subject.email, *IDENTIFYING]


@pytest.fixture
async def erased(runtime: Runtime, graphql: GraphQLClient, database_url: str) -> Erased:
    """Given a furnished customer who sent and received transfers, when a compliance
    officer approves the customer's erasure request."""
    subject = await furnished_subject(
        runtime, graphql, full_name=NAME, national_id=NATIONAL_ID, phone=PHONE
    )
    bob = await customer(runtime, graphql, 50_000, name="Bob Hamutenya")
    sent = await send(graphql, subject.wallet, bob, 12_500, SENT_REFERENCE)
    received = await send(graphql, bob, subject.wallet, 2_000, RECEIVED_REFERENCE)
    officer = await staff(runtime, "compliance_officer")
    balances_before = await fetch(database_url, BALANCES)
    request_id = await requested(graphql, subject.wallet.token, "I am closing my account")
    approval = await approve(graphql, officer, request_id)
    return Erased(subject, bob, sent, received, officer, balances_before, approval)


async def test_the_approval_reports_what_each_context_erased(erased: Erased) -> None:
    payload = erased.approval.data["approveErasure"]

    assert payload["errors"] == [], erased.approval.body
    assert payload["request"]["status"] == "APPROVED"
    assert payload["request"]["reason"] == "[erased]"
    counts = payload["request"]["erased"]
    assert counts["identity"]["data_keys_destroyed"] == 1
    assert counts["identity"]["api_keys_revoked"] == 1
    assert counts["identity"]["totp_credentials_deleted"] == 1
    assert counts["identity"]["backup_codes_deleted"] == 10
    assert counts["identity"]["sessions_deleted"] >= 2
    assert counts["payments"]["transaction_references_tombstoned"] == 1


async def test_nothing_identifying_is_left_in_any_answer_or_row(
    runtime: Runtime, graphql: GraphQLClient, database_url: str, erased: Erased
) -> None:
    officer, subject = erased.officer, erased.subject
    answers = {
        "export": await graphql(EXPORT_SUBJECT, {"user": subject.global_id}, token=officer),
        "node": await graphql(NODE, {"id": subject.global_id}, token=officer),
        "by_email": await graphql(USERS, {"f": {"emailContains": "ndapewa"}}, token=officer),
        "erased": await graphql(USERS, {"f": {"status": "erased"}}, token=officer),
        "queues": await graphql(QUEUES, token=await staff(runtime, "verifier")),
        "sent": await graphql(COUNTERPARTY, {"id": erased.sent}, token=erased.bob.token),
        "received": await graphql(COUNTERPARTY, {"id": erased.received}, token=erased.bob.token),
    }
    readable = "".join(orjson.dumps(answer.body).decode() for answer in answers.values())
    stored = await every_row_as_text(database_url)

    assert [value for value in erased.identifying if value in readable] == []
    assert [value for value in erased.identifying if value in stored] == []
    assert [name for name, answer in answers.items() if answer.errors] == []
    assert answers["node"].data == {"node": None}
    assert answers["by_email"].data["users"]["edges"] == []
    assert answers["erased"].data["users"]["edges"] == [
        {
            "node": {
                "id": subject.global_id,
                "email": f"erased-{subject.user_id}@erased.invalid",
                "fullName": "[erased]",
            }
        }
    ]
    identity = answers["export"].data["exportSubjectData"]["document"]["identity"]
    assert identity["profile"]["status"] == "ERASED"
    assert identity["sessions"] == []
    assert identity["mfa"] == {
        "totpEnabled": False,
        "totpConfirmedAt": None,
        "unusedBackupCodes": 0,
    }
    assert [(k["nationalId"], k["phone"], k["dateOfBirth"]) for k in identity["kyc"]] == [
        ("[erased]", "[erased]", None)
    ]


async def test_the_other_party_still_sees_both_transfers_with_a_tombstoned_name(
    graphql: GraphQLClient, erased: Erased
) -> None:
    sent = await graphql(COUNTERPARTY, {"id": erased.sent}, token=erased.bob.token)
    received = await graphql(COUNTERPARTY, {"id": erased.received}, token=erased.bob.token)

    assert sent.data["transaction"] == {
        "reference": "[erased]",
        "amount": {"amountMinor": 12_500},
        "counterparty": {"displayName": "[erased]"},
    }
    assert received.data["transaction"] == {
        "reference": RECEIVED_REFERENCE,
        "amount": {"amountMinor": 2_000},
        "counterparty": {"displayName": "[erased]"},
    }


async def test_the_subject_can_no_longer_sign_in_nor_use_any_credential(
    graphql: GraphQLClient, erased: Erased
) -> None:
    subject = erased.subject

    signing_in = await login(graphql, subject.email, PASSWORD)
    old_token = await graphql("{ me { id } }", token=subject.wallet.token)
    api_key = await graphql("{ me { id } }", headers={"authorization": f"ApiKey {subject.api_key}"})
    refreshed = await refresh(graphql, subject.refresh_token)

    assert signing_in.data["login"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert (old_token.status_code, old_token.error_codes) == (401, ["UNAUTHENTICATED"])
    assert (api_key.status_code, api_key.error_codes) == (401, ["UNAUTHENTICATED"])
    assert refreshed.data["refreshSession"]["tokens"] is None


async def test_the_ledger_balances_and_the_audit_chain_verifies(
    graphql: GraphQLClient, database_url: str, erased: Erased
) -> None:
    entries: dict[str, Any] = {
        row["currency"]: row["total"] for row in await fetch(database_url, LEDGER_BALANCES)
    }
    balances = await fetch(database_url, BALANCES)
    chain = await graphql(AUDIT_CHAIN, token=erased.officer)

    assert entries == {"NAD": 0}
    assert balances == erased.balances_before
    assert chain.data["verifyAuditChain"]["ok"] is True
    assert chain.data["verifyAuditChain"]["firstBroken"] is None


async def test_nobody_can_send_money_to_an_erased_wallet(
    graphql: GraphQLClient, erased: Erased
) -> None:
    stranded = await transfer(graphql, erased.bob, erased.subject.wallet, 100)

    assert stranded.data["transfer"]["errors"] == [
        {"code": "NOT_FOUND", "field": ["to"], "message": "No such recipient account"}
    ]
