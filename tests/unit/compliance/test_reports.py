"""Report arithmetic without a database: Namibian periods, grouping, percentiles, funnel."""

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.compliance.incidents import Severity
from domain.compliance.report_periods import Grouping, buckets
from domain.compliance.reports import (
    DailyVolume,
    IncidentTimes,
    KycDecisions,
    VolumeTotal,
    duration_stats,
    incident_stats,
    kyc_funnel,
    percentile,
    transaction_volume,
)
from domain.shared.calendar import ReportPeriod
from domain.shared.errors import DomainError
from domain.shared.money import Currency

JUNE = ReportPeriod.checked(date(2026, 6, 1), date(2026, 6, 30))


def test_a_period_runs_from_namibian_midnight_to_namibian_midnight() -> None:
    period = ReportPeriod.checked(date(2026, 6, 1), date(2026, 6, 2))

    assert period.starts_at == datetime(2026, 5, 31, 22, tzinfo=UTC)
    assert period.ends_before == datetime(2026, 6, 2, 22, tzinfo=UTC)


def test_a_period_is_in_order_and_at_most_366_days() -> None:
    with pytest.raises(DomainError):
        ReportPeriod.checked(date(2026, 6, 2), date(2026, 6, 1))
    with pytest.raises(DomainError):
        ReportPeriod.checked(date(2025, 1, 1), date(2026, 1, 2))
    assert ReportPeriod.checked(date(2025, 1, 2), date(2026, 1, 2)).last_day == date(2026, 1, 2)


def test_weeks_start_on_monday_and_are_clipped_to_the_period() -> None:
    # 2026-06-01 is a Monday; the 30th a Tuesday
    assert buckets(ReportPeriod.checked(date(2026, 6, 3), date(2026, 6, 16)), Grouping.WEEK) == [
        (date(2026, 6, 3), date(2026, 6, 7)),
        (date(2026, 6, 8), date(2026, 6, 14)),
        (date(2026, 6, 15), date(2026, 6, 16)),
    ]
    assert buckets(ReportPeriod.checked(date(2026, 5, 30), date(2026, 7, 2)), Grouping.MONTH) == [
        (date(2026, 5, 30), date(2026, 5, 31)),
        (date(2026, 6, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 7, 2)),
    ]
    assert len(buckets(JUNE, Grouping.DAY)) == 30


def test_daily_volumes_add_up_per_period_currency_and_kind_with_empty_periods_kept() -> None:
    days = [
        DailyVolume(date(2026, 6, 1), Currency.NAD, "payment", 2, 1_000),
        DailyVolume(date(2026, 6, 3), Currency.NAD, "payment", 1, 250),
        DailyVolume(date(2026, 6, 3), Currency.USD, "deposit", 1, 99),
        DailyVolume(date(2026, 6, 20), Currency.NAD, "transfer", 4, 400),
    ]

    volume = transaction_volume(JUNE, Grouping.WEEK, days)

    assert [(p.first_day, p.last_day) for p in volume.periods][:2] == [
        (date(2026, 6, 1), date(2026, 6, 7)),
        (date(2026, 6, 8), date(2026, 6, 14)),
    ]
    assert volume.periods[0].totals == (
        VolumeTotal(Currency.NAD, "payment", 3, 1_250),
        VolumeTotal(Currency.USD, "deposit", 1, 99),
    )
    assert volume.periods[1].totals == ()
    assert volume.periods[2].totals == (VolumeTotal(Currency.NAD, "transfer", 4, 400),)


def test_percentiles_interpolate_between_ranks() -> None:
    assert percentile([10, 20, 30, 40], 0.5) == 25
    assert percentile([10, 20, 30, 40], 0.9) == pytest.approx(37)
    assert percentile([5], 0.9) == 5
    assert duration_stats([]).mean_s is None
    assert duration_stats([1.0, 2.0, 6.0]).mean_s == 3.0


def test_incident_stats_measure_from_opening_per_severity() -> None:
    opened = datetime(2026, 6, 2, 8, tzinfo=UTC)
    times = [
        IncidentTimes(Severity.SEV1, opened, opened + timedelta(minutes=2), None),
        IncidentTimes(
            Severity.SEV1,
            opened,
            opened + timedelta(minutes=4),
            opened + timedelta(hours=1),
        ),
        IncidentTimes(Severity.SEV3, opened, None, None),
    ]

    stats = {s.severity: s for s in incident_stats(JUNE, times).severities}

    assert list(stats) == [Severity.SEV1, Severity.SEV2, Severity.SEV3, Severity.SEV4]
    assert stats[Severity.SEV1].opened == 2
    assert stats[Severity.SEV1].time_to_acknowledge.median_s == 180
    assert stats[Severity.SEV1].time_to_resolve.count == 1
    assert stats[Severity.SEV3].time_to_acknowledge.count == 0
    assert stats[Severity.SEV2].opened == 0


def test_the_kyc_funnel_converts_approved_over_submitted() -> None:
    funnel = kyc_funnel(JUNE, KycDecisions(approved=3, rejected=1, pending=4))

    assert (funnel.submitted, funnel.conversion) == (8, 0.375)
    assert kyc_funnel(JUNE, KycDecisions(0, 0, 0)).conversion is None
