import time
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.shared.clock import FixedClock, SystemClock
from domain.shared.ids import new_id

timestamps = st.integers(min_value=0, max_value=2**48 - 2)


@given(ms=timestamps)
def test_ids_are_version_7_rfc_variant(ms: int) -> None:
    value = new_id(ms)

    assert value.version == 7
    assert value.variant == "specified in RFC 4122"
    assert value.int >> 80 == ms


@given(ms=timestamps)
def test_later_ids_sort_after_earlier_ones(ms: int) -> None:
    assert new_id(ms) < new_id(ms + 1)


def test_ids_are_unique_within_a_millisecond() -> None:
    assert len({new_id(1_000) for _ in range(1_000)}) == 1_000


def test_the_system_clock_is_timezone_aware_utc() -> None:
    assert SystemClock().now().utcoffset() == timedelta(0)


def test_a_fixed_clock_moves_only_when_told() -> None:
    clock = FixedClock(datetime.fromisoformat("2026-11-25T10:00:00+02:00"))

    clock.advance(timedelta(minutes=5))

    assert clock.now().isoformat() == "2026-11-25T08:05:00+00:00"


def test_a_fixed_clock_refuses_naive_datetimes() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        FixedClock(datetime(2026, 11, 25))


@given(stamps=st.lists(timestamps, min_size=2, max_size=20, unique=True))
def test_ids_sort_in_the_order_of_their_timestamps(stamps: list[int]) -> None:
    ordered = sorted(stamps)

    ids = [new_id(ms) for ms in ordered]

    assert sorted(ids) == ids
    assert [value.int >> 80 for value in ids] == ordered


def test_an_id_without_a_timestamp_carries_the_current_millisecond() -> None:
    before = time.time_ns() // 1_000_000

    value = new_id()

    after = time.time_ns() // 1_000_000
    assert before <= value.int >> 80 <= after
    assert value.version == 7


def test_ids_for_the_same_millisecond_differ_in_their_random_bits() -> None:
    first, second = new_id(42), new_id(42)

    assert first.int >> 80 == second.int >> 80 == 42
    assert first.int & ((1 << 62) - 1) != second.int & ((1 << 62) - 1)


def test_a_fixed_clock_can_be_moved_repeatedly_and_backwards() -> None:
    clock = FixedClock(datetime(2026, 11, 25, 8, 0, tzinfo=UTC))

    clock.advance(timedelta(hours=1))
    clock.advance(timedelta(minutes=-90))

    assert clock.now() == datetime(2026, 11, 25, 7, 30, tzinfo=UTC)
    assert clock.now().tzinfo is UTC
