"""The days a report covers, and how they group into periods: Namibian calendar days
(UTC+2), weeks from Monday, calendar months."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from domain.shared.calendar import namibian_midnight
from domain.shared.errors import DomainError

MAX_REPORT_DAYS = 366


class Grouping(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class ReportPeriod:
    """From `first_day` to `last_day`, both included."""

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


def bucket_start(day: date, grouping: Grouping) -> date:
    if grouping is Grouping.WEEK:
        return day - timedelta(days=day.weekday())
    if grouping is Grouping.MONTH:
        return day.replace(day=1)
    return day


def buckets(period: ReportPeriod, grouping: Grouping) -> list[tuple[date, date]]:
    """Each period's first and last day, clipped to the report's days, oldest first."""
    found: list[tuple[date, date]] = []
    day = period.first_day
    while day <= period.last_day:
        if found and bucket_start(found[-1][0], grouping) == bucket_start(day, grouping):
            found[-1] = (found[-1][0], day)
        else:
            found.append((day, day))
        day += timedelta(days=1)
    return found
