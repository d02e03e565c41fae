"""What reports count, straight from the business tables (read-only)."""

from datetime import timedelta

from sqlalchemy import Date, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.compliance.incidents import Severity
from domain.compliance.reports import DailyVolume, IncidentTimes, KycDecisions
from domain.shared.calendar import NAMIBIA, ReportPeriod
from domain.shared.money import Currency
from persistence.compliance.incident_tables import IncidentRow
from persistence.identity.tables import KycProfileRow
from persistence.payments.tables import LedgerTransactionRow

WENT_THROUGH = ("completed", "reversed")
"""A reversed transaction went through first; its reversal is a transaction of its own."""
NAMIBIA_OFFSET = NAMIBIA.utcoffset(None) or timedelta(0)


class ReportQueries:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def daily_volumes(
        self, period: ReportPeriod, currency: Currency | None, kind: str | None
    ) -> list[DailyVolume]:
        transactions = LedgerTransactionRow
        day = cast(func.timezone("UTC", transactions.created_at) + NAMIBIA_OFFSET, Date)
        query = (
            select(
                day.label("day"),
                transactions.currency,
                transactions.kind,
                func.count(),
                func.sum(transactions.amount_minor),
            )
            .where(
                transactions.status.in_(WENT_THROUGH),
                transactions.created_at >= period.starts_at,
                transactions.created_at < period.ends_before,
            )
            .group_by(day, transactions.currency, transactions.kind)
        )
        if currency is not None:
            query = query.where(transactions.currency == currency.value)
        if kind is not None:
            query = query.where(transactions.kind == kind)
        rows = await self._db.execute(query)
        return [
            DailyVolume(day, Currency(currency_code), kind_name, count, int(total))
            for day, currency_code, kind_name, count, total in rows
        ]

    async def incident_times(self, period: ReportPeriod) -> list[IncidentTimes]:
        rows = await self._db.execute(
            select(
                IncidentRow.severity,
                IncidentRow.opened_at,
                IncidentRow.acknowledged_at,
                IncidentRow.resolved_at,
            ).where(
                IncidentRow.opened_at >= period.starts_at,
                IncidentRow.opened_at < period.ends_before,
            )
        )
        return [
            IncidentTimes(Severity(severity), opened, acknowledged, resolved)
            for severity, opened, acknowledged, resolved in rows
        ]

    async def kyc_decisions(self, period: ReportPeriod) -> KycDecisions:
        rows = await self._db.execute(
            select(KycProfileRow.status, func.count())
            .where(
                KycProfileRow.submitted_at >= period.starts_at,
                KycProfileRow.submitted_at < period.ends_before,
            )
            .group_by(KycProfileRow.status)
        )
        counts: dict[str, int] = dict(rows.all())
        return KycDecisions(
            approved=counts.get("approved", 0),
            rejected=counts.get("rejected", 0),
            pending=counts.get("submitted", 0),
        )
