from collections import defaultdict
from datetime import date, datetime
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from adapters.payment_parties import PartyDirectory
from adapters.personal_data import SubjectKeyring
from domain.payments.model import Account, LedgerTransaction, Merchant, TransactionKind
from domain.payments.reads import MerchantDay, Party, TransactionFilter
from domain.payments.vehicles import VehicleOwnership
from domain.payments.webhooks import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from domain.shared.calendar import NAMIBIA
from domain.shared.money import Currency
from persistence.db import SessionFactory
from persistence.payments.feeds import FeedQueries
from persistence.payments.merchants import MerchantRepository
from persistence.payments.queries import TransactionQueries
from persistence.payments.repository import AccountRepository
from persistence.payments.vehicles import VehicleRepository
from persistence.payments.webhooks import WebhookRepository, WebhookSecrets
from resolvers.batching import K, SessionLoader, V


class AccountsByOwnerIdLoader(SessionLoader[UUID, list[Account]]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[list[Account]]:
        return await AccountRepository(session).of_owners(keys)


class AccountByIdLoader(SessionLoader[UUID, Account | None]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[Account | None]:
        return await AccountRepository(session).get_many(keys)


PageKey = tuple[UUID, int, UUID | None, TransactionFilter]
"""(account, page size, cursor, filter)"""


class TransactionsByAccountIdLoader(SessionLoader[PageKey, list[LedgerTransaction]]):
    """One statement per distinct (page size, cursor, filter): in practice one a request."""

    async def fetch(
        self, session: AsyncSession, keys: list[PageKey]
    ) -> list[list[LedgerTransaction]]:
        queries = TransactionQueries(session)
        accounts_by_shape: dict[tuple[int, UUID | None, TransactionFilter], list[UUID]] = (
            defaultdict(list)
        )
        for account, limit, before, criteria in keys:
            accounts_by_shape[(limit, before, criteria)].append(account)
        pages: dict[PageKey, list[LedgerTransaction]] = {}
        for (limit, before, criteria), accounts in accounts_by_shape.items():
            found = await queries.pages(accounts, limit, before, criteria)
            for account, page in zip(accounts, found, strict=True):
                pages[(account, limit, before, criteria)] = page
        return [pages[key] for key in keys]


class TransactionByIdLoader(SessionLoader[UUID, LedgerTransaction | None]):
    """Only what the request's principal may see; the rest loads as None."""

    def __init__(self, session_factory: SessionFactory, viewer: UUID | None, read_any: bool):
        super().__init__(session_factory)
        self._viewer = viewer
        self._read_any = read_any

    async def fetch(
        self, session: AsyncSession, keys: list[UUID]
    ) -> list[LedgerTransaction | None]:
        return await TransactionQueries(session).visible(keys, self._viewer, self._read_any)


class PartyByAccountIdLoader(SessionLoader[UUID, Party | None]):
    def __init__(self, session_factory: SessionFactory, keyring: SubjectKeyring) -> None:
        super().__init__(session_factory)
        self._keyring = keyring

    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[Party | None]:
        return await PartyDirectory(session, self._keyring).of_accounts(keys)


class MerchantByIdLoader(SessionLoader[UUID, Merchant | None]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[Merchant | None]:
        return await MerchantRepository(session).get_many(keys)


class MerchantsByMemberIdLoader(SessionLoader[UUID, list[Merchant]]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[list[Merchant]]:
        return await MerchantRepository(session).of_members(keys)


MerchantPageKey = tuple[UUID, int, UUID | None]
PAYMENTS = frozenset({TransactionKind.PAYMENT})


class PaymentsByMerchantIdLoader(SessionLoader[MerchantPageKey, list[LedgerTransaction]]):
    async def fetch(
        self, session: AsyncSession, keys: list[MerchantPageKey]
    ) -> list[list[LedgerTransaction]]:
        queries = TransactionQueries(session)
        return [
            await queries.search(
                TransactionFilter(merchant_id=merchant, kinds=PAYMENTS), limit, before
            )
            for merchant, limit, before in keys
        ]


DaysKey = tuple[UUID, Currency, datetime, datetime]


class MerchantDaysByMerchantIdLoader(SessionLoader[DaysKey, dict[date, MerchantDay]]):
    async def fetch(
        self, session: AsyncSession, keys: list[DaysKey]
    ) -> list[dict[date, MerchantDay]]:
        queries = TransactionQueries(session)
        offset = NAMIBIA.utcoffset(None)
        return [
            await queries.merchant_days(merchant, currency, start, end, offset)
            for merchant, currency, start, end in keys
        ]


class FeedHeadByUserIdLoader(SessionLoader[UUID, int]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[int]:
        return await FeedQueries(session).heads(keys)


class WebhookLoader(SessionLoader[K, V]):
    def __init__(self, session_factory: SessionFactory, secrets: WebhookSecrets) -> None:
        super().__init__(session_factory)
        self._secrets = secrets

    def repository(self, session: AsyncSession) -> WebhookRepository:
        return WebhookRepository(session, self._secrets)


class WebhookEndpointsByMerchantIdLoader(WebhookLoader[UUID, list[WebhookEndpoint]]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[list[WebhookEndpoint]]:
        return await self.repository(session).of_merchants(keys)


class WebhookEndpointByIdLoader(WebhookLoader[UUID, WebhookEndpoint | None]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[WebhookEndpoint | None]:
        repository = self.repository(session)
        return [await repository.endpoint(key) for key in keys]


DeliveryPageKey = tuple[UUID, int, UUID | None]


class DeliveriesByEndpointIdLoader(WebhookLoader[DeliveryPageKey, list[WebhookDelivery]]):
    async def fetch(
        self, session: AsyncSession, keys: list[DeliveryPageKey]
    ) -> list[list[WebhookDelivery]]:
        repository = self.repository(session)
        return [
            await repository.deliveries_of(endpoint, limit, before)
            for endpoint, limit, before in keys
        ]


class AttemptsByDeliveryIdLoader(WebhookLoader[UUID, list[WebhookAttempt]]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[list[WebhookAttempt]]:
        return await self.repository(session).attempts_of(keys)


class OwnershipsByVehicleIdLoader(SessionLoader[UUID, list[VehicleOwnership]]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[list[VehicleOwnership]]:
        return await VehicleRepository(session).histories(keys)
