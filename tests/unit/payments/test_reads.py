"""Read rules: filters, which side of a transaction a viewer is on, and dashboard days."""

from datetime import UTC, date, datetime, timedelta
from uuid import uuid4

import pytest

from domain.identity.model import public_name
from domain.payments.model import AccountKind
from domain.payments.reads import (
    Direction,
    MerchantDay,
    Party,
    TransactionFilter,
    daily_series,
    local_days,
    seen_from,
)
from domain.shared.errors import DomainError
from domain.shared.money import Currency

ADA, BOB = uuid4(), uuid4()
ADA_WALLET = Party(uuid4(), AccountKind.CUSTOMER_WALLET, ADA, "Ada L.")
BOB_WALLET = Party(uuid4(), AccountKind.CUSTOMER_WALLET, BOB, "Bob S.")
CLEARING = Party(uuid4(), AccountKind.GATEWAY_CLEARING, None, "")
FEES = Party(uuid4(), AccountKind.FEES, None, "")


@pytest.mark.parametrize(
    ("source", "destination", "own", "viewer", "expected"),
    [
        (ADA_WALLET, BOB_WALLET, None, ADA, (Direction.OUT, "Bob S.")),
        (ADA_WALLET, BOB_WALLET, None, BOB, (Direction.IN, "Ada L.")),
        (ADA_WALLET, BOB_WALLET, BOB_WALLET.account_id, ADA, (Direction.IN, "Ada L.")),
        (ADA_WALLET, BOB_WALLET, None, uuid4(), (Direction.OUT, "Bob S.")),  # staff
        (CLEARING, ADA_WALLET, None, ADA, (Direction.IN, "Sandbox gateway")),
        (ADA_WALLET, FEES, None, ADA, (Direction.OUT, "Elcorp fees")),
    ],
)
def test_a_transaction_is_seen_from_the_viewers_side(
    source: Party, destination: Party, own, viewer, expected
) -> None:
    direction, other = seen_from(
        source, destination, own_account_id=own, viewer_id=viewer, gateway="sandbox"
    )

    assert (direction, other.display_name) == expected


def test_a_gateway_without_a_name_is_called_the_payment_gateway() -> None:
    _, other = seen_from(CLEARING, ADA_WALLET, own_account_id=None, viewer_id=ADA, gateway=None)

    assert other.display_name == "Payment gateway"


@pytest.mark.parametrize(
    ("full_name", "shown"),
    [("Ada Nangolo Lovelace", "Ada L."), ("Bob", "Bob"), ("", ""), ("[erased]", "[erased]")],
)
def test_others_see_a_first_name_and_initial(full_name: str, shown: str) -> None:
    assert public_name(full_name) == shown


NOON = datetime(2026, 6, 1, 12, tzinfo=UTC)


@pytest.mark.parametrize(
    "criteria",
    [
        {"created_from": NOON, "created_before": NOON},
        {"created_from": NOON.replace(tzinfo=None)},
        {"min_amount_minor": -1},
        {"min_amount_minor": 10, "max_amount_minor": 9},
    ],
)
def test_contradictory_filters_are_refused(criteria: dict) -> None:
    with pytest.raises(DomainError):
        TransactionFilter(**criteria)


def test_a_consistent_filter_is_kept_as_given() -> None:
    criteria = TransactionFilter(
        created_from=NOON, created_before=NOON + timedelta(seconds=1), min_amount_minor=0
    )

    assert criteria.created_before == NOON + timedelta(seconds=1)


def test_local_days_run_from_namibian_midnight_to_midnight() -> None:
    start, end = local_days(date(2026, 6, 1), date(2026, 6, 2))

    assert start == datetime(2026, 5, 31, 22, tzinfo=UTC)
    assert end == datetime(2026, 6, 2, 22, tzinfo=UTC)


@pytest.mark.parametrize(
    ("first", "last"),
    [(date(2026, 6, 2), date(2026, 6, 1)), (date(2024, 12, 31), date(2026, 1, 1))],
)
def test_a_range_backwards_or_over_a_year_is_refused(first: date, last: date) -> None:
    with pytest.raises(DomainError):
        local_days(first, last)


def test_the_series_has_every_day_and_zero_where_nothing_happened() -> None:
    busy = MerchantDay(
        day=date(2026, 6, 2),
        currency=Currency.NAD,
        sales_minor=10_000,
        fees_minor=150,
        refunds_minor=2_000,
        fees_returned_minor=30,
        payment_count=3,
        refund_count=1,
    )

    series = daily_series(date(2026, 6, 1), date(2026, 6, 3), Currency.NAD, {busy.day: busy})

    assert [(day.day.day, day.net_minor) for day in series] == [(1, 0), (2, 7_880), (3, 0)]
