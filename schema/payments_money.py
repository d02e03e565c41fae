"""Wallets on a double-entry ledger: accounts, transactions, and moving money."""

from datetime import datetime
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain.payments.model import Account as DomainAccount
from domain.payments.model import AccountKind as DomainAccountKind
from domain.payments.model import LedgerTransaction
from domain.payments.model import TransactionKind as DomainTransactionKind
from domain.payments.model import TransactionStatus as DomainTransactionStatus
from domain.payments.service import Recipient
from domain.shared.errors import DomainError
from domain.shared.money import Currency as DomainCurrency
from domain.shared.money import Money as DomainMoney
from resolvers.payments import mutations, queries
from schema.errors import BadUserInput
from schema.ids import from_global_id, to_global_id
from schema.nodes import node_type
from schema.pagination import Connection, connection, decode_cursor, page_size
from schema.permissions import authenticated, requires_scopes, signed_in
from schema.scalars import SafeInt
from schema.shared import Currency, Money, Node, UserError, to_payload

AccountKind = strawberry.enum(DomainAccountKind, name="AccountKind")
TransactionKind = strawberry.enum(DomainTransactionKind, name="TransactionKind")
TransactionStatus = strawberry.enum(DomainTransactionStatus, name="TransactionStatus")


@strawberry.type(description="A currency and how its amounts are written.")
class CurrencyInfo:
    code: Currency
    minor_units: int
    symbol: str


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
    uuid: strawberry.Private[UUID]

    @classmethod
    def from_domain(cls, transaction: LedgerTransaction) -> "Transaction":
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
            uuid=transaction.id,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Transaction | None":
        """Its parties' owners and `payments:read_any` only; others see nothing."""
        found = await queries.transaction(info, id)
        return None if found is None else cls.from_domain(found)


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

    @strawberry.field(description="Newest first.")
    async def transactions(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[Transaction]:
        size = page_size(first)
        rows = await queries.transactions_of(info, self.uuid, size + 1, decode_cursor(after))
        return connection(rows, size, lambda row: row.id, Transaction.from_domain)

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


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID

    @strawberry.field(
        extensions=authenticated(),
        description="Wallets and accounts; visible to their owner and to `payments:read_any`.",
    )
    async def accounts(self, info: Info) -> list[Account]:
        return [Account.from_domain(a) for a in await queries.accounts_of(info, self.id)]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> "User":
        return cls(id=id)


@strawberry.input(description="An amount in minor units (cents) and its currency.")
class MoneyInput:
    amount_minor: SafeInt
    currency: Currency

    def to_domain(self) -> DomainMoney:
        try:
            return DomainMoney(self.amount_minor, DomainCurrency(self.currency.value))
        except (TypeError, ValueError) as error:
            raise BadUserInput(str(error), field="amount") from None


@strawberry.input(one_of=True, description="Who receives: exactly one of the three.")
class RecipientInput:
    account_id: strawberry.ID | None = strawberry.UNSET
    email: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET

    def to_domain(self) -> Recipient:
        try:
            return Recipient(
                account_id=from_global_id(self.account_id, "Account")[1]
                if self.account_id
                else None,
                email=self.email or None,
                phone=self.phone or None,
            )
        except DomainError as error:
            raise BadUserInput(error.message, field="to") from None


@strawberry.input
class TransferInput:
    idempotency_key: str
    from_account_id: strawberry.ID
    to: RecipientInput
    amount: MoneyInput
    reference: str = ""


@strawberry.input
class DepositInput:
    idempotency_key: str
    account_id: strawberry.ID
    amount: MoneyInput


@strawberry.input
class WithdrawInput:
    idempotency_key: str
    account_id: strawberry.ID
    amount: MoneyInput
    reference: str = ""


@strawberry.input
class ReverseTransactionInput:
    idempotency_key: str
    transaction_id: strawberry.ID
    reason: str


@strawberry.input
class OpenWalletInput:
    currency: Currency


@strawberry.type
class OpenWalletPayload:
    account: Account | None = None
    errors: list[UserError]


@strawberry.type
class TransactionPayload:
    transaction: Transaction | None = None
    errors: list[UserError]


def transaction_payload(outcome: object) -> TransactionPayload:
    return to_payload(
        TransactionPayload, outcome, lambda t: {"transaction": Transaction.from_domain(t)}
    )


@strawberry.type(name="Query")
class PaymentsQuery:
    @strawberry.field(
        extensions=authenticated(),
        description="A transaction you are party to (or any, with `payments:read_any`).",
    )
    async def transaction(self, info: Info, id: strawberry.ID) -> Transaction | None:
        return await Transaction.resolve_reference(info, id)

    @strawberry.field(description="Currencies wallets can hold; NAD is the default.")
    def supported_currencies(self) -> list[CurrencyInfo]:
        return [
            CurrencyInfo(code=currency, minor_units=currency.minor_units, symbol=currency.symbol)
            for currency in DomainCurrency
        ]


@strawberry.type(name="Mutation")
class PaymentsMutation:
    @strawberry.mutation(extensions=signed_in(), description="Sends money to another wallet.")
    async def transfer(self, info: Info, input: TransferInput) -> TransactionPayload:
        return transaction_payload(
            await mutations.transfer(
                info,
                input.idempotency_key,
                input.from_account_id,
                input.to.to_domain(),
                input.amount.to_domain(),
                input.reference,
            )
        )

    @strawberry.mutation(
        extensions=signed_in(), description="Tops up a wallet through the gateway."
    )
    async def deposit(self, info: Info, input: DepositInput) -> TransactionPayload:
        return transaction_payload(
            await mutations.deposit(
                info, input.idempotency_key, input.account_id, input.amount.to_domain()
            )
        )

    @strawberry.mutation(
        extensions=signed_in(),
        description="Pays out to the owner's bank through the gateway; the money is held "
        "until the gateway confirms.",
    )
    async def withdraw(self, info: Info, input: WithdrawInput) -> TransactionPayload:
        return transaction_payload(
            await mutations.withdraw(
                info,
                input.idempotency_key,
                input.account_id,
                input.amount.to_domain(),
                input.reference,
            )
        )

    @strawberry.mutation(
        extensions=requires_scopes(["payments:reverse"]),
        description="Posts the opposite of a completed transaction and marks it reversed.",
    )
    async def reverse_transaction(
        self, info: Info, input: ReverseTransactionInput
    ) -> TransactionPayload:
        return transaction_payload(
            await mutations.reverse_transaction(
                info, input.idempotency_key, input.transaction_id, input.reason
            )
        )

    @strawberry.mutation(extensions=signed_in(), description="Opens a wallet in another currency.")
    async def open_wallet(self, info: Info, input: OpenWalletInput) -> OpenWalletPayload:
        outcome = await mutations.open_wallet(info, DomainCurrency(input.currency.value))
        return to_payload(OpenWalletPayload, outcome, lambda a: {"account": Account.from_domain(a)})
