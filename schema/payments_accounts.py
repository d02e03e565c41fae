"""Wallets on a double-entry ledger: accounts, transactions, and how to find them."""

from datetime import datetime
from typing import TypeVar
from uuid import UUID

import strawberry
from strawberry.federation.schema_directives import ListSize
from strawberry.types import Info

from domain.payments.model import Account as DomainAccount
from domain.payments.model import AccountKind as DomainAccountKind
from domain.payments.model import LedgerTransaction
from domain.payments.model import TransactionKind as DomainTransactionKind
from domain.payments.model import TransactionStatus as DomainTransactionStatus
from domain.payments.reads import AccountFilter as DomainAccountFilter
from domain.payments.reads import Direction as DomainDirection
from domain.payments.reads import TransactionFilter as DomainTransactionFilter
from domain.shared.errors import DomainError
from domain.shared.money import Currency as DomainCurrency
from domain.shared.money import Money as DomainMoney
from resolvers.payments import queries
from schema.errors import BadUserInput, NotFound
from schema.ids import from_global_id, to_global_id
from schema.nodes import node_type
from schema.pagination import (
    PAGE,
    Connection,
    connection,
    decode_cursor,
    encode_feed_cursor,
    page_size,
)
from schema.permissions import authenticated, requires_scopes
from schema.scalars import SafeInt
from schema.shared import Currency, Money, Node

WALLET_PER_CURRENCY = ListSize(assumed_size=len(DomainCurrency), require_one_slicing_argument=False)
"""A customer holds at most one wallet per currency: the list's cost bound."""

AccountKind = strawberry.enum(DomainAccountKind, name="AccountKind")
TransactionKind = strawberry.enum(DomainTransactionKind, name="TransactionKind")
TransactionStatus = strawberry.enum(DomainTransactionStatus, name="TransactionStatus")
TransactionDirection = strawberry.enum(
    DomainDirection, name="TransactionDirection", description="Money in or out of an account."
)


@strawberry.type(description="A currency and how its amounts are written.")
class CurrencyInfo:
    code: Currency
    minor_units: int
    symbol: str


@strawberry.type(description="The other side of a transaction, as its parties may see it.")
class Counterparty:
    kind: AccountKind
    display_name: str = strawberry.field(
        description="A customer's first name and last initial, a merchant's trading name, "
        "or the gateway's or Elcorp's own account."
    )


