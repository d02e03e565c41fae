"""Payments subgraph: wallets on a double-entry ledger, money movement, merchants and the
VIN registry."""

from strawberry.tools import merge_types

from schema.payments_accounts import Account, AccountsQuery, Transaction, User
from schema.payments_live import PaymentsSubscription
from schema.payments_merchants import Merchant, MerchantMutation, MerchantQuery
from schema.payments_money import PaymentsMutation
from schema.payments_vehicles import Vehicle, VehicleMutation, VehicleQuery

QUERY = merge_types("Query", (AccountsQuery, MerchantQuery, VehicleQuery))
MUTATION = merge_types("Mutation", (PaymentsMutation, MerchantMutation, VehicleMutation))
SUBSCRIPTION = PaymentsSubscription
TYPES: list[type] = [User, Account, Transaction, Merchant, Vehicle]
OWNED_ENTITIES: list[type] = []
