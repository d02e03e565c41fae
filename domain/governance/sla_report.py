"""SLA compliance over a period: what a repository tallies, turned into rates. Pure, so the
GraphQL report, a CSV export and a cache can share it. Rates are exact basis points
(rounded half to even), never floats."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from domain.governance.sla import Priority
from domain.shared.calendar import ReportPeriod

WHOLE = 10_000


@dataclass(frozen=True)
class SlaTally:
    """Requests of one priority resolved in the period, and how each target went. A first
    response is met when it came by its due time; a resolution likewise."""

    priority: Priority | None
    """None for a total over every priority."""
    resolved: int = 0
    first_response_met: int = 0
    first_response_breached: int = 0
    resolution_met: int = 0
    resolution_breached: int = 0

    def __add__(self, other: "SlaTally") -> "SlaTally":
        return SlaTally(
            self.priority,
            self.resolved + other.resolved,
            self.first_response_met + other.first_response_met,
            self.first_response_breached + other.first_response_breached,
            self.resolution_met + other.resolution_met,
            self.resolution_breached + other.resolution_breached,
        )


def basis_points(met: int, breached: int) -> int | None:
    """met / (met + breached) in basis points, half to even; None when nothing counted."""
    total = met + breached
    if total == 0:
        return None
    quotient, remainder = divmod(met * WHOLE, total)
    if remainder * 2 > total or (remainder * 2 == total and quotient % 2):
        quotient += 1
    return quotient


def as_decimal(points: int | None) -> str | None:
    """Basis points as a decimal fraction: 9750 -> "0.9750"."""
    return None if points is None else f"{points // WHOLE}.{points % WHOLE:04d}"


@dataclass(frozen=True)
class SlaLine:
    priority: Priority | None
    tally: SlaTally

    @property
    def first_response_rate(self) -> int | None:
        return basis_points(self.tally.first_response_met, self.tally.first_response_breached)

    @property
    def resolution_rate(self) -> int | None:
        return basis_points(self.tally.resolution_met, self.tally.resolution_breached)


@dataclass(frozen=True)
class SlaComplianceReport:
    start: date
    end: date
    by_priority: list[SlaLine] = field(default_factory=list)
    overall: SlaLine | None = None


def compliance_report(period: ReportPeriod, tallies: Sequence[SlaTally]) -> SlaComplianceReport:
    """One line per priority (most urgent first, zeros included) and one overall."""
    found = {tally.priority: tally for tally in tallies}
    lines = [
        SlaLine(priority, found.get(priority, SlaTally(priority)))
        for priority in sorted(Priority, key=lambda p: p.rank, reverse=True)
    ]
    overall = SlaTally(None)
    for line in lines:
        overall = overall + line.tally
    return SlaComplianceReport(period.first_day, period.last_day, lines, SlaLine(None, overall))
