from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncSession

from domain.payments.reconciliation import (
    Discrepancy,
    DiscrepancyFilter,
    ReconciliationSummary,
    SettlementStatement,
)
from persistence.payments.reconciliation_queries import ReconciliationQueries
from resolvers.batching import SessionLoader, fetch_by_shape


class SettlementStatementByIdLoader(SessionLoader[UUID, SettlementStatement | None]):
    async def fetch(
        self, session: AsyncSession, keys: list[UUID]
    ) -> list[SettlementStatement | None]:
        return await ReconciliationQueries(session).statements(keys)


class SummaryByStatementIdLoader(SessionLoader[UUID, ReconciliationSummary]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[ReconciliationSummary]:
        return await ReconciliationQueries(session).summaries(keys)


class DiscrepancyByIdLoader(SessionLoader[UUID, Discrepancy | None]):
    async def fetch(self, session: AsyncSession, keys: list[UUID]) -> list[Discrepancy | None]:
        return await ReconciliationQueries(session).items(keys)


ItemPageKey = tuple[UUID, int, UUID | None, DiscrepancyFilter]
"""(statement, page size, cursor, filter)"""


class DiscrepanciesByStatementIdLoader(SessionLoader[ItemPageKey, list[Discrepancy]]):
    async def fetch(
        self, session: AsyncSession, keys: list[ItemPageKey]
    ) -> list[list[Discrepancy]]:
        queries = ReconciliationQueries(session)
        return await fetch_by_shape(
            [(statement, (limit, after, criteria)) for statement, limit, after, criteria in keys],
            lambda statements, shape: queries.item_pages(statements, *shape),
        )
