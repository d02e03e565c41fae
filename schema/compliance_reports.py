"""Reports for `reports:read`: transaction volume, incident response times, the KYC funnel.
Days are Namibian (UTC+2); each report is also `GET /reports/<field name>.csv`."""

from datetime import date
from typing import Annotated, TypeVar

import strawberry
from strawberry.types import Info

from domain.compliance.report_periods import Grouping
from domain.compliance.reports import DurationStats as DomainDurationStats
from domain.compliance.reports import IncidentStats, KycFunnel, TransactionVolume
from domain.payments.model import TransactionKind as DomainTransactionKind
from domain.shared.calendar import ReportPeriod
from domain.shared.errors import DomainError
from domain.shared.money import Currency as DomainCurrency
from domain.shared.money import Money as DomainMoney
from resolvers.compliance import reports
from schema.compliance_incidents import IncidentSeverity
from schema.errors import BadUserInput
from schema.payments_accounts import TransactionKind
from schema.permissions import requires_scopes
from schema.shared import Currency, Money

ReportGrouping = strawberry.enum(Grouping, name="ReportGrouping")
READ = [reports.READ]
FirstDay = Annotated[date, strawberry.argument(name="from", description="Inclusive.")]
LastDay = Annotated[date, strawberry.argument(name="to", description="Inclusive.")]


@strawberry.type(description="Transactions that went through, of one currency and kind.")
class TransactionVolumeTotal:
    currency: Currency
    kind: TransactionKind
    count: int
    total: Money


@strawberry.type(description="One day, week (from Monday) or month, clipped to the report.")
class TransactionVolumePeriod:
    first_day: date = strawberry.field(name="from")
    last_day: date = strawberry.field(name="to")
    totals: list[TransactionVolumeTotal] = strawberry.field(
        description="By currency, then kind; empty when nothing went through."
    )


@strawberry.type(
    description="Completed transactions by the Namibian day they were made, including "
    "those reversed since (a reversal counts as a REVERSAL of its own)."
)
class TransactionVolumeReport:
    first_day: date = strawberry.field(name="from")
    last_day: date = strawberry.field(name="to")
    group_by: ReportGrouping
    periods: list[TransactionVolumePeriod]

    @classmethod
    def from_domain(cls, volume: TransactionVolume) -> "TransactionVolumeReport":
        return cls(
            first_day=volume.period.first_day,
            last_day=volume.period.last_day,
            group_by=volume.grouping,
            periods=[
                TransactionVolumePeriod(
                    first_day=period.first_day,
                    last_day=period.last_day,
                    totals=[
                        TransactionVolumeTotal(
                            currency=total.currency,
                            kind=DomainTransactionKind(total.kind),
                            count=total.count,
                            total=Money.from_domain(DomainMoney(total.total_minor, total.currency)),
                        )
                        for total in period.totals
                    ],
                )
                for period in volume.periods
            ],
        )


@strawberry.type(description="Seconds from opening; null where nothing was measured.")
class DurationStats:
    count: int
    mean_seconds: float | None
    median_seconds: float | None
    p90_seconds: float | None = strawberry.field(description="Interpolated between closest ranks.")

    @classmethod
    def from_domain(cls, stats: DomainDurationStats) -> "DurationStats":
        return cls(
            count=stats.count,
            mean_seconds=stats.mean_s,
            median_seconds=stats.median_s,
            p90_seconds=stats.p90_s,
        )


@strawberry.type
class IncidentSeverityStats:
    severity: IncidentSeverity
    opened: int
    time_to_acknowledge: DurationStats
    time_to_resolve: DurationStats


@strawberry.type(description="Incidents opened in the period, per severity (all four).")
class IncidentStatsReport:
    first_day: date = strawberry.field(name="from")
    last_day: date = strawberry.field(name="to")
    severities: list[IncidentSeverityStats]

    @classmethod
    def from_domain(cls, stats: IncidentStats) -> "IncidentStatsReport":
        return cls(
            first_day=stats.period.first_day,
            last_day=stats.period.last_day,
            severities=[
                IncidentSeverityStats(
                    severity=row.severity,
                    opened=row.opened,
                    time_to_acknowledge=DurationStats.from_domain(row.time_to_acknowledge),
                    time_to_resolve=DurationStats.from_domain(row.time_to_resolve),
                )
                for row in stats.severities
            ],
        )


@strawberry.type(description="KYC profiles submitted in the period, by where they stand now.")
class KycFunnelReport:
    first_day: date = strawberry.field(name="from")
    last_day: date = strawberry.field(name="to")
    submitted: int
    approved: int
    rejected: int
    pending: int
    conversion: float | None = strawberry.field(
        description="Approved over submitted; null when nothing was submitted."
    )

    @classmethod
    def from_domain(cls, funnel: KycFunnel) -> "KycFunnelReport":
        return cls(
            first_day=funnel.period.first_day,
            last_day=funnel.period.last_day,
            submitted=funnel.submitted,
            approved=funnel.approved,
            rejected=funnel.rejected,
            pending=funnel.pending,
            conversion=funnel.conversion,
        )


def _period(first_day: date, last_day: date) -> ReportPeriod:
    try:
        return ReportPeriod.checked(first_day, last_day)
    except DomainError as error:
        raise BadUserInput(error.message, field=error.field) from None


R = TypeVar("R")


async def _over_period(
    info: Info,
    report: reports.ReportDefinition[reports.PeriodParams, R],
    first_day: date,
    last_day: date,
) -> R:
    params = reports.PeriodParams(_period(first_day, last_day))
    return await reports.run_report(info.context.services, report, params)


@strawberry.type(name="Query")
class ReportQuery:
    @strawberry.field(extensions=requires_scopes(READ))
    async def transaction_volume(
        self,
        info: Info,
        first_day: FirstDay,
        last_day: LastDay,
        group_by: ReportGrouping = Grouping.DAY,
        currency: Currency | None = None,
        kind: TransactionKind | None = None,
    ) -> TransactionVolumeReport:
        params = reports.VolumeParams(
            _period(first_day, last_day),
            group_by,
            None if currency is None else DomainCurrency(currency),
            kind,
        )
        volume = await reports.run_report(info.context.services, reports.TRANSACTION_VOLUME, params)
        return TransactionVolumeReport.from_domain(volume)

    @strawberry.field(extensions=requires_scopes(READ))
    async def incident_stats(
        self,
        info: Info,
        first_day: FirstDay,
        last_day: LastDay,
    ) -> IncidentStatsReport:
        stats = await _over_period(info, reports.INCIDENT_STATS, first_day, last_day)
        return IncidentStatsReport.from_domain(stats)

    @strawberry.field(extensions=requires_scopes(READ))
    async def kyc_funnel(
        self,
        info: Info,
        first_day: FirstDay,
        last_day: LastDay,
    ) -> KycFunnelReport:
        funnel = await _over_period(info, reports.KYC_FUNNEL, first_day, last_day)
        return KycFunnelReport.from_domain(funnel)
