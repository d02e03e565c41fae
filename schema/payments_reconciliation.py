"""Settlement reconciliation: gateway statements matched against the ledger, their reports
and the resolution of each discrepancy. Everything here needs `payments:reconcile`."""

from dataclasses import asdict
from datetime import date, datetime
from uuid import UUID

import strawberry
from strawberry.types import Info

from domain.payments.reconciliation import Discrepancy as DomainDiscrepancy
from domain.payments.reconciliation import DiscrepancyFilter
from domain.payments.reconciliation import DiscrepancyKind as DomainDiscrepancyKind
from domain.payments.reconciliation import Resolution as DomainResolution
from domain.payments.reconciliation import SettlementStatement as DomainStatement
from domain.payments.reconciliation import StatementStatus as DomainStatementStatus
from domain.payments.statements import MalformedStatement
from domain.shared.errors import DomainError
from domain.shared.money import Money as DomainMoney
from resolvers.payments import reconciliation
from schema.errors import NotFound
from schema.ids import from_global_id, to_global_id
from schema.nodes import node_type
from schema.pagination import PAGE, Connection, connection, decode_cursor, page_size
from schema.payments_accounts import Transaction, User
from schema.permissions import requires_scopes
from schema.shared import Money, Node, UserError, to_payload

RECONCILE = [reconciliation.RECONCILE]

SettlementStatementStatus = strawberry.enum(
    DomainStatementStatus,
    name="SettlementStatementStatus",
    description="IMPORTED until the worker has matched it against the ledger, then RECONCILED.",
)
DiscrepancyKind = strawberry.enum(
    DomainDiscrepancyKind, name="DiscrepancyKind", description="What matching found."
)
ReconciliationResolution = strawberry.enum(
    DomainResolution, name="ReconciliationResolution", description="How staff settled an item."
)


def _user(user_id: UUID | None) -> User | None:
    return None if user_id is None else User(id=to_global_id("User", user_id))


def _money(amount: DomainMoney | None) -> Money | None:
    return None if amount is None else Money.from_domain(amount)


@strawberry.type(description="Counts of a reconciled statement's report.")
class ReconciliationSummary:
    matched: int
    amount_mismatch: int
    currency_mismatch: int
    missing_in_ledger: int
    missing_in_statement: int
    unresolved: int = strawberry.field(description="Discrepancies nobody has resolved yet.")


