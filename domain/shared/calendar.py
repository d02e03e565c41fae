"""Namibian days: reports, limits and dashboards all count them the same way."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

from domain.shared.errors import DomainError

NAMIBIA = timezone(timedelta(hours=2), "CAT")
"""Central Africa Time, UTC+2 all year (Namibia dropped winter time in 2017)."""


def namibian_date(at: datetime) -> date:
    return at.astimezone(NAMIBIA).date()


def namibian_midnight(day: date) -> datetime:
    """The UTC instant at which the Namibian day begins."""
    return datetime.combine(day, time(), NAMIBIA).astimezone(UTC)


MAX_REPORT_DAYS = 366


@dataclass(frozen=True)
class ReportPeriod:
    """Namibian days from `first_day` to `last_day`, both included."""

    first_day: date
    last_day: date

    @classmethod
    def checked(cls, first_day: date, last_day: date) -> "ReportPeriod":
        if last_day < first_day:
            raise DomainError("`to` is on or after `from`", field="to")
        if (last_day - first_day).days >= MAX_REPORT_DAYS:
            raise DomainError(f"A report covers at most {MAX_REPORT_DAYS} days", field="to")
        return cls(first_day, last_day)

    @property
    def starts_at(self) -> datetime:
        return namibian_midnight(self.first_day)

    @property
    def ends_before(self) -> datetime:
        return namibian_midnight(self.last_day + timedelta(days=1))
