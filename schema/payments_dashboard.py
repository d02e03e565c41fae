"""A merchant's dashboard: daily sales, fees and refunds, and its recent payments."""

from datetime import date
from typing import Annotated
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain.payments.reads import MerchantDay as DomainMerchantDay
from domain.shared.money import Currency as DomainCurrency
from domain.shared.money import Money as DomainMoney
from resolvers.payments import merchants
from schema.pagination import PAGE, Connection, connection, decode_cursor, page_size
from schema.payments_accounts import Transaction
from schema.shared import Currency, Money


@strawberry.type(
    description="One Namibian day (UTC+2) of business in one currency. Sales are payments "
    "that went through, also those reversed later; refunds include reversals."
)
class MerchantDay:
    date: date
    sales: Money
    fees: Money = strawberry.field(description="Fees on the day's sales.")
    refunds: Money
    net: Money = strawberry.field(
        description="What the day added to the settlement account: sales less fees and "
        "refunds, plus fees that reversals gave back."
    )
    payment_count: int
    refund_count: int = strawberry.field(description="Refunds and reversals.")

    @classmethod
    def from_domain(cls, day: DomainMerchantDay) -> "MerchantDay":
        def money(amount_minor: int) -> Money:
            return Money.from_domain(DomainMoney(amount_minor, day.currency))

        return cls(
            date=day.day,
            sales=money(day.sales_minor),
            fees=money(day.fees_minor),
            refunds=money(day.refunds_minor),
            net=money(day.net_minor),
            payment_count=day.payment_count,
            refund_count=day.refund_count,
        )


@strawberry.type(description="For the merchant's users and `payments:read_any` only.")
class MerchantDashboard:
    merchant_id: strawberry.Private[UUID]

    @strawberry.field(
        description="Every day from `from` to `to` (both included, at most 366), oldest "
        "first, zero where nothing happened. Cached: a new payment, refund or reversal "
        "shows once its event has been dispatched (usually within a second), at the latest "
        "when the cached copy expires (ELCORP_REPORT_CACHE_TTL_S, 60 s by default)."
    )
    async def days(
        self,
        info: Info,
        from_: Annotated[date, strawberry.argument(name="from")],
        to: date,
        currency: Currency = DomainCurrency.NAD,
    ) -> list[MerchantDay]:
        totals = await merchants.daily_totals(
            info, self.merchant_id, DomainCurrency(currency.value), from_, to
        )
        return [MerchantDay.from_domain(day) for day in totals]

    @strawberry.field(directives=PAGE, description="Payments received, newest first.")
    async def recent_payments(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[Transaction]:
        size = page_size(first)
        rows = await merchants.recent_payments(
            info, self.merchant_id, size + 1, decode_cursor(after)
        )
        return connection(
            rows,
            size,
            lambda row: row.id,
            lambda row: Transaction.from_domain(row, row.to_account_id),
        )