@node_type
@strawberry.type(description="Money moved (or, when failed, not moved) between accounts.")
class Transaction(Node):
    id: strawberry.ID
    kind: TransactionKind
    status: TransactionStatus
    amount: Money
    reference: str
    failure_reason: str | None
    created_at: datetime
    updated_at: datetime | None
    fee: Money | None = strawberry.field(description="Payments only: what the merchant paid.")
    refunded: Money | None = strawberry.field(description="Payments only: refunded so far.")
    original_transaction_id: strawberry.ID | None = strawberry.field(
        description="Refunds and reversals: the transaction they correct."
    )
    record: strawberry.Private[LedgerTransaction]
    listed_under: strawberry.Private[UUID | None]

    @strawberry.field(
        description="In or out, seen from the account it is listed under (or your side)."
    )
    async def direction(self, info: Info) -> TransactionDirection | None:
        seen = await queries.counterparty(info, self.record, self.listed_under)
        return None if seen is None else seen[0]

    @strawberry.field(
        extensions=requires_scopes(["payments:read_any"]),
        description="Staff: a deposit's or payout's reference at its gateway, as settlement "
        "statements name it.",
    )
    def gateway_reference(self) -> str | None:
        return self.record.gateway_reference

    @strawberry.field(description="The other party, seen from the same side as `direction`.")
    async def counterparty(self, info: Info) -> Counterparty | None:
        seen = await queries.counterparty(info, self.record, self.listed_under)
        if seen is None:
            return None
        _, other = seen
        return Counterparty(kind=other.kind, display_name=other.display_name)

    @classmethod
    def from_domain(
        cls, transaction: LedgerTransaction, listed_under: UUID | None = None
    ) -> "Transaction":
        payment = transaction.kind is DomainTransactionKind.PAYMENT
        currency = transaction.amount.currency
        return cls(
            id=to_global_id("Transaction", transaction.id),
            kind=transaction.kind,
            status=transaction.status,
            amount=Money.from_domain(transaction.amount),
            reference=transaction.reference,
            failure_reason=transaction.failure_reason,
            created_at=transaction.created_at,
            updated_at=transaction.updated_at,
            fee=Money.from_domain(transaction.fee) if transaction.fee else None,
            refunded=(
                Money.from_domain(DomainMoney(transaction.refunded_minor, currency))
                if payment
                else None
            ),
            original_transaction_id=(
                to_global_id("Transaction", transaction.original_id)
                if transaction.original_id
                else None
            ),
            record=transaction,
            listed_under=listed_under,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Transaction | None":
        """Its parties' owners, its merchant's users and `payments:read_any` only."""
        found = await queries.transaction(info, id)
        return None if found is None else cls.from_domain(found)


@strawberry.input(description="Every criterion given must hold.")
class TransactionFilter:
    kinds: list[TransactionKind] | None = None
    statuses: list[TransactionStatus] | None = None
    currency: Currency | None = None
    created_from: datetime | None = strawberry.field(default=None, description="Inclusive.")
    created_before: datetime | None = strawberry.field(default=None, description="Exclusive.")
    min_amount_minor: SafeInt | None = None
    max_amount_minor: SafeInt | None = None

    def to_domain(self, **scope: UUID | None) -> DomainTransactionFilter:
        try:
            return DomainTransactionFilter(
                kinds=frozenset(self.kinds or ()),
                statuses=frozenset(self.statuses or ()),
                currency=DomainCurrency(self.currency.value) if self.currency else None,
                created_from=self.created_from,
                created_before=self.created_before,
                min_amount_minor=self.min_amount_minor,
                max_amount_minor=self.max_amount_minor,
                **scope,  # type: ignore[arg-type]
            )
        except DomainError as error:
            raise BadUserInput(error.message, field=error.field) from None


@strawberry.input(description="A staff search: the account filter, and whose.")
class TransactionSearchFilter(TransactionFilter):
    account_id: strawberry.ID | None = None
    user_id: strawberry.ID | None = strawberry.field(
        default=None, description="Transactions touching any account this user owns."
    )
    merchant_id: strawberry.ID | None = None

    def to_search(self) -> DomainTransactionFilter:
        return self.to_domain(
            account_id=_raw_id(self.account_id, "Account"),
            owner_id=_raw_id(self.user_id, "User"),
            merchant_id=_raw_id(self.merchant_id, "Merchant"),
        )


@strawberry.input
class AccountFilter:
    kind: AccountKind | None = None
    currency: Currency | None = None
    owner_id: strawberry.ID | None = None

    def to_domain(self) -> DomainAccountFilter:
        return DomainAccountFilter(
            kind=self.kind,
            currency=DomainCurrency(self.currency.value) if self.currency else None,
            owner_id=_raw_id(self.owner_id, "User"),
        )


def _raw_id(global_id: str | None, type_name: str) -> UUID | None:
    return None if global_id is None else from_global_id(global_id, type_name)[1]


NO_FILTER = TransactionFilter()


@node_type
@strawberry.type(description="A ledger account; customers hold wallets.")
class Account(Node):
    id: strawberry.ID
    kind: AccountKind
    currency: Currency
    balance: Money
    available: Money = strawberry.field(
        description="The balance less payouts still with the gateway: what can be spent."
    )
    created_at: datetime
    uuid: strawberry.Private[UUID]

    @strawberry.field(directives=PAGE, description="Newest first.")
    async def transactions(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: TransactionFilter | None = None,
    ) -> Connection[Transaction]:
        size = page_size(first)
        criteria = (filter or NO_FILTER).to_domain()
        rows = await queries.transactions_of(
            info, self.uuid, size + 1, decode_cursor(after), criteria
        )
        return connection(
            rows, size, lambda row: row.id, lambda row: Transaction.from_domain(row, self.uuid)
        )

    @classmethod
    def from_domain(cls, account: DomainAccount) -> "Account":
        return cls(
            id=to_global_id("Account", account.id),
            kind=account.kind,
            currency=account.currency,
            balance=Money.from_domain(account.balance),
            available=Money.from_domain(DomainMoney(account.available_minor, account.currency)),
            created_at=account.created_at,
            uuid=account.id,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Account | None":
        found = await queries.account(info, id)
        return None if found is None else cls.from_domain(found)


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID

    @strawberry.field(
        extensions=authenticated(),
        description="Wallets and accounts; visible to their owner and to `payments:read_any`.",
        directives=[WALLET_PER_CURRENCY],
    )
    async def accounts(self, info: Info) -> list[Account]:
        return [Account.from_domain(a) for a in await queries.accounts_of(info, self.id)]

    @strawberry.field(
        extensions=authenticated(),
        description="Your own only: where your transaction feed stands. Read it with your "
        "history, then subscribe to `myTransactionEvents(after:)` with it to miss nothing.",
    )
    async def transaction_feed_cursor(self, info: Info) -> str | None:
        position = await queries.feed_position(info, self.id)
        return None if position is None else encode_feed_cursor(position)

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> "User":
        return cls(id=id)


Found = TypeVar("Found")


def _found(value: Found | None, what: str) -> Found:
    """Asked for by id: what you may not see is not found, exactly like what is not there."""
    if value is None:
        raise NotFound(f"No such {what}")
    return value


@strawberry.type(name="Query")
class AccountsQuery:
    @strawberry.field(
        extensions=authenticated(),
        description="A transaction you are party to or that your business received (or any, "
        "with `payments:read_any`).",
    )
    async def transaction(self, info: Info, id: strawberry.ID) -> Transaction | None:
        return _found(await Transaction.resolve_reference(info, id), "transaction")

    @strawberry.field(
        extensions=authenticated(),
        description="An account of yours (or any, with `payments:read_any`).",
    )
    async def account(self, info: Info, id: strawberry.ID) -> Account | None:
        return _found(await Account.resolve_reference(info, id), "account")

    @strawberry.field(
        directives=PAGE,
        extensions=requires_scopes(["payments:read_any"]),
        description="Staff: every transaction matching the filter, newest first.",
    )
    async def transactions(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: TransactionSearchFilter | None = None,
    ) -> Connection[Transaction]:
        size = page_size(first)
        criteria = (filter or TransactionSearchFilter()).to_search()
        rows = await queries.search_transactions(info, criteria, size + 1, decode_cursor(after))
        return connection(rows, size, lambda row: row.id, Transaction.from_domain)

    @strawberry.field(
        directives=PAGE,
        extensions=requires_scopes(["payments:read_any"]),
        description="Staff: accounts matching the filter, newest first.",
    )
    async def accounts(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        filter: AccountFilter | None = None,
    ) -> Connection[Account]:
        size = page_size(first)
        criteria = (filter or AccountFilter()).to_domain()
        rows = await queries.search_accounts(info, criteria, size + 1, decode_cursor(after))
        return connection(rows, size, lambda row: row.id, Account.from_domain)

    @strawberry.field(description="Currencies wallets can hold; NAD is the default.")
    def supported_currencies(self) -> list[CurrencyInfo]:
        return [
            CurrencyInfo(code=currency, minor_units=currency.minor_units, symbol=currency.symbol)
            for currency in DomainCurrency
        ]
