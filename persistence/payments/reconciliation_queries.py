"""Reads of statements and their reports for the API: each method one statement."""

from collections import defaultdict
from collections.abc import Sequence
from uuid import UUID

from sqlalchemy import ColumnElement, column, func, select, true, values
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.payments.reconciliation import (
    Discrepancy,
    DiscrepancyFilter,
    DiscrepancyKind,
    ReconciliationSummary,
    SettlementStatement,
)
from persistence.payments.reconciliation import to_discrepancy, to_statement
from persistence.payments.reconciliation_tables import (
    ReconciliationItemRow,
    SettlementStatementRow,
)

Items = ReconciliationItemRow
Statements = SettlementStatementRow


def matching(criteria: DiscrepancyFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if criteria.kind is not None:
        conditions.append(Items.kind == criteria.kind.value)
    if criteria.unresolved_only:
        conditions += [Items.kind != DiscrepancyKind.MATCHED.value, Items.resolution.is_(None)]
    return conditions


class ReconciliationQueries:
    def __init__(self, session: AsyncSession) -> None:
        self._db = session

    async def statements(self, ids: Sequence[UUID]) -> list[SettlementStatement | None]:
        rows = await self._db.scalars(select(Statements).where(Statements.id.in_(ids)))
        found = {row.id: to_statement(row) for row in rows}
        return [found.get(statement_id) for statement_id in ids]

    async def statement_page(self, limit: int, before: UUID | None) -> list[SettlementStatement]:
        """Newest first (ids are time-ordered)."""
        query = select(Statements).order_by(Statements.id.desc()).limit(limit)
        if before is not None:
            query = query.where(Statements.id < before)
        return [to_statement(row) for row in await self._db.scalars(query)]

    async def summaries(self, statement_ids: Sequence[UUID]) -> list[ReconciliationSummary]:
        resolved = Items.resolution.is_not(None)
        rows = await self._db.execute(
            select(Items.statement_id, Items.kind, resolved, func.count())
            .where(Items.statement_id.in_(statement_ids))
            .group_by(Items.statement_id, Items.kind, resolved)
        )
        counts: dict[UUID, dict[tuple[DiscrepancyKind, bool], int]] = defaultdict(dict)
        for statement_id, kind, is_resolved, count in rows:
            counts[statement_id][(DiscrepancyKind(kind), is_resolved)] = count
        return [ReconciliationSummary.of(counts[key]) for key in statement_ids]

    async def item_pages(
        self,
        statement_ids: Sequence[UUID],
        limit: int,
        after: UUID | None,
        criteria: DiscrepancyFilter,
    ) -> list[list[Discrepancy]]:
        """Up to `limit` items of each statement in report order, after the cursor's item
        (a cursor from another statement's report yields an empty page)."""
        wanted = values(column("wanted_id", PgUUID(as_uuid=True)), name="wanted").data(
            [(statement_id,) for statement_id in statement_ids]
        )
        statement = wanted.c.wanted_id
        conditions = [Items.statement_id == statement, *matching(criteria)]
        if after is not None:
            cursor = aliased(Items)
            conditions.append(
                Items.position
                > select(cursor.position)
                .where(cursor.id == after, cursor.statement_id == Items.statement_id)
                .scalar_subquery()
            )
        page = (
            select(Items)
            .where(*conditions)
            .order_by(Items.position)
            .limit(limit)
            .correlate(wanted)
            .lateral("page")
        )
        rows = await self._db.execute(
            select(statement, page)
            .select_from(wanted.join(page, true()))
            .order_by(statement, page.c.position)
        )
        pages: dict[UUID, list[Discrepancy]] = {key: [] for key in statement_ids}
        for row in rows:
            pages[row.wanted_id].append(to_discrepancy(row))  # type: ignore[arg-type]
        return [pages[key] for key in statement_ids]

    async def items(self, item_ids: Sequence[UUID]) -> list[Discrepancy | None]:
        rows = await self._db.scalars(select(Items).where(Items.id.in_(item_ids)))
        found = {row.id: to_discrepancy(row) for row in rows}
        return [found.get(item_id) for item_id in item_ids]

    async def report(self, statement_id: UUID) -> list[Discrepancy]:
        rows = await self._db.scalars(
            select(Items).where(Items.statement_id == statement_id).order_by(Items.position)
        )
        return [to_discrepancy(row) for row in rows]
