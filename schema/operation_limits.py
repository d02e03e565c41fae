"""The schema extensions that enforce `schema.limits` and `schema.cost` around execution.

`ShapeLimits` parses (within the token limit, cached) and checks the document's shape before
validation; `CostLimits` runs after validation: it caps page sizes, refuses an operation
costing more than the principal's maximum, reserves the requested cost from the principal's
budget and, after execution, gives back what the actual cost left. Every response carries
`extensions.cost` as Shopify's and GitHub's APIs do."""

from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, Any

import structlog
from graphql import FragmentDefinitionNode, OperationType, get_operation_ast, value_from_ast_untyped
from redis.exceptions import RedisError
from strawberry.extensions import SchemaExtension

from adapters.cost_budget import Bucket, Reservation
from auth.principal import Principal, PrincipalKind
from schema.cost import CostAnalysis, Operation
from schema.errors import RateLimitExceeded
from schema.limits import QueryTooComplex, check_shape, parse_within
from schema.pagination import MAX_FIRST

if TYPE_CHECKING:
    from schema.context import Context
    from server.settings import QueryLimits

log = structlog.get_logger(__name__)
BUDGETED = (OperationType.QUERY, OperationType.MUTATION)
_ANALYSES: dict[int, CostAnalysis] = {}


def _context(extension: SchemaExtension) -> "Context":
    return extension.execution_context.context  # type: ignore[no-any-return]


def _limits(context: "Context") -> "QueryLimits":
    return context.services.settings.query_limits(context.principal.kind)


class ShapeLimits(SchemaExtension):
    def on_parse(self) -> Iterator[None]:
        execution = self.execution_context
        if execution.graphql_document is None and execution.query:
            limits = _limits(_context(self))
            execution.graphql_document = parse_within(execution.query, limits.max_tokens)
        yield

    def on_validate(self) -> Iterator[None]:
        document = self.execution_context.graphql_document
        if document is not None:
            check_shape(document, _limits(_context(self)))
        yield


class CostLimits(SchemaExtension):
    """Placed after the validation extension: it only measures valid documents."""

    def __init__(self) -> None:
        super().__init__()
        self._operation: Operation | None = None
        self._requested: int | None = None
        self._actual: int | None = None
        self._reserved = 0
        self._throttle: dict[str, int] | None = None

    async def on_validate(self) -> AsyncIterator[None]:
        execution = self.execution_context
        document = execution.graphql_document
        if document is not None and not execution.pre_execution_errors:
            await self._admit(document)
        yield

    async def on_execute(self) -> AsyncIterator[None]:
        yield
        if self._operation is None or self._requested is None:
            return
        result = self.execution_context.result
        data = getattr(result, "data", None)
        self._actual = self._analysis().actual(self._operation, data)
        if self._reserved:
            await self._settle(self._reserved - self._actual)
        self._record_for_metrics()

    def get_results(self) -> dict[str, Any]:
        if self._requested is None:
            return {}
        return {"cost": self._cost()}

    async def _admit(self, document: Any) -> None:
        execution = self.execution_context
        definition = get_operation_ast(document, execution.operation_name)
        if definition is None:
            return
        operation = Operation(
            definition=definition,
            fragments={
                d.name.value: d
                for d in document.definitions
                if isinstance(d, FragmentDefinitionNode)
            },
            variables=_variables(definition, execution.variables or {}),
        )
        self._operation = operation
        self._requested = requested = self._analysis().requested(operation)
        limits = _limits(_context(self))
        if requested > limits.max_cost:
            raise QueryTooComplex("cost", limits.max_cost, requested)
        if definition.operation in BUDGETED:
            await self._reserve(requested, limits)

    async def _reserve(self, requested: int, limits: "QueryLimits") -> None:
        bucket = _bucket(limits)
        reservation = await self._budget(take=True, amount=requested, bucket=bucket)
        if reservation is None:
            return
        if not reservation.granted:
            retry_after = reservation.retry_after_s(requested, bucket)
            raise RateLimitExceeded(
                f"This operation costs {requested} and the budget holds "
                f"{int(reservation.available)}: retry in {retry_after} s",
                retryAfter=retry_after,
                cost=self._cost(),
            )
        self._reserved = requested

    async def _settle(self, unused: int) -> None:
        await self._budget(take=False, amount=unused, bucket=_bucket(_limits(_context(self))))

    async def _budget(self, *, take: bool, amount: int, bucket: Bucket) -> Reservation | None:
        """Reserves from or gives back to the principal's bucket; None when Redis is down
        (budgets are then not enforced)."""
        context = _context(self)
        budgets = context.services.cost_budgets
        call = budgets.reserve if take else budgets.refund
        now = context.services.clock.now().timestamp()
        try:
            reservation = await call(_budget_key(context), bucket, amount, now)
        except RedisError:
            log.warning("cost_budget_unavailable", exc_info=True)
            return None
        self._throttle = _throttle_status(bucket, reservation.available)
        return reservation

    def _cost(self) -> dict[str, Any]:
        return {
            "requestedQueryCost": self._requested,
            "actualQueryCost": self._actual,
            "throttleStatus": self._throttle,
        }

    def _analysis(self) -> CostAnalysis:
        schema = self.execution_context.schema
        analysis = _ANALYSES.get(id(schema))
        if analysis is None:
            settings = _context(self).services.settings
            analysis = CostAnalysis(schema._schema, settings.query_default_list_size, MAX_FIRST)
            _ANALYSES[id(schema)] = analysis
        return analysis

    def _record_for_metrics(self) -> None:
        request = getattr(_context(self), "request", None)
        if request is not None:
            request.scope.setdefault("state", {})["cost"] = {
                "requested": self._requested,
                "actual": self._actual,
            }


def _variables(definition: Any, given: dict[str, Any]) -> dict[str, Any]:
    """The variables as execution sees them: given values over the declared defaults."""
    defaults = {
        variable.variable.name.value: value_from_ast_untyped(variable.default_value)
        for variable in definition.variable_definitions or ()
        if variable.default_value is not None
    }
    return {**defaults, **given}


def _bucket(limits: "QueryLimits") -> Bucket:
    return Bucket(maximum=limits.budget_maximum, restore_rate=limits.budget_restore_rate)


def _throttle_status(bucket: Bucket, available: float) -> dict[str, int]:
    return {
        "maximumAvailable": bucket.maximum,
        "currentlyAvailable": int(available),
        "restoreRate": bucket.restore_rate,
    }


def _budget_key(context: "Context") -> str:
    """API keys and users have a budget each; anonymous callers one per address."""
    principal: Principal = context.principal
    if principal.api_key_id is not None:
        return f"api_key:{principal.api_key_id}"
    if principal.kind is not PrincipalKind.ANONYMOUS and principal.subject_id is not None:
        return f"{principal.kind.value}:{principal.subject_id}"
    return f"anonymous:{context.client_ip or 'unknown'}"
