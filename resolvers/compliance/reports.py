"""The report registry: each report's parameters (from GraphQL arguments or an HTTP query
string), computation, cache family and CSV columns. GraphQL fields and
`GET /reports/<name>.csv` both run reports through it, cached alike.

Adding a report is one `ReportDefinition` in `REPORTS` (plus its GraphQL field)."""

from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import Enum
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from domain.compliance import incident_service
from domain.compliance.report_periods import Grouping
from domain.compliance.reports import (
    IncidentStats,
    KycFunnel,
    TransactionVolume,
    incident_stats,
    kyc_funnel,
    transaction_volume,
)
from domain.governance import service_request_service as requests
from domain.governance.sla_report import SlaComplianceReport, as_decimal, compliance_report
from domain.identity.kyc import KYC_REVIEWED, KYC_SUBMITTED
from domain.payments.bookkeeping import TRANSACTION_RECORDED, TRANSACTION_STATUS_CHANGED
from domain.payments.model import TransactionKind
from domain.shared.calendar import ReportPeriod
from domain.shared.errors import DomainError
from domain.shared.money import Currency
from persistence.compliance.report_queries import ReportQueries
from persistence.governance.request_queries import ServiceRequestQueries

if TYPE_CHECKING:
    from schema.context import Services

READ = "reports:read"
P = TypeVar("P")
R = TypeVar("R")
E = TypeVar("E", bound=Enum)


@dataclass(frozen=True)
class PeriodParams:
    period: ReportPeriod


@dataclass(frozen=True)
class VolumeParams:
    period: ReportPeriod
    grouping: Grouping = Grouping.DAY
    currency: Currency | None = None
    kind: TransactionKind | None = None


@dataclass(frozen=True)
class ReportDefinition(Generic[P, R]):
    name: str
    """The GraphQL field's name, and the CSV's: `/reports/<name>.csv`."""
    family: str
    """Reports of one family share a cache version."""
    invalidated_by: frozenset[str]
    """Event names that make the family's cached reports stale."""
    result_type: type[R]
    parse: Callable[[Mapping[str, str]], P]
    compute: Callable[[AsyncSession, P], Awaitable[R]]
    columns: tuple[str, ...]
    rows: Callable[[R], Iterable[Sequence[object]]]


async def run_report(services: "Services", report: ReportDefinition[P, R], params: P) -> R:
    async def compute() -> R:
        async with services.session_factory() as session:
            return await report.compute(session, params)

    return await services.report_cache.get_or_compute(
        report.name, report.family, params, report.result_type, compute
    )


def families_by_event(reports: Iterable[ReportDefinition[Any, Any]]) -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = defaultdict(set)
    for report in reports:
        for event in report.invalidated_by:
            found[event].add(report.family)
    return {event: frozenset(families) for event, families in found.items()}


def _date(query: Mapping[str, str], name: str) -> date:
    raw = query.get(name)
    try:
        return date.fromisoformat(raw or "")
    except ValueError:
        raise DomainError(f"`{name}` is a date, YYYY-MM-DD", field=name) from None


def _choice(query: Mapping[str, str], name: str, choices: type[E]) -> E | None:
    """An enum member by its GraphQL name (e.g. `WEEK`, `NAD`, `PAYMENT`)."""
    raw = query.get(name)
    if raw is None:
        return None
    try:
        return choices[raw]
    except KeyError:
        names = ", ".join(choices.__members__)
        raise DomainError(f"`{name}` is one of {names}", field=name) from None


def period_from(query: Mapping[str, str]) -> ReportPeriod:
    return ReportPeriod.checked(_date(query, "from"), _date(query, "to"))


def _period_params(query: Mapping[str, str]) -> PeriodParams:
    return PeriodParams(period_from(query))


def _volume_params(query: Mapping[str, str]) -> VolumeParams:
    return VolumeParams(
        period_from(query),
        _choice(query, "groupBy", Grouping) or Grouping.DAY,
        _choice(query, "currency", Currency),
        _choice(query, "kind", TransactionKind),
    )


async def _volume(session: AsyncSession, params: VolumeParams) -> TransactionVolume:
    kind = None if params.kind is None else params.kind.value
    days = await ReportQueries(session).daily_volumes(params.period, params.currency, kind)
    return transaction_volume(params.period, params.grouping, days)


async def _incident_stats(session: AsyncSession, params: PeriodParams) -> IncidentStats:
    times = await ReportQueries(session).incident_times(params.period)
    return incident_stats(params.period, times)


