from dataclasses import dataclass
from enum import StrEnum

MAX_AMOUNT_MINOR = 10**15


class Currency(StrEnum):
    NAD = "NAD"
    ZAR = "ZAR"
    USD = "USD"
    EUR = "EUR"

    @property
    def minor_units(self) -> int:
        return 2

    @property
    def symbol(self) -> str:
        return _SYMBOLS[self]


_SYMBOLS = {Currency.NAD: "N$", Currency.ZAR: "R", Currency.USD: "US$", Currency.EUR: "€"}


@dataclass(frozen=True, slots=True)
class Money:
    amount_minor: int
    currency: Currency

    def __post_init__(self) -> None:
        if isinstance(self.amount_minor, bool) or not isinstance(self.amount_minor, int):
            raise TypeError("Money amounts are integer minor units")
        if abs(self.amount_minor) > MAX_AMOUNT_MINOR:
            raise ValueError("Money amount out of range")

    def __add__(self, other: "Money") -> "Money":
        self._same_currency(other)
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def __sub__(self, other: "Money") -> "Money":
        self._same_currency(other)
        return Money(self.amount_minor - other.amount_minor, self.currency)

    def __neg__(self) -> "Money":
        return Money(-self.amount_minor, self.currency)

    def display(self) -> str:
        scale = 10**self.currency.minor_units
        sign = "-" if self.amount_minor < 0 else ""
        whole, cents = divmod(abs(self.amount_minor), scale)
        return f"{sign}{self.currency.symbol}{whole:,}.{cents:0{self.currency.minor_units}d}"

    def _same_currency(self, other: "Money") -> None:
        if other.currency is not self.currency:
            raise ValueError(f"Cannot combine {self.currency} with {other.currency}")
