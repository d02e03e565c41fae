"""Reports as CSV (`GET /reports/<name>.csv`), authenticated and permissioned as GraphQL is,
and the Redis cache behind both: a repeated report is a hit, a relevant event makes it stale."""

import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from server.app import Runtime
from tests.api.compliance.test_reports import HISTORY, VOLUME, sql
from tests.support.compliance import officer
from tests.support.graphql import GraphQLClient
from tests.support.identity import deliver_outbox
from tests.support.metrics import cache_counts
from tests.support.payments import customer, transfer

MARCH = {"from": "2026-03-01", "to": "2026-03-03"}


async def get_csv(
    http: httpx.AsyncClient, name: str, params: dict[str, str], authorization: str | None
) -> httpx.Response:
    headers = {} if authorization is None else {"authorization": authorization}
    return await http.get(f"/reports/{name}.csv", params=params, headers=headers)


def namibian(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) - timedelta(hours=2)


async def test_the_volume_csv_holds_exactly_the_report_rows(
    runtime: Runtime, http: httpx.AsyncClient
) -> None:
    for kind, status, amount, currency, at in [
        ("payment", "completed", 1_000, "NAD", namibian(date(2026, 3, 1), 0)),
        ("payment", "completed", 2_000, "NAD", namibian(date(2026, 3, 1), 23)),
        ("payment", "failed", 5_000, "NAD", namibian(date(2026, 3, 1), 12)),
        ("deposit", "completed", 99, "USD", namibian(date(2026, 3, 3), 9)),
    ]:
        await sql(runtime, HISTORY, uuid.uuid4(), kind, status, amount, currency, at)
    staff = await officer(runtime, role="staff")

    by_day = await get_csv(http, "transactionVolume", MARCH, f"Bearer {staff.token}")
    nad_only = await get_csv(
        http, "transactionVolume", {**MARCH, "currency": "USD"}, f"Bearer {staff.token}"
    )

    assert by_day.status_code == 200
    assert by_day.headers["content-type"] == "text/csv; charset=utf-8"
    assert by_day.headers["content-disposition"] == 'attachment; filename="transactionVolume.csv"'
    assert by_day.text == (
        "period_start,period_end,currency,kind,count,total_minor\n"
        "2026-03-01,2026-03-01,NAD,PAYMENT,2,3000\n"
        "2026-03-03,2026-03-03,USD,DEPOSIT,1,99\n"
    )
    assert nad_only.text.splitlines()[1:] == ["2026-03-03,2026-03-03,USD,DEPOSIT,1,99"]


async def test_the_incident_and_kyc_csvs_name_every_column(
    runtime: Runtime, http: httpx.AsyncClient
) -> None:
    lead = await officer(runtime)

    stats = await get_csv(http, "incidentStats", MARCH, f"Bearer {lead.token}")
    funnel = await get_csv(http, "kycFunnel", MARCH, f"Bearer {lead.token}")

    assert stats.text == (
        "severity,opened,acknowledged,acknowledge_mean_s,acknowledge_median_s,"
        "acknowledge_p90_s,resolved,resolve_mean_s,resolve_median_s,resolve_p90_s\n"
        "SEV1,0,0,,,,0,,,\nSEV2,0,0,,,,0,,,\nSEV3,0,0,,,,0,,,\nSEV4,0,0,,,,0,,,\n"
    )
    assert funnel.text == "submitted,approved,rejected,pending,conversion\n0,0,0,0,\n"


async def test_csvs_need_a_credential_and_the_permission(
    runtime: Runtime, graphql: GraphQLClient, http: httpx.AsyncClient
) -> None:
    ada = await customer(runtime, graphql)
    staff = await officer(runtime, role="staff")

    anonymous = await get_csv(http, "kycFunnel", MARCH, None)
    forged = await get_csv(http, "kycFunnel", MARCH, "Bearer not-a-token")
    customer_asks = await get_csv(http, "kycFunnel", MARCH, f"Bearer {ada.token}")
    unknown = await get_csv(http, "salaries", MARCH, f"Bearer {staff.token}")
    bad_date = await get_csv(
        http, "kycFunnel", {"from": "March", "to": "2026-03-01"}, f"Bearer {staff.token}"
    )
    bad_kind = await get_csv(
        http, "transactionVolume", {**MARCH, "kind": "LOAN"}, f"Bearer {staff.token}"
    )
    backwards = await get_csv(
        http, "kycFunnel", {"from": "2026-03-02", "to": "2026-03-01"}, f"Bearer {staff.token}"
    )

    codes = [
        (r.status_code, r.json()["errors"][0]["extensions"]["code"])
        for r in (anonymous, forged, customer_asks, unknown, bad_date, bad_kind, backwards)
    ]
    assert codes == [
        (401, "UNAUTHENTICATED"),
        (401, "UNAUTHENTICATED"),
        (403, "FORBIDDEN"),
        (404, "NOT_FOUND"),
        (400, "BAD_USER_INPUT"),
        (400, "BAD_USER_INPUT"),
        (400, "BAD_USER_INPUT"),
    ]
    assert "PAYMENT" in bad_kind.json()["errors"][0]["message"]


@pytest.mark.parametrize("group_by", ["DAY", "MONTH"])
async def test_a_repeated_report_is_a_cache_hit_until_a_transaction_makes_it_stale(
    runtime: Runtime, graphql: GraphQLClient, http: httpx.AsyncClient, group_by: str
) -> None:
    ada = await customer(runtime, graphql, 5_000)
    bob = await customer(runtime, graphql)
    await deliver_outbox(runtime)
    staff = await officer(runtime, role="staff")
    today = datetime.now(UTC).date()
    window = {
        "from": (today - timedelta(days=2)).isoformat(),
        "to": (today + timedelta(days=1)).isoformat(),
        "groupBy": group_by,
    }

    def counted(response) -> int:  # type: ignore[no-untyped-def]
        periods = response.data["transactionVolume"]["periods"]
        return sum(total["count"] for period in periods for total in period["totals"])

    first = await graphql(VOLUME, window, token=staff.token)
    after_first = await cache_counts(http, "transactionVolume")
    second = await graphql(VOLUME, window, token=staff.token)
    as_csv = await get_csv(http, "transactionVolume", window, f"Bearer {staff.token}")
    after_repeats = await cache_counts(http, "transactionVolume")
    await transfer(graphql, ada, bob, 100)
    cached_until_dispatched = await graphql(VOLUME, window, token=staff.token)
    await deliver_outbox(runtime)
    after_event = await graphql(VOLUME, window, token=staff.token)
    at_last = await cache_counts(http, "transactionVolume")

    assert after_first == (0, 1)
    assert after_repeats == (2, 1)
    assert as_csv.status_code == 200
    assert counted(first) == counted(second) == counted(cached_until_dispatched) == 1
    assert counted(after_event) == 2
    assert at_last == (3, 2)
