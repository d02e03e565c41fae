"""Payments subgraph: wallets on a double-entry ledger, money movement and merchants."""

from strawberry.tools import merge_types

from schema.payments_merchants import Merchant, MerchantMutation, MerchantQuery
from schema.payments_money import Account, PaymentsMutation, PaymentsQuery, Transaction, User

QUERY = merge_types("Query", (PaymentsQuery, MerchantQuery))
MUTATION = merge_types("Mutation", (PaymentsMutation, MerchantMutation))
SUBSCRIPTION = None
TYPES: list[type] = [User, Account, Transaction, Merchant]
OWNED_ENTITIES: list[type] = []
