"""Payments subgraph: wallets on a double-entry ledger, money movement, merchants, their
webhooks, and the VIN registry."""

from strawberry.tools import merge_types

from schema.payments_accounts import Account, AccountsQuery, Transaction, User
from schema.payments_live import PaymentsSubscription
from schema.payments_merchants import Merchant, MerchantMutation, MerchantQuery
from schema.payments_money import PaymentsMutation
from schema.payments_vehicles import Vehicle, VehicleMutation, VehicleQuery
from schema.payments_webhooks import WebhookMutation, WebhookQuery

QUERY = merge_types("Query", (AccountsQuery, MerchantQuery, VehicleQuery, WebhookQuery))
MUTATION = merge_types(
    "Mutation", (PaymentsMutation, MerchantMutation, VehicleMutation, WebhookMutation)
)
SUBSCRIPTION = PaymentsSubscription
TYPES: list[type] = [User, Account, Transaction, Merchant, Vehicle]
OWNED_ENTITIES: list[type] = []
