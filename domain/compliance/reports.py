"""Report figures, computed from what the database counted: volumes per period, incident
response times per severity, the KYC funnel."""

import math
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from domain.compliance.incidents import Severity
from domain.compliance.report_periods import Grouping, bucket_start, buckets
from domain.shared.calendar import ReportPeriod
from domain.shared.money import Currency


@dataclass(frozen=True)
class DailyVolume:
    """Transactions that went through on one Namibian day, of one currency and kind."""

    day: date
    currency: Currency
    kind: str
    count: int
    total_minor: int


@dataclass(frozen=True)
class VolumeTotal:
    currency: Currency
    kind: str
    count: int
    total_minor: int


@dataclass(frozen=True)
class VolumePeriod:
    first_day: date
    last_day: date
    totals: tuple[VolumeTotal, ...]


@dataclass(frozen=True)
class TransactionVolume:
    period: ReportPeriod
    grouping: Grouping
    periods: tuple[VolumePeriod, ...]


def transaction_volume(
    period: ReportPeriod, grouping: Grouping, days: Iterable[DailyVolume]
) -> TransactionVolume:
    """Every period of the report, empty ones too; totals by currency, then kind."""
    sums: dict[date, dict[tuple[Currency, str], list[int]]] = defaultdict(dict)
    for day in days:
        start = max(bucket_start(day.day, grouping), period.first_day)
        count_and_total = sums[start].setdefault((day.currency, day.kind), [0, 0])
        count_and_total[0] += day.count
        count_and_total[1] += day.total_minor
    periods = tuple(
        VolumePeriod(
            first,
            last,
            tuple(
                VolumeTotal(currency, kind, count, total)
                for (currency, kind), (count, total) in sorted(sums[first].items())
            ),
        )
        for first, last in buckets(period, grouping)
    )
    return TransactionVolume(period, grouping, periods)


@dataclass(frozen=True)
class IncidentTimes:
    severity: Severity
    opened_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None


@dataclass(frozen=True)
class DurationStats:
    """Seconds; None where there is nothing to measure."""

    count: int
    mean_s: float | None
    median_s: float | None
    p90_s: float | None


@dataclass(frozen=True)
class SeverityStats:
    severity: Severity
    opened: int
    time_to_acknowledge: DurationStats
    time_to_resolve: DurationStats


@dataclass(frozen=True)
class IncidentStats:
    period: ReportPeriod
    severities: tuple[SeverityStats, ...]


def percentile(values: Sequence[float], fraction: float) -> float:
    """Linear interpolation between closest ranks (PostgreSQL's percentile_cont)."""
    ordered = sorted(values)
    rank = fraction * (len(ordered) - 1)
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def duration_stats(seconds: Sequence[float]) -> DurationStats:
    if not seconds:
        return DurationStats(0, None, None, None)
    return DurationStats(
        len(seconds), statistics.fmean(seconds), percentile(seconds, 0.5), percentile(seconds, 0.9)
    )


def incident_stats(period: ReportPeriod, incidents: Iterable[IncidentTimes]) -> IncidentStats:
    """Incidents opened in the period, per severity (all four, SEV1 first): how long until
    someone acknowledged them, and until they were resolved."""
    by_severity: dict[Severity, list[IncidentTimes]] = {severity: [] for severity in Severity}
    for incident in incidents:
        by_severity[incident.severity].append(incident)
    return IncidentStats(
        period,
        tuple(
            SeverityStats(
                severity,
                len(opened),
                duration_stats(_seconds_until(opened, lambda i: i.acknowledged_at)),
                duration_stats(_seconds_until(opened, lambda i: i.resolved_at)),
            )
            for severity, opened in by_severity.items()
        ),
    )


def _seconds_until(
    incidents: Iterable[IncidentTimes], moment: Callable[[IncidentTimes], datetime | None]
) -> list[float]:
    return [
        (at - incident.opened_at).total_seconds()
        for incident in incidents
        if (at := moment(incident)) is not None
    ]


@dataclass(frozen=True)
class KycDecisions:
    """Profiles submitted in the period, by where they stand now."""

    approved: int
    rejected: int
    pending: int


@dataclass(frozen=True)
class KycFunnel:
    period: ReportPeriod
    submitted: int
    approved: int
    rejected: int
    pending: int
    conversion: float | None
    """Approved over submitted; None when nothing was submitted."""


def kyc_funnel(period: ReportPeriod, decisions: KycDecisions) -> KycFunnel:
    submitted = decisions.approved + decisions.rejected + decisions.pending
    return KycFunnel(
        period,
        submitted,
        decisions.approved,
        decisions.rejected,
        decisions.pending,
        decisions.approved / submitted if submitted else None,
    )
