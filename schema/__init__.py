"""The one schema, composed from the four context subgraphs (identity, payments,
governance, compliance); each is also a federation 2 subgraph of its own."""

import warnings
from functools import cache
from types import ModuleType

import strawberry
from strawberry.extensions import ValidationCache
from strawberry.schema.config import StrawberryConfig
from strawberry.tools import merge_types

from schema import compliance, governance, identity, payments
from schema.composition import merge_entities, root_types
from schema.execution import ExecutionContext
from schema.extensions import MaskUnexpectedErrors, RecordOperationName
from schema.operation_limits import CostLimits, ShapeLimits
from schema.scalars import SCALARS
from schema.schema_visibility import SchemaVisibility
from schema.tracing import traced_operation

CONTEXTS: dict[str, ModuleType] = {
    "identity": identity,
    "payments": payments,
    "governance": governance,
    "compliance": compliance,
}
FEDERATION_VERSION = "2.9"


def _extensions() -> list[type | object]:
    """In order: limits on the document's shape (it parses, cached) before validation,
    cost and budget after it."""
    return [
        RecordOperationName,
        traced_operation,
        MaskUnexpectedErrors,
        ShapeLimits,
        SchemaVisibility,  # before ValidationCache: its rule is part of the cache key
        lambda: ValidationCache(maxsize=1024),
        CostLimits,
    ]


@cache
def subgraph_schema(context: str) -> strawberry.federation.Schema:
    module = CONTEXTS[context]
    return strawberry.federation.Schema(
        query=module.QUERY,
        mutation=module.MUTATION,
        subscription=module.SUBSCRIPTION,
        types=module.TYPES,
        federation_version=FEDERATION_VERSION,
        config=StrawberryConfig(scalar_map=SCALARS),
        extensions=_extensions(),  # type: ignore[arg-type]
        execution_context_class=ExecutionContext,
    )


@cache
def composed_schema() -> strawberry.Schema:
    """Builds the subgraphs first: composing rewrites the shared entities' definitions."""
    for context in CONTEXTS:
        subgraph_schema(context)
    modules = list(CONTEXTS.values())
    merge_entities(modules)
    query, mutation, subscription = (
        root_types(modules, "QUERY"),
        root_types(modules, "MUTATION"),
        root_types(modules, "SUBSCRIPTION"),
    )
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Federation directive found", UserWarning)
        return strawberry.Schema(
            query=merge_types("Query", query),
            mutation=merge_types("Mutation", mutation) if mutation else None,
            subscription=merge_types("Subscription", subscription) if subscription else None,
            types=[cls for module in modules for cls in module.TYPES],
            config=StrawberryConfig(scalar_map=SCALARS, _unsafe_disable_same_type_validation=True),
            extensions=_extensions(),  # type: ignore[arg-type]
            execution_context_class=ExecutionContext,
        )
