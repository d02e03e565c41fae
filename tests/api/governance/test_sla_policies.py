"""SLA policies: seeded from DOMAIN.md's targets, edited by admins (`sla:manage`), applied
to requests opened afterwards."""

from datetime import datetime, timedelta

from server.app import Runtime
from tests.support.governance import open_request, person
from tests.support.graphql import GraphQLClient

POLICIES = "{ slaPolicies { type priority firstResponseSeconds resolutionSeconds } }"
UPDATE = """mutation($first: Int!, $resolution: Int!) { updateSlaPolicy(input: {type: PAYMENT,
  priority: HIGH, firstResponseSeconds: $first, resolutionSeconds: $resolution}) {
  policy { type priority firstResponseSeconds resolutionSeconds } errors { code field } } }"""
HOUR = 3_600


async def test_every_type_starts_with_the_targets_domain_md_gives_per_priority(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    staff = await person(runtime, graphql, "staff")

    policies = (await graphql(POLICIES, token=staff.token)).data["slaPolicies"]

    targets = {(p["priority"], p["firstResponseSeconds"], p["resolutionSeconds"]) for p in policies}
    assert targets == {
        ("CRITICAL", HOUR, 4 * HOUR),
        ("HIGH", 4 * HOUR, 24 * HOUR),
        ("MEDIUM", 24 * HOUR, 72 * HOUR),
        ("LOW", 72 * HOUR, 240 * HOUR),
    }
    assert len(policies) == 6 * 4


async def test_an_admin_edits_a_policy_and_only_later_requests_follow_it(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    admin = await person(runtime, graphql, "admin")
    customer = await person(runtime, graphql, "customer")
    before = await open_request(graphql, customer, "HIGH")

    updated = await graphql(UPDATE, {"first": HOUR, "resolution": 8 * HOUR}, token=admin.token)
    after = await open_request(graphql, customer, "HIGH")

    assert updated.data["updateSlaPolicy"] == {
        "policy": {
            "type": "PAYMENT",
            "priority": "HIGH",
            "firstResponseSeconds": HOUR,
            "resolutionSeconds": 8 * HOUR,
        },
        "errors": [],
    }

    def span(request: dict) -> timedelta:
        due = request["sla"]
        return datetime.fromisoformat(due["resolutionDueAt"]) - datetime.fromisoformat(
            due["firstResponseDueAt"]
        )

    assert span(before) == timedelta(hours=20)
    assert span(after) == timedelta(hours=7)


async def test_targets_out_of_order_or_range_are_refused_and_staff_may_not_edit(
    runtime: Runtime, graphql: GraphQLClient
) -> None:
    admin = await person(runtime, graphql, "admin")
    staff = await person(runtime, graphql, "staff")

    backwards = await graphql(UPDATE, {"first": 9 * HOUR, "resolution": HOUR}, token=admin.token)
    too_short = await graphql(UPDATE, {"first": 30, "resolution": HOUR}, token=admin.token)
    by_staff = await graphql(UPDATE, {"first": HOUR, "resolution": 2 * HOUR}, token=staff.token)

    assert backwards.data["updateSlaPolicy"]["errors"] == [
        {"code": "BAD_USER_INPUT", "field": ["firstResponseSeconds"]}
    ]
    assert too_short.data["updateSlaPolicy"]["policy"] is None
    assert by_staff.errors[0]["extensions"] == {
        "code": "FORBIDDEN",
        "requiredScopes": [["sla:manage"]],
    }