@node_type
@strawberry.type(description="An item of a statement's report: a match, or a discrepancy.")
class Discrepancy(Node):
    id: strawberry.ID
    kind: DiscrepancyKind
    reference: str = strawberry.field(description="The gateway's reference.")
    line: int | None = strawberry.field(description="The statement's line (header is 1).")
    statement_amount: Money | None = strawberry.field(description="Null: not on the statement.")
    ledger_amount: Money | None = strawberry.field(description="Null: not in the ledger.")
    detail: str | None
    resolution: ReconciliationResolution | None
    note: str | None
    resolved_at: datetime | None
    resolved_by: User | None
    domain: strawberry.Private[DomainDiscrepancy]

    @strawberry.field(description="The ledger transaction; null without `payments:read_any`.")
    async def transaction(self, info: Info) -> Transaction | None:
        found = await reconciliation.transaction(info, self.domain.transaction_id)
        return None if found is None else Transaction.from_domain(found)

    @classmethod
    def from_domain(cls, item: DomainDiscrepancy) -> "Discrepancy":
        return cls(
            id=to_global_id("Discrepancy", item.id),
            kind=item.kind,
            reference=item.reference,
            line=item.line_no,
            statement_amount=_money(item.statement_amount),
            ledger_amount=_money(item.ledger_amount),
            detail=item.detail,
            resolution=item.resolution,
            note=item.note,
            resolved_at=item.resolved_at,
            resolved_by=_user(item.resolved_by),
            domain=item,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "Discrepancy | None":
        found = await reconciliation.discrepancy(info, from_global_id(id, "Discrepancy")[1])
        return None if found is None else cls.from_domain(found)


@node_type
@strawberry.type(description="A gateway's settlement statement and its reconciliation.")
class SettlementStatement(Node):
    id: strawberry.ID
    gateway: str
    status: SettlementStatementStatus
    imported_at: datetime
    imported_by: User | None
    line_count: int
    period_start: date = strawberry.field(description="The first line's settlement date.")
    period_end: date = strawberry.field(description="The last line's settlement date.")
    reconciled_at: datetime | None
    domain: strawberry.Private[DomainStatement]

    @strawberry.field(description="Null until the statement is RECONCILED.")
    async def summary(self, info: Info) -> ReconciliationSummary | None:
        found = await reconciliation.summary(info, self.domain)
        return None if found is None else ReconciliationSummary(**asdict(found))

    @strawberry.field(
        directives=PAGE, description="The report in order: the lines, then what they lack."
    )
    async def discrepancies(
        self,
        info: Info,
        first: int = 20,
        after: str | None = None,
        kind: DiscrepancyKind | None = None,
        unresolved_only: bool = False,
    ) -> Connection[Discrepancy]:
        size = page_size(first)
        criteria = DiscrepancyFilter(kind=kind, unresolved_only=unresolved_only)
        rows = await reconciliation.discrepancies(
            info, self.domain.id, size + 1, decode_cursor(after), criteria
        )
        return connection(rows, size, lambda row: row.id, Discrepancy.from_domain)

    @classmethod
    def from_domain(cls, statement: DomainStatement) -> "SettlementStatement":
        return cls(
            id=to_global_id("SettlementStatement", statement.id),
            gateway=statement.gateway,
            status=statement.status,
            imported_at=statement.imported_at,
            imported_by=_user(statement.imported_by),
            line_count=statement.line_count,
            period_start=statement.period_start,
            period_end=statement.period_end,
            reconciled_at=statement.reconciled_at,
            domain=statement,
        )

    @classmethod
    async def resolve_reference(cls, info: Info, id: strawberry.ID) -> "SettlementStatement | None":
        found = await reconciliation.statement(info, from_global_id(id, "SettlementStatement")[1])
        return None if found is None else cls.from_domain(found)


@strawberry.type(description="Why a statement line cannot be read.")
class StatementLineError:
    line: int = strawberry.field(description="1-based; the header is line 1.")
    message: str


@strawberry.input
class ImportSettlementStatementInput:
    gateway: str = "sandbox"
    csv: str = strawberry.field(description="`reference,amount,currency,date`, then a line each.")


@strawberry.type
class ImportSettlementStatementPayload:
    statement: SettlementStatement | None = None
    line_errors: list[StatementLineError] = strawberry.field(
        default_factory=list, description="A malformed statement's bad lines (the first 100)."
    )
    line_error_count: int = strawberry.field(default=0, description="All its bad lines.")
    errors: list[UserError]


@strawberry.input
class ResolveDiscrepancyInput:
    id: strawberry.ID
    resolution: ReconciliationResolution
    note: str = strawberry.field(description="1 to 500 characters.")


@strawberry.type
class ResolveDiscrepancyPayload:
    discrepancy: Discrepancy | None = None
    errors: list[UserError]


def _imported(outcome: DomainStatement | DomainError) -> ImportSettlementStatementPayload:
    if isinstance(outcome, MalformedStatement):
        return ImportSettlementStatementPayload(
            errors=[UserError.from_domain(outcome)],
            line_errors=[
                StatementLineError(line=p.line, message=p.message) for p in outcome.problems
            ],
            line_error_count=outcome.problem_count,
        )
    return to_payload(
        ImportSettlementStatementPayload,
        outcome,
        lambda statement: {"statement": SettlementStatement.from_domain(statement)},
    )


@strawberry.type(name="Query")
class ReconciliationQuery:
    @strawberry.field(
        directives=PAGE, extensions=requires_scopes(RECONCILE), description="Newest first."
    )
    async def settlement_statements(
        self, info: Info, first: int = 20, after: str | None = None
    ) -> Connection[SettlementStatement]:
        size = page_size(first)
        rows = await reconciliation.statements(info, size + 1, decode_cursor(after))
        return connection(rows, size, lambda row: row.id, SettlementStatement.from_domain)

    @strawberry.field(extensions=requires_scopes(RECONCILE))
    async def settlement_statement(
        self, info: Info, id: strawberry.ID
    ) -> SettlementStatement | None:
        found = await SettlementStatement.resolve_reference(info, id)
        if found is None:
            raise NotFound("No such settlement statement")
        return found


@strawberry.type(name="Mutation")
class ReconciliationMutation:
    @strawberry.mutation(
        extensions=requires_scopes(RECONCILE),
        description="Stores a gateway's settlement statement for the worker to match against "
        "the ledger. All or nothing: a malformed statement names its bad lines.",
    )
    async def import_settlement_statement(
        self, info: Info, input: ImportSettlementStatementInput
    ) -> ImportSettlementStatementPayload:
        return _imported(await reconciliation.import_statement(info, input.gateway, input.csv))

    @strawberry.mutation(
        extensions=requires_scopes(RECONCILE),
        description="Settles a discrepancy once, with a note; matches need none.",
    )
    async def resolve_discrepancy(
        self, info: Info, input: ResolveDiscrepancyInput
    ) -> ResolveDiscrepancyPayload:
        outcome = await reconciliation.resolve(
            info, from_global_id(input.id, "Discrepancy")[1], input.resolution, input.note
        )
        return to_payload(
            ResolveDiscrepancyPayload,
            outcome,
            lambda item: {"discrepancy": Discrepancy.from_domain(item)},
        )
