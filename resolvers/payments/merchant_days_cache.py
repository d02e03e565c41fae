"""A merchant's daily totals are cached per merchant, made stale by the events of its own
payments, refunds and reversals (their payload names the merchant); other merchants' and
customers' transactions leave its cached days alone."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from uuid import UUID

from domain.payments.bookkeeping import TRANSACTION_RECORDED, TRANSACTION_STATUS_CHANGED
from domain.shared.money import Currency
from persistence.outbox import OutboxMessage

CACHE_NAME = "merchantDashboardDays"
LEDGER_EVENTS = frozenset({TRANSACTION_RECORDED, TRANSACTION_STATUS_CHANGED})


@dataclass(frozen=True)
class MerchantDaysParams:
    merchant_id: UUID
    currency: Currency
    first: date
    last: date


def merchant_days_family(merchant_id: UUID) -> str:
    return f"merchant_days:{merchant_id}"


def merchant_days_families(message: OutboxMessage) -> Iterable[str]:
    merchant_id = message.payload.get("merchant_id")
    if message.name not in LEDGER_EVENTS or merchant_id is None:
        return ()
    return (merchant_days_family(UUID(merchant_id)),)
