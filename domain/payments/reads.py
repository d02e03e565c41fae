"""What readers may ask of the ledger: filters, and how a transaction looks from one side."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from uuid import UUID

from domain.payments.model import REVERSIBLE_KINDS, AccountKind, TransactionKind, TransactionStatus
from domain.shared.calendar import NAMIBIA
from domain.shared.errors import DomainError
from domain.shared.money import Currency

MAX_RANGE_DAYS = 366


@dataclass(frozen=True)
class TransactionFilter:
    """Every given criterion must hold. `account_id`, `owner_id` and `merchant_id` narrow
    staff searches; an account's own history is already narrowed to it."""

    kinds: frozenset[TransactionKind] = frozenset()
    statuses: frozenset[TransactionStatus] = frozenset()
    currency: Currency | None = None
    created_from: datetime | None = None
    created_before: datetime | None = None
    min_amount_minor: int | None = None
    max_amount_minor: int | None = None
    account_id: UUID | None = None
    owner_id: UUID | None = None
    merchant_id: UUID | None = None

    def __post_init__(self) -> None:
        for at in (self.created_from, self.created_before):
            if at is not None and at.utcoffset() is None:
                raise DomainError("Times need a UTC offset", field="filter")
        if (
            self.created_from is not None
            and self.created_before is not None
            and self.created_from >= self.created_before
        ):
            raise DomainError("createdFrom must be before createdBefore", field="filter")
        for bound in (self.min_amount_minor, self.max_amount_minor):
            if bound is not None and bound < 0:
                raise DomainError("Amount bounds are not negative", field="filter")
        if (
            self.min_amount_minor is not None
            and self.max_amount_minor is not None
            and self.min_amount_minor > self.max_amount_minor
        ):
            raise DomainError("minAmountMinor must not exceed maxAmountMinor", field="filter")


NO_FILTER = TransactionFilter()


@dataclass(frozen=True)
class AccountFilter:
    kind: AccountKind | None = None
    currency: Currency | None = None
    owner_id: UUID | None = None


@dataclass(frozen=True)
class Party:
    """An account as others may see it: its kind, its owner, and a name fit to show."""

    account_id: UUID
    kind: AccountKind
    owner_id: UUID | None
    name: str


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


SYSTEM_NAMES = {
    AccountKind.FEES: "Elcorp fees",
    AccountKind.SUSPENSE: "Elcorp suspense",
}


@dataclass(frozen=True)
class Counterparty:
    kind: AccountKind
    display_name: str


def seen_from(
    source: Party,
    destination: Party,
    *,
    own_account_id: UUID | None,
    viewer_id: UUID | None,
    gateway: str | None,
) -> tuple[Direction, Counterparty]:
    """The transaction from the viewer's side: their account (the one it was listed
    under, else the one they own, else the sender's) and the party on the other end."""
    if own_account_id is not None:
        outgoing = own_account_id == source.account_id
    else:
        outgoing = viewer_id is None or destination.owner_id != viewer_id
    other = destination if outgoing else source
    return (Direction.OUT if outgoing else Direction.IN), Counterparty(
        other.kind, display_name(other, gateway)
    )


def display_name(party: Party, gateway: str | None) -> str:
    if party.kind is AccountKind.GATEWAY_CLEARING:
        return f"{gateway.capitalize()} gateway" if gateway else "Payment gateway"
    return SYSTEM_NAMES.get(party.kind) or party.name


@dataclass(frozen=True)
class MerchantDay:
    """One local day of a merchant's business in one currency. Sales are payments that
    went through (also those reversed later); refunds include reversals, which also give
    the merchant its fee back."""

    day: date
    currency: Currency
    sales_minor: int = 0
    fees_minor: int = 0
    refunds_minor: int = 0
    fees_returned_minor: int = 0
    payment_count: int = 0
    refund_count: int = 0

    @property
    def net_minor(self) -> int:
        """What the day added to the settlement account."""
        return self.sales_minor - self.fees_minor - self.refunds_minor + self.fees_returned_minor


def local_days(first: date, last: date) -> tuple[datetime, datetime]:
    """[start, end) in UTC of Namibian days `first` to `last`, both included."""
    if last < first:
        raise DomainError("`to` must not be before `from`", field="to")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise DomainError(f"Ask for at most {MAX_RANGE_DAYS} days at a time", field="to")
    start = datetime.combine(first, time(), NAMIBIA).astimezone(UTC)
    return start, datetime.combine(last + timedelta(days=1), time(), NAMIBIA).astimezone(UTC)


def daily_series(
    first: date, last: date, currency: Currency, found: Mapping[date, MerchantDay]
) -> list[MerchantDay]:
    """Every day from `first` to `last`, zero where nothing happened."""
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [found.get(day) or MerchantDay(day=day, currency=currency) for day in days]


@dataclass(frozen=True)
class StatusChange:
    """A transaction's `seq`-th event; `feed_seq` numbers it in one party's own feed."""

    transaction_id: UUID
    seq: int
    status: TransactionStatus
    occurred_at: datetime
    feed_seq: int | None = None


TERMINAL = frozenset({TransactionStatus.FAILED, TransactionStatus.REVERSED})


def is_final(kind: TransactionKind, status: TransactionStatus) -> bool:
    """Nothing can happen to it any more: failed, reversed, or completed and not reversible."""
    return status in TERMINAL or (
        status is TransactionStatus.COMPLETED and kind not in REVERSIBLE_KINDS
    )
