"""Merchants: applying and approval, paying a merchant, refunds."""

from datetime import datetime
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain.payments.model import Merchant as DomainMerchant
from domain.payments.model import MerchantStatus as DomainMerchantStatus
from resolvers.payments import merchants, mutations, webhooks
from schema.ids import from_global_id, to_global_id
from schema.nodes import node_type
from schema.payments_dashboard import MerchantDashboard
from schema.payments_money import MoneyInput, TransactionPayload, transaction_payload
from schema.payments_webhooks import WebhookEndpoint
from schema.permissions import authenticated, requires_scopes, signed_in
from schema.shared import Node, UserError, to_payload

MerchantStatus = strawberry.enum(DomainMerchantStatus, name="MerchantStatus")


@node_type
@strawberry.type(description="A business that accepts payments into its settlement account.")
class Merchant(Node):
    id: strawberry.ID
    trading_name: str
    status: MerchantStatus
    created_at: datetime
    uuid: strawberry.Private[UUID]

    @strawberry.field(
        description="Sales and recent payments: null unless you act for this merchant."
    )
    async def dashboard(self, info: Info) -> MerchantDashboard | None:
        allowed = await merchants.acts_for(info, self.uuid)
        return MerchantDashboard(merchant_id=self.uuid) if allowed else None

    @strawberry.field(description="For its owner (and `payments:read_any`); empty for others.")
    async def webhook_endpoints(self, info: Info) -> list[WebhookEndpoint]:
        found = await webhooks.endpoints_of(info, self.uuid)
        return [WebhookEndpoint.from_domain(endpoint) for endpoint in found]

    @classmethod
    def from_domain(cls, merchant: DomainMerchant) -> "Merchant":
        return cls(
            id=to_global_id("Merchant", merchant.id),
            trading_name=merchant.trading_name,
            status=merchant.status,
            created_at=merchant.created_at,
            uuid=merchant.id,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Merchant | None":
        found = await merchants.merchant(info, from_global_id(id, "Merchant")[1])
        return None if found is None else cls.from_domain(found)


@strawberry.input
class ApplyAsMerchantInput:
    trading_name: str


@strawberry.input
class DecideMerchantInput:
    merchant_id: strawberry.ID


@strawberry.input
class AddMerchantUserInput:
    email: str


@strawberry.input
class RemoveMerchantUserInput:
    user_id: strawberry.ID


@strawberry.type
class MerchantPayload:
    merchant: Merchant | None = None
    errors: list[UserError]


@strawberry.input
class PayMerchantInput:
    idempotency_key: str
    merchant_id: strawberry.ID
    amount: MoneyInput
    reference: str = ""


@strawberry.input
class RefundPaymentInput:
    idempotency_key: str
    transaction_id: strawberry.ID
    amount: MoneyInput


def _merchant_payload(outcome: object) -> MerchantPayload:
    return to_payload(MerchantPayload, outcome, lambda m: {"merchant": Merchant.from_domain(m)})


@strawberry.type(name="Query")
class MerchantQuery:
    @strawberry.field(extensions=authenticated(), description="A merchant's public profile.")
    async def merchant(self, info: Info, id: strawberry.ID) -> Merchant | None:
        return await Merchant.resolve_reference(info, id)

    @strawberry.field(extensions=signed_in(), description="The merchant you own, if any.")
    async def my_merchant(self, info: Info) -> Merchant | None:
        found = await merchants.my_merchant(info)
        return None if found is None else Merchant.from_domain(found)

    @strawberry.field(
        extensions=signed_in(), description="Merchants you act for: as owner or as a user."
    )
    async def my_merchants(self, info: Info) -> list[Merchant]:
        return [Merchant.from_domain(found) for found in await merchants.my_merchants(info)]


@strawberry.type(name="Mutation")
class MerchantMutation:
    @strawberry.mutation(extensions=signed_in(), description="Asks to accept payments.")
    async def apply_as_merchant(self, info: Info, input: ApplyAsMerchantInput) -> MerchantPayload:
        return _merchant_payload(await merchants.apply_as_merchant(info, input.trading_name))

    @strawberry.mutation(
        extensions=requires_scopes(["merchants:approve"]),
        description="Approves an application: opens the settlement account, grants `merchant`.",
    )
    async def approve_merchant(self, info: Info, input: DecideMerchantInput) -> MerchantPayload:
        return _merchant_payload(await merchants.decide(info, input.merchant_id, approve=True))

    @strawberry.mutation(extensions=requires_scopes(["merchants:approve"]))
    async def reject_merchant(self, info: Info, input: DecideMerchantInput) -> MerchantPayload:
        return _merchant_payload(await merchants.decide(info, input.merchant_id, approve=False))

    @strawberry.mutation(
        extensions=signed_in(),
        description="The owner lets another user act for the merchant: see its dashboard "
        "and refund its payments.",
    )
    async def add_merchant_user(self, info: Info, input: AddMerchantUserInput) -> MerchantPayload:
        return _merchant_payload(await merchants.add_user(info, input.email))

    @strawberry.mutation(extensions=signed_in())
    async def remove_merchant_user(
        self, info: Info, input: RemoveMerchantUserInput
    ) -> MerchantPayload:
        return _merchant_payload(await merchants.remove_user(info, input.user_id))

    @strawberry.mutation(
        extensions=signed_in(),
        description="Pays an approved merchant from your wallet in the amount's currency; "
        "the merchant bears the fee.",
    )
    async def pay_merchant(self, info: Info, input: PayMerchantInput) -> TransactionPayload:
        return transaction_payload(
            await mutations.pay_merchant(
                info,
                input.idempotency_key,
                input.merchant_id,
                input.amount.to_domain(),
                input.reference,
            )
        )

    @strawberry.mutation(
        extensions=requires_scopes(["payments:refund"]),
        description="Refunds part or all of a payment to your business (never more than "
        "is left of it).",
    )
    async def refund_payment(self, info: Info, input: RefundPaymentInput) -> TransactionPayload:
        return transaction_payload(
            await mutations.refund_payment(
                info, input.idempotency_key, input.transaction_id, input.amount.to_domain()
            )
        )
