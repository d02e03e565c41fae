"""SLA clocks on an injected clock: due times, pauses, alerts once, and compliance rates."""

from datetime import UTC, date, datetime, timedelta

import pytest

from domain.governance.sla import (
    DEFAULT_TARGETS,
    Priority,
    SlaAlertKind,
    SlaClock,
    SlaTargets,
)
from domain.governance.sla_report import (
    SlaTally,
    as_decimal,
    basis_points,
    compliance_report,
)
from domain.shared.calendar import ReportPeriod
from domain.shared.clock import FixedClock
from domain.shared.errors import DomainError

OPENED = datetime(2026, 6, 1, 8, tzinfo=UTC)
HIGH = SlaTargets(*DEFAULT_TARGETS[Priority.HIGH])  # 4 h / 24 h
K = SlaAlertKind


def test_due_times_follow_the_priority_targets_from_when_the_request_opened() -> None:
    clock = SlaClock.started(SlaTargets(*DEFAULT_TARGETS[Priority.CRITICAL]), OPENED)

    assert clock.first_response_due_at == OPENED + timedelta(hours=1)
    assert clock.resolution_due_at == OPENED + timedelta(hours=4)


def test_waiting_on_the_customer_moves_the_owed_targets_by_the_time_waited() -> None:
    time = FixedClock(OPENED)
    sla = SlaClock.started(HIGH, time.now())
    time.advance(timedelta(hours=1))
    sla = sla.responded(time.now())
    time.advance(timedelta(hours=2))
    sla = sla.paused(time.now())
    time.advance(timedelta(hours=30))
    during_pause = sla.due_alerts(time.now(), 80)
    sla = sla.resumed(time.now())
    time.advance(timedelta(hours=1))
    sla = sla.paused(time.now())
    time.advance(timedelta(minutes=90))
    sla = sla.resumed(time.now())

    assert during_pause == []
    assert sla.first_response_due_at == OPENED + timedelta(hours=4)  # met: never moves
    assert sla.resolution_due_at == OPENED + timedelta(hours=24 + 30 + 1.5)
    assert sla.paused_at is None


def test_resolving_while_paused_ends_the_pause_first() -> None:
    sla = SlaClock.started(HIGH, OPENED).responded(OPENED).paused(OPENED + timedelta(hours=1))

    resolved = sla.resolved(OPENED + timedelta(hours=11))

    assert resolved.resolution_due_at == OPENED + timedelta(hours=34)
    assert resolved.resolved_at == OPENED + timedelta(hours=11)
    assert not resolved.breached


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (timedelta(hours=3, minutes=11), []),
        (timedelta(hours=3, minutes=12), [K.FIRST_RESPONSE_AT_RISK]),  # 80% of 4 h
        (timedelta(hours=4), [K.FIRST_RESPONSE_BREACHED]),
        (timedelta(hours=20), [K.FIRST_RESPONSE_BREACHED, K.RESOLUTION_AT_RISK]),
        (timedelta(hours=24), [K.FIRST_RESPONSE_BREACHED, K.RESOLUTION_BREACHED]),
    ],
)
def test_alerts_fall_due_at_the_at_risk_share_and_at_the_due_time(
    elapsed: timedelta, expected: list[SlaAlertKind]
) -> None:
    assert SlaClock.started(HIGH, OPENED).due_alerts(OPENED + elapsed, 80) == expected


def test_an_alert_raised_is_never_due_again_and_a_breach_covers_its_warning() -> None:
    sla = SlaClock.started(HIGH, OPENED)
    warned = sla.with_alerts(sla.due_alerts(OPENED + timedelta(hours=3, minutes=30), 80))
    breached = warned.with_alerts(warned.due_alerts(OPENED + timedelta(hours=5), 80))

    assert warned.due_alerts(OPENED + timedelta(hours=3, minutes=59), 80) == []
    assert breached.due_alerts(OPENED + timedelta(hours=6), 80) == []
    assert breached.breached
    skipped = sla.with_alerts([K.RESOLUTION_BREACHED])
    assert K.RESOLUTION_AT_RISK in skipped.alerted


def test_met_targets_raise_nothing_and_a_late_one_counts_as_breached() -> None:
    on_time = SlaClock.started(HIGH, OPENED).responded(OPENED + timedelta(minutes=5))
    late = SlaClock.started(HIGH, OPENED).responded(OPENED + timedelta(hours=5))

    assert on_time.due_alerts(OPENED + timedelta(hours=5), 80) == []
    assert not on_time.breached
    assert late.breached


@pytest.mark.parametrize(
    "targets",
    [
        (timedelta(seconds=30), timedelta(hours=1)),
        (timedelta(hours=2), timedelta(hours=1)),
        (timedelta(hours=1), timedelta(days=400)),
        (timedelta(hours=1, milliseconds=5), timedelta(hours=2)),
    ],
)
def test_targets_are_whole_seconds_ordered_and_bounded(
    targets: tuple[timedelta, timedelta],
) -> None:
    with pytest.raises(DomainError):
        SlaTargets(*targets)


def test_rates_are_exact_basis_points_rounded_half_to_even() -> None:
    assert basis_points(39, 1) == 9750
    assert basis_points(1, 0) == 10_000
    assert basis_points(0, 0) is None
    assert basis_points(1, 2) == 3333
    assert basis_points(2, 1) == 6667
    assert basis_points(1, 19_999) == 0  # 0.5 bp rounds to even
    assert basis_points(3, 19_997) == 2  # 1.5 bp rounds to even
    assert as_decimal(9750) == "0.9750"
    assert as_decimal(10_000) == "1.0000"


def test_the_report_has_a_line_per_priority_most_urgent_first_and_an_overall_line() -> None:
    period = ReportPeriod.checked(date(2026, 6, 1), date(2026, 6, 30))
    report = compliance_report(
        period,
        [
            SlaTally(Priority.HIGH, 4, 3, 1, 4, 0),
            SlaTally(Priority.LOW, 1, 1, 0, 0, 1),
        ],
    )

    assert [line.priority for line in report.by_priority] == [
        Priority.CRITICAL,
        Priority.HIGH,
        Priority.MEDIUM,
        Priority.LOW,
    ]
    assert report.by_priority[0].resolution_rate is None
    assert report.by_priority[1].first_response_rate == 7500
    assert report.overall is not None
    assert report.overall.tally == SlaTally(None, 5, 4, 1, 4, 1)
    assert report.overall.resolution_rate == 8000


def test_a_period_runs_forwards_over_namibian_days_for_at_most_a_year() -> None:
    period = ReportPeriod.checked(date(2026, 6, 1), date(2026, 6, 1))

    assert period.starts_at == datetime(2026, 5, 31, 22, tzinfo=UTC)
    assert period.ends_before == datetime(2026, 6, 1, 22, tzinfo=UTC)
    with pytest.raises(DomainError):
        ReportPeriod.checked(date(2026, 6, 2), date(2026, 6, 1))
    with pytest.raises(DomainError):
        ReportPeriod.checked(date(2024, 1, 1), date(2025, 1, 1))  # 367 days
