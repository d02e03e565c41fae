"""Payments subgraph: money and currencies (the ledger arrives with its own issue)."""

import strawberry

from domain.shared.money import Currency as DomainCurrency
from schema.shared import Currency


@strawberry.type(description="A currency and how its amounts are written.")
class CurrencyInfo:
    code: Currency
    minor_units: int
    symbol: str


@strawberry.type(name="Query")
class PaymentsQuery:
    @strawberry.field(description="Currencies wallets can hold; NAD is the default.")
    def supported_currencies(self) -> list[CurrencyInfo]:
        return [
            CurrencyInfo(code=currency, minor_units=currency.minor_units, symbol=currency.symbol)
            for currency in DomainCurrency
        ]


QUERY = PaymentsQuery
MUTATION = None
SUBSCRIPTION = None
TYPES: list[type] = []
OWNED_ENTITIES: list[type] = []
