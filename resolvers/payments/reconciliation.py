"""Settlement reconciliation for `payments:reconcile` holders: imports, reports, resolutions.

Root fields declare the permission; objects reached another way (`node(id:)`) check it here,
so a report is never shown to anyone else."""

from uuid import UUID

from strawberry.types import Info

from domain.payments.model import LedgerTransaction
from domain.payments.reconciliation import (
    Discrepancy,
    DiscrepancyFilter,
    ReconciliationSummary,
    Resolution,
    SettlementStatement,
    StatementStatus,
)
from domain.payments.reconciliation_service import ImportStatement, ResolveDiscrepancy
from domain.shared.errors import DomainError
from persistence.payments.reconciliation_queries import ReconciliationQueries
from resolvers.commands import run_command

RECONCILE = "payments:reconcile"


def may_reconcile(info: Info) -> bool:
    return RECONCILE in info.context.principal.permissions


def statement_content(csv_text: str) -> bytes:
    """UTF-8; a lone surrogate (possible in JSON strings) survives to be refused as not UTF-8."""
    return csv_text.encode("utf-8", "surrogatepass")


async def import_statement(
    info: Info, gateway: str, csv_text: str
) -> SettlementStatement | DomainError:
    command = ImportStatement(
        gateway=gateway,
        content=statement_content(csv_text),
        imported_by=info.context.principal.subject_id,
    )
    reconciliation = info.context.services.reconciliation
    return await run_command(info, lambda uow: reconciliation.import_statement(uow, command))


async def resolve(
    info: Info, discrepancy_id: UUID, resolution: Resolution, note: str
) -> Discrepancy | DomainError:
    command = ResolveDiscrepancy(
        discrepancy_id=discrepancy_id,
        resolution=resolution,
        note=note,
        resolved_by=info.context.principal.subject_id,
    )
    reconciliation = info.context.services.reconciliation
    return await run_command(info, lambda uow: reconciliation.resolve(uow, command))


async def statement(info: Info, statement_id: UUID) -> SettlementStatement | None:
    if not may_reconcile(info):
        return None
    return await info.context.loaders.settlement_statement_by_id.load(statement_id)  # type: ignore[no-any-return]


async def statements(info: Info, limit: int, before: UUID | None) -> list[SettlementStatement]:
    async with info.context.services.session_factory() as db:
        return await ReconciliationQueries(db).statement_page(limit, before)


async def summary(info: Info, found: SettlementStatement) -> ReconciliationSummary | None:
    """None until the worker has matched the statement."""
    if found.status is not StatementStatus.RECONCILED:
        return None
    return await info.context.loaders.summary_by_statement_id.load(found.id)  # type: ignore[no-any-return]


async def discrepancies(
    info: Info, statement_id: UUID, limit: int, after: UUID | None, criteria: DiscrepancyFilter
) -> list[Discrepancy]:
    loader = info.context.loaders.discrepancies_by_statement_id
    return list(await loader.load((statement_id, limit, after, criteria)))


async def discrepancy(info: Info, discrepancy_id: UUID) -> Discrepancy | None:
    if not may_reconcile(info):
        return None
    return await info.context.loaders.discrepancy_by_id.load(discrepancy_id)  # type: ignore[no-any-return]


async def transaction(info: Info, transaction_id: UUID | None) -> LedgerTransaction | None:
    """Through the principal-scoped loader: without `payments:read_any` it is null."""
    if transaction_id is None:
        return None
    return await info.context.loaders.transaction_by_id.load(transaction_id)  # type: ignore[no-any-return]
