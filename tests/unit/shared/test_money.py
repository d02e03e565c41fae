import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.shared.money import MAX_AMOUNT_MINOR, Currency, Money

amounts = st.integers(min_value=-(10**12), max_value=10**12)


@given(a=amounts, b=amounts)
def test_adding_then_subtracting_returns_the_original(a: int, b: int) -> None:
    x, y = Money(a, Currency.NAD), Money(b, Currency.NAD)

    assert (x + y) - y == x
    assert -x + x == Money(0, Currency.NAD)


def test_currencies_never_mix() -> None:
    with pytest.raises(ValueError, match="Cannot combine NAD with USD"):
        _ = Money(100, Currency.NAD) + Money(100, Currency.USD)


@pytest.mark.parametrize("amount", [1.5, "100", True])
def test_amounts_are_integer_minor_units(amount: object) -> None:
    with pytest.raises(TypeError):
        Money(amount, Currency.NAD)  # type: ignore[arg-type]


def test_amounts_are_bounded() -> None:
    with pytest.raises(ValueError, match="out of range"):
        Money(MAX_AMOUNT_MINOR + 1, Currency.NAD)


@pytest.mark.parametrize(
    ("money", "shown"),
    [
        (Money(123456789, Currency.NAD), "N$1,234,567.89"),
        (Money(-5, Currency.ZAR), "-R0.05"),
        (Money(100, Currency.EUR), "€1.00"),
        (Money(0, Currency.USD), "US$0.00"),
    ],
)
def test_display_formats_minor_units(money: Money, shown: str) -> None:
    assert money.display() == shown
