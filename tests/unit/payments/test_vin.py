"""VIN normalisation, validation and the North-American check digit (ISO 3779 / 49 CFR 565)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.payments.errors import InvalidVin
from domain.payments.vin import (
    ALPHABET,
    check_digit_matches,
    expected_check_digit,
    normalize_vin,
    parse_vin,
)
from domain.shared.errors import ErrorCode

VALID = "1M8GDM9AXKP042788"  # the textbook example: its check digit is X


@pytest.mark.parametrize(
    ("vin", "digit"),
    [
        (VALID, "X"),
        ("11111111111111111", "1"),
        ("1HGCM82633A004352", "3"),
        ("JH4KA7561PC008269", "1"),
    ],
)
def test_the_check_digit_is_the_weighted_sum_mod_11(vin: str, digit: str) -> None:
    assert expected_check_digit(vin) == digit
    assert check_digit_matches(vin)


def test_a_european_vin_need_not_match_its_check_digit() -> None:
    vin = parse_vin("WVWZZZ1JZXW000001")

    assert expected_check_digit(vin) == "0"
    assert not check_digit_matches(vin)


def test_vins_are_upper_cased_and_lose_all_whitespace() -> None:
    assert parse_vin("  1m8gdm9a xkp 042788\t") == VALID
    assert normalize_vin("1hg\ncm826") == "1HGCM826"


def test_only_ascii_letters_change_case() -> None:
    """`str.upper` would turn the 16 characters and "ß" into 17 valid ones."""
    with pytest.raises(InvalidVin, match="position 17"):
        parse_vin("1M8GDM9AXKP04278ß")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", "this one has 0"),
        ("1M8GDM9AXKP04278", "this one has 16"),
        ("1M8GDM9AXKP0427880", "this one has 18"),
        ("1M8GDM9AXKP04278O", "I, O or Q (found O at position 17)"),
        ("IM8GDM9AXKP042788", "I, O or Q (found I at position 1)"),
        ("1M8GDM9AXKQ042788", "I, O or Q (found Q at position 11)"),
        ("1M8GDM9AX-P042788", "position 10 is not one"),
        ("1M8GDM9AXKP04278É", "position 17 is not one"),
    ],
)
def test_invalid_vins_say_what_is_wrong(raw: str, message: str) -> None:
    with pytest.raises(InvalidVin, match=message.replace("(", r"\(").replace(")", r"\)")) as error:
        parse_vin(raw)

    assert error.value.code is ErrorCode.INVALID_VIN
    assert error.value.field == "vin"


def test_a_long_input_is_not_echoed_back() -> None:
    with pytest.raises(InvalidVin) as error:
        parse_vin("A" * 10_000)

    assert error.value.message == "A VIN is 17 characters; this one has 10000"


@given(st.text(alphabet=sorted(ALPHABET), min_size=17, max_size=17))
def test_any_17_allowed_characters_parse_and_have_a_check_digit(vin: str) -> None:
    assert parse_vin(vin.lower()) == vin
    assert expected_check_digit(vin) in "0123456789X"
    with_digit = vin[:8] + expected_check_digit(vin) + vin[9:]
    assert check_digit_matches(with_digit)
