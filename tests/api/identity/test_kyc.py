"""KYC through GraphQL: submit, review by someone else, limits by tier, no probing."""

from server.app import Runtime
from tests.support.factories import create_user, token_for
from tests.support.graphql import GraphQLClient

SUBMIT = """
mutation($input: SubmitKycInput!) {
  submitKyc(input: $input) { kyc { id status nationalIdMasked } errors { code field } }
}
"""
REVIEW = """
mutation($id: ID!, $decision: KycDecision!, $reason: String!) {
  reviewKyc(input: {id: $id, decision: $decision, reason: $reason}) { kyc { status tier reason } errors { code field } }
}
"""
LIMITS = "{ me { kyc { status tier } limits { maxBalance { amountMinor currency display } dailyOutflow { display } } } }"
QUEUE = "{ kycQueue(first: 10) { edges { node { id nationalIdMasked details { nationalId phone dateOfBirth } } } } }"
PROFILE = {"nationalId": "90010112345", "phone": "+264 81 123 4567", "dateOfBirth": "1990-01-01"}


async def test_a_verifier_approves_a_submission_and_the_limits_rise(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer_user = await create_user(runtime.services)
    customer = await token_for(runtime.services, customer_user)
    verifier = await token_for(
        runtime.services, await create_user(runtime.services, roles=["verifier"])
    )

    before = await graphql(LIMITS, token=customer)
    submitted = await graphql(SUBMIT, {"input": PROFILE}, token=customer)
    again = await graphql(SUBMIT, {"input": PROFILE}, token=customer)
    queue = await graphql(QUEUE, token=verifier)
    kyc_id = submitted.data["submitKyc"]["kyc"]["id"]
    approved = await graphql(
        REVIEW, {"id": kyc_id, "decision": "APPROVE", "reason": "ID matches"}, token=verifier
    )
    after = await graphql(LIMITS, token=customer)

    assert before.data["me"] == {
        "kyc": None,
        "limits": {
            "maxBalance": {"amountMinor": 500000, "currency": "NAD", "display": "N$5,000.00"},
            "dailyOutflow": {"display": "N$2,000.00"},
        },
    }
    assert submitted.data["submitKyc"]["kyc"]["status"] == "SUBMITTED"
    assert submitted.data["submitKyc"]["kyc"]["nationalIdMasked"] == "*******2345"
    assert again.data["submitKyc"]["errors"] == [{"code": "CONFLICT", "field": None}]
    (entry,) = queue.data["kycQueue"]["edges"]
    assert entry["node"]["details"] == {
        "nationalId": "90010112345",
        "phone": "+264811234567",
        "dateOfBirth": "1990-01-01",
    }
    assert approved.data["reviewKyc"]["kyc"] == {
        "status": "APPROVED",
        "tier": "VERIFIED",
        "reason": "ID matches",
    }
    assert after.data["me"]["kyc"] == {"status": "APPROVED", "tier": "VERIFIED"}
    assert after.data["me"]["limits"]["dailyOutflow"]["display"] == "N$100,000.00"


async def test_nobody_reviews_their_own_profile(runtime: Runtime, graphql: GraphQLClient) -> None:
    verifier = await token_for(
        runtime.services, await create_user(runtime.services, roles=["verifier"])
    )
    submitted = await graphql(SUBMIT, {"input": PROFILE}, token=verifier)

    own = await graphql(
        REVIEW,
        {"id": submitted.data["submitKyc"]["kyc"]["id"], "decision": "APPROVE", "reason": "me"},
        token=verifier,
    )

    assert own.data["reviewKyc"] == {
        "kyc": None,
        "errors": [{"code": "FORBIDDEN", "field": ["id"]}],
    }


async def test_customers_cannot_review_or_read_details(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    customer = await token_for(runtime.services, await create_user(runtime.services))
    submitted = await graphql(SUBMIT, {"input": PROFILE}, token=customer)
    kyc_id = submitted.data["submitKyc"]["kyc"]["id"]

    review = await graphql(
        REVIEW, {"id": kyc_id, "decision": "APPROVE", "reason": "x"}, token=customer
    )
    details = await graphql(
        "query($id: ID!) { node(id: $id) { ... on KycProfile { details { nationalId } } } }",
        {"id": kyc_id},
        token=customer,
    )

    assert review.error_codes == ["FORBIDDEN"]
    assert details.error_codes == ["FORBIDDEN"]


async def test_another_customers_profile_is_not_found(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    victim = await token_for(runtime.services, await create_user(runtime.services))
    mallory = await token_for(runtime.services, await create_user(runtime.services))
    submitted = await graphql(SUBMIT, {"input": PROFILE}, token=victim)

    probe = await graphql(
        "query($id: ID!) { node(id: $id) { id } }",
        {"id": submitted.data["submitKyc"]["kyc"]["id"]},
        token=mallory,
    )

    assert probe.result == {"data": {"node": None}}


async def test_invalid_details_are_typed_errors(runtime: Runtime, graphql: GraphQLClient) -> None:
    customer = await token_for(runtime.services, await create_user(runtime.services))

    responses = [
        await graphql(SUBMIT, {"input": PROFILE | change}, token=customer)
        for change in (
            {"nationalId": "12AB"},
            {"phone": "0811234567"},
            {"dateOfBirth": "2015-06-01"},
        )
    ]

    assert [r.data["submitKyc"]["errors"][0]["field"] for r in responses] == [
        ["nationalId"],
        ["phone"],
        ["dateOfBirth"],
    ]
