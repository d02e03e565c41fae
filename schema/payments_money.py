"""Moving money: deposits, payouts, transfers, reversals, each once per idempotency key."""

import strawberry
from strawberry.types import Info

from domain.payments.service import Recipient
from domain.shared.errors import DomainError
from domain.shared.money import Currency as DomainCurrency
from domain.shared.money import Money as DomainMoney
from resolvers.payments import mutations
from schema.errors import BadUserInput
from schema.ids import from_global_id
from schema.payments_accounts import Account, Transaction
from schema.permissions import requires_scopes, signed_in
from schema.scalars import SafeInt
from schema.shared import Currency, UserError, to_payload


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
