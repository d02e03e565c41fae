"""The days a report covers, and how they group into periods: Namibian calendar days
(UTC+2), weeks from Monday, calendar months."""

from datetime import date, timedelta
from enum import StrEnum

from domain.shared.calendar import ReportPeriod


class Grouping(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


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
