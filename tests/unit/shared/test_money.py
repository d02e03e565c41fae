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


currencies = st.sampled_from(list(Currency))
bounded = st.integers(min_value=-MAX_AMOUNT_MINOR, max_value=MAX_AMOUNT_MINOR)


@given(a=amounts, b=amounts, currency=currencies)
def test_addition_is_commutative_and_keeps_the_currency(a: int, b: int, currency: Currency) -> None:
    x, y = Money(a, currency), Money(b, currency)

    total = x + y

    assert total == y + x
    assert total == Money(a + b, currency)
    assert total.currency is currency


@given(a=amounts, b=amounts, c=amounts)
def test_addition_is_associative(a: int, b: int, c: int) -> None:
    x, y, z = Money(a, Currency.ZAR), Money(b, Currency.ZAR), Money(c, Currency.ZAR)

    assert (x + y) + z == x + (y + z)


@given(a=bounded, b=amounts)
def test_negation_is_an_involution_and_subtraction_adds_the_negation(a: int, b: int) -> None:
    x, y = Money(a, Currency.USD), Money(b, Currency.USD)
    negated = -x

    assert -negated == x
    assert negated.amount_minor == -a
    if abs(a - b) <= MAX_AMOUNT_MINOR:
        assert x - y == x + (-y)


@given(a=bounded, b=bounded)
def test_results_beyond_the_bound_are_refused(a: int, b: int) -> None:
    x, y = Money(a, Currency.NAD), Money(b, Currency.NAD)

    if abs(a + b) > MAX_AMOUNT_MINOR:
        with pytest.raises(ValueError, match="out of range"):
            _ = x + y
    else:
        assert (x + y).amount_minor == a + b


def test_the_bound_itself_is_allowed_in_both_directions() -> None:
    top = Money(MAX_AMOUNT_MINOR, Currency.NAD)

    assert -top == Money(-MAX_AMOUNT_MINOR, Currency.NAD)
    with pytest.raises(ValueError, match="out of range"):
        Money(-MAX_AMOUNT_MINOR - 1, Currency.NAD)


def test_subtraction_refuses_mixed_currencies_too() -> None:
    with pytest.raises(ValueError, match="Cannot combine EUR with ZAR"):
        _ = Money(100, Currency.EUR) - Money(100, Currency.ZAR)


@given(amount=bounded, currency=currencies)
def test_display_round_trips_to_the_amount(amount: int, currency: Currency) -> None:
    shown = Money(amount, currency).display()

    negative = shown.startswith("-")
    digits = shown.removeprefix("-").removeprefix(currency.symbol).replace(",", "")
    whole, _, cents = digits.partition(".")

    assert len(cents) == currency.minor_units
    assert (-1 if negative else 1) * (int(whole) * 100 + int(cents)) == amount


@pytest.mark.parametrize(
    ("currency", "symbol"),
    [(Currency.NAD, "N$"), (Currency.ZAR, "R"), (Currency.USD, "US$"), (Currency.EUR, "€")],
)
def test_every_currency_has_a_symbol_and_two_minor_units(currency: Currency, symbol: str) -> None:
    assert (currency.symbol, currency.minor_units) == (symbol, 2)
