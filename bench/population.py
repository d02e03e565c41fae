"""The load test's data: customers with funded wallets and a month of transfers between
them (each in HISTORY_SENDS * 2 + 1 transactions), a merchant they paid, a partner with API
keys, a member of staff. People, accounts and payments go through the domain services on a
clock set a month back; the transfers are imported in bulk (bench/history.py)."""

import asyncio
import dataclasses
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from uuid import UUID

from auth.passwords import Argon2PasswordHasher
from bench.history import Wallet, funding_and_ring, import_history
from domain.identity.commands import CreateUser
from domain.identity.model import Device, User
from domain.identity.service import UserService
from domain.payments.merchants import MerchantPayment
from domain.payments.model import AccountKind
from domain.shared.clock import FixedClock
from domain.shared.money import Currency, Money
from persistence.uow import SYSTEM
from schema.context import Services
from schema.ids import to_global_id
from server.app import Runtime
from server.bootstrap import build_services
from tests.support.factories import PASSWORD

HISTORY_SENDS = 10
HISTORY_DAYS = 30
BATCH = 50
"""Customers per unit of work (PARALLEL at a time)."""
PARALLEL = 4
FUNDS = Money(2_000_00, Currency.NAD)
MERCHANT_PAYMENTS = 120
PARTNER_SCOPES = ("reports:read", "payments:read_any", "merchants:manage")
PARTNER_KEYS = 10
DEVICE = Device(id="bench-load", name="load generator")


@dataclass(frozen=True)
class Customer:
    user: User
    account_id: str
    """The NAD wallet's global id."""


@dataclass(frozen=True)
class Population:
    customers: list[Customer]
    merchant_id: str
    partner_keys: list[str]
    staff: User


class KnownHash:
    """Every seeded user has PASSWORD, hashed once with the server's own parameters: a
    login costs what it costs in production, seeding skips a thousand argon2 runs."""

    def __init__(self, hasher: Argon2PasswordHasher) -> None:
        self._hasher = hasher
        self._hash = hasher.hash(PASSWORD)

    def hash(self, password: str) -> str:
        assert password == PASSWORD
        return self._hash

    def verify(self, password_hash: str | None, password: str) -> bool:
        return self._hasher.verify(password_hash, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.needs_rehash(password_hash)


async def seed(runtime: Runtime, customers: int) -> Population:
    started = time.perf_counter()
    now = runtime.services.clock.now()
    clock = FixedClock(now - timedelta(days=HISTORY_DAYS))
    past = _with_known_hash(build_services(runtime.settings, runtime.engine, runtime.redis, clock))
    run = uuid.uuid4().hex[:8]
    staff, partner = await _people(past, run)
    merchant_id = await _merchant(past, partner, staff)
    keys = await _partner_keys(past, partner)
    gate = asyncio.Semaphore(PARALLEL)

    async def batch(numbers: range) -> list[tuple[Customer, Wallet]]:
        async with gate:
            return await _customers(past, run, numbers)

    batches = await asyncio.gather(
        *(batch(range(n, min(n + BATCH, customers))) for n in range(0, customers, BATCH))
    )
    seeded = [pair for pairs in batches for pair in pairs]
    await _history(past, [wallet for _, wallet in seeded], clock.now(), now)
    await _pay_merchant(past, clock, [customer for customer, _ in seeded], merchant_id)
    print(f"seeded {len(seeded)} customers in {time.perf_counter() - started:.1f} s")
    return Population(
        [customer for customer, _ in seeded],
        str(to_global_id("Merchant", merchant_id)),
        keys,
        staff,
    )


async def access_tokens(services: Services, users: Sequence[User]) -> list[str]:
    """A fresh session (as `login` would start) for each user."""
    tokens = []
    for first in range(0, len(users), BATCH):
        async with services.unit_of_work(SYSTEM) as uow:
            for user in users[first : first + BATCH]:
                signed_in = await services.authentication.start_session(
                    uow, user, DEVICE, "127.0.0.1", ("pwd",)
                )
                tokens.append(signed_in.access.token)
    return tokens


def _with_known_hash(services: Services) -> Services:
    settings = services.settings
    hasher = Argon2PasswordHasher(
        time_cost=settings.password_time_cost,
        memory_kib=settings.password_memory_kib,
        parallelism=settings.password_parallelism,
    )
    return dataclasses.replace(services, users=UserService(services.clock, KnownHash(hasher)))


def _user(email: str, name: str, *roles: str) -> CreateUser:
    return CreateUser(email, name, roles, password=PASSWORD, email_verified=True)


async def _people(services: Services, run: str) -> tuple[User, User]:
    """Staff (for the 50 x 20 read) and the partner, who owns the merchant and reads
    reports: created first, so the newest wallets are customers'."""
    async with services.unit_of_work(SYSTEM) as uow:
        staff = await services.users.create_user(
            uow, _user(f"load-{run}-staff@example.na", "Load Staff", "staff")
        )
        partner = await services.users.create_user(
            uow, _user(f"load-{run}-partner@example.na", "Load Partner", "customer", "staff")
        )
        await services.payments.open_wallet(uow, partner.id)
    return staff, partner


async def _merchant(services: Services, owner: User, staff: User) -> UUID:
    async with services.unit_of_work(SYSTEM) as uow:
        shop = await services.merchants.apply(uow, owner.id, "Load Test Kiosk")
        await services.merchants.decide(uow, shop.id, staff.id, approve=True)
    return shop.id


async def _partner_keys(services: Services, partner: User) -> list[str]:
    scopes = frozenset(PARTNER_SCOPES)
    async with services.unit_of_work(SYSTEM) as uow:
        created = [
            await services.api_keys.create(uow, partner.id, f"dashboard {n}", scopes, scopes)
            for n in range(PARTNER_KEYS)
        ]
    return [key.plaintext for key in created]


async def _customers(services: Services, run: str, numbers: range) -> list[tuple[Customer, Wallet]]:
    seeded = []
    async with services.unit_of_work(SYSTEM) as uow:
        for n in numbers:
            user = await services.users.create_user(
                uow, _user(f"load-{run}-{n}@example.na", f"Customer {n}", "customer")
            )
            await services.payments.open_wallet(uow, user.id)
            wallet = await uow.accounts.wallet_of(user.id, Currency.NAD)
            assert wallet is not None
            customer = Customer(user, str(to_global_id("Account", wallet.id)))
            seeded.append((customer, Wallet(wallet.id, user.id)))
    return seeded


async def _history(
    services: Services, wallets: list[Wallet], start: datetime, end: datetime
) -> None:
    async with services.unit_of_work(SYSTEM) as uow:
        clearing = await uow.accounts.system(AccountKind.GATEWAY_CLEARING, FUNDS.currency)
        transactions = funding_and_ring(
            wallets, clearing.id, FUNDS, HISTORY_SENDS, start, end - timedelta(hours=1)
        )
        owners = {wallet.account_id: wallet.owner_id for wallet in wallets}
        await import_history(uow.session, transactions, owners)


async def _pay_merchant(
    services: Services, clock: FixedClock, customers: list[Customer], merchant: UUID
) -> None:
    """A payment from each of the first customers, spread over the month: the dashboard
    and the reports have a sale most days."""
    step = timedelta(days=HISTORY_DAYS) / MERCHANT_PAYMENTS
    async with services.unit_of_work(SYSTEM) as uow:
        for n, customer in enumerate(customers[:MERCHANT_PAYMENTS]):
            clock.advance(step)
            amount = Money(1_000 + n, Currency.NAD)
            await services.merchants.pay(
                uow, MerchantPayment(customer.user.id, merchant, amount, f"Order {n}")
            )