async def _kyc_funnel(session: AsyncSession, params: PeriodParams) -> KycFunnel:
    return kyc_funnel(params.period, await ReportQueries(session).kyc_decisions(params.period))


async def _sla_compliance(session: AsyncSession, params: PeriodParams) -> SlaComplianceReport:
    tallies = await ServiceRequestQueries(session).sla_tallies(params.period)
    return compliance_report(params.period, tallies)


def _volume_rows(volume: TransactionVolume) -> Iterable[Sequence[object]]:
    for period in volume.periods:
        for total in period.totals:
            yield (
                period.first_day,
                period.last_day,
                total.currency.value,
                total.kind.upper(),
                total.count,
                total.total_minor,
            )


def _seconds(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _incident_rows(stats: IncidentStats) -> Iterable[Sequence[object]]:
    for row in stats.severities:
        acknowledge, resolve = row.time_to_acknowledge, row.time_to_resolve
        yield (
            row.severity.name,
            row.opened,
            acknowledge.count,
            _seconds(acknowledge.mean_s),
            _seconds(acknowledge.median_s),
            _seconds(acknowledge.p90_s),
            resolve.count,
            _seconds(resolve.mean_s),
            _seconds(resolve.median_s),
            _seconds(resolve.p90_s),
        )


def _kyc_rows(funnel: KycFunnel) -> Iterable[Sequence[object]]:
    conversion = "" if funnel.conversion is None else f"{funnel.conversion:.4f}"
    yield (funnel.submitted, funnel.approved, funnel.rejected, funnel.pending, conversion)


def _sla_rows(report: SlaComplianceReport) -> Iterable[Sequence[object]]:
    lines = [*report.by_priority, *([report.overall] if report.overall else [])]
    for line in lines:
        tally = line.tally
        yield (
            "ALL" if line.priority is None else line.priority.name,
            tally.resolved,
            tally.first_response_met,
            tally.first_response_breached,
            as_decimal(line.first_response_rate) or "",
            tally.resolution_met,
            tally.resolution_breached,
            as_decimal(line.resolution_rate) or "",
        )


TRANSACTION_VOLUME = ReportDefinition(
    name="transactionVolume",
    family="transactions",
    invalidated_by=frozenset({TRANSACTION_RECORDED, TRANSACTION_STATUS_CHANGED}),
    result_type=TransactionVolume,
    parse=_volume_params,
    compute=_volume,
    columns=("period_start", "period_end", "currency", "kind", "count", "total_minor"),
    rows=_volume_rows,
)
INCIDENT_STATS = ReportDefinition(
    name="incidentStats",
    family="incidents",
    invalidated_by=frozenset(
        {incident_service.INCIDENT_OPENED, incident_service.INCIDENT_STATUS_CHANGED}
    ),
    result_type=IncidentStats,
    parse=_period_params,
    compute=_incident_stats,
    columns=(
        "severity",
        "opened",
        "acknowledged",
        "acknowledge_mean_s",
        "acknowledge_median_s",
        "acknowledge_p90_s",
        "resolved",
        "resolve_mean_s",
        "resolve_median_s",
        "resolve_p90_s",
    ),
    rows=_incident_rows,
)
KYC_FUNNEL = ReportDefinition(
    name="kycFunnel",
    family="kyc",
    invalidated_by=frozenset({KYC_SUBMITTED, KYC_REVIEWED}),
    result_type=KycFunnel,
    parse=_period_params,
    compute=_kyc_funnel,
    columns=("submitted", "approved", "rejected", "pending", "conversion"),
    rows=_kyc_rows,
)
SLA_COMPLIANCE = ReportDefinition(
    name="slaCompliance",
    family="service_requests",
    invalidated_by=frozenset({requests.STATUS_CHANGED, requests.COMMENTED}),
    result_type=SlaComplianceReport,
    parse=_period_params,
    compute=_sla_compliance,
    columns=(
        "priority",
        "resolved",
        "first_response_met",
        "first_response_breached",
        "first_response_rate",
        "resolution_met",
        "resolution_breached",
        "resolution_rate",
    ),
    rows=_sla_rows,
)
REPORTS: dict[str, ReportDefinition[Any, Any]] = {
    report.name: report
    for report in (TRANSACTION_VOLUME, INCIDENT_STATS, KYC_FUNNEL, SLA_COMPLIANCE)
}
