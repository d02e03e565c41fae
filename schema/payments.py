"""Payments subgraph: wallets on a double-entry ledger, money movement, merchants and their
webhooks, the VIN registry and settlement reconciliation."""

from strawberry.tools import merge_types

from schema.payments_accounts import Account, AccountsQuery, Transaction, User
from schema.payments_live import PaymentsSubscription
from schema.payments_merchants import Merchant, MerchantMutation, MerchantQuery
from schema.payments_money import PaymentsMutation
from schema.payments_reconciliation import (
    Discrepancy,
    ReconciliationMutation,
    ReconciliationQuery,
    SettlementStatement,
)
from schema.payments_vehicles import Vehicle, VehicleMutation, VehicleQuery
from schema.payments_webhooks import WebhookMutation, WebhookQuery

QUERY = merge_types(
    "Query", (AccountsQuery, MerchantQuery, VehicleQuery, WebhookQuery, ReconciliationQuery)
)
MUTATION = merge_types(
    "Mutation",
    (PaymentsMutation, MerchantMutation, VehicleMutation, WebhookMutation, ReconciliationMutation),
)
SUBSCRIPTION = PaymentsSubscription
TYPES: list[type] = [
    User,
    Account,
    Transaction,
    Merchant,
    Vehicle,
    SettlementStatement,
    Discrepancy,
]
OWNED_ENTITIES: list[type] = []
