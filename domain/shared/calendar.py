"""Namibian days: reports, limits and dashboards all count them the same way."""

from datetime import UTC, date, datetime, time, timedelta, timezone

NAMIBIA = timezone(timedelta(hours=2), "CAT")
"""Central Africa Time, UTC+2 all year (Namibia dropped winter time in 2017)."""


def namibian_date(at: datetime) -> date:
    return at.astimezone(NAMIBIA).date()


def namibian_midnight(day: date) -> datetime:
    """The UTC instant at which the Namibian day begins."""
    return datetime.combine(day, time(), NAMIBIA).astimezone(UTC)
