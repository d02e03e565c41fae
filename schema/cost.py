"""What an operation costs, as the IBM GraphQL Cost Directives specification defines it and
Apollo's demand control computes it: leaves (scalars, enums) weigh 0 and composite types 1
unless `@cost(weight:)` on the field or its type says otherwise; a field costs its weight
plus its selections', times how many instances it returns; a mutation adds 10.

How many a list returns: `@listSize(slicingArguments: ["first"], sizedFields: ["edges"])`
on a connection says its `edges` hold up to `first` (the argument's default when it is not
given), `assumedSize` bounds other lists, and a list that declares nothing is assumed to
hold `default_list_size`; a slicing argument over `max_list_size` is refused. The requested
cost is that estimate, before execution; the actual cost applies the same weights to what
the response holds (a null costs nothing). Introspection (`__schema`, `__type`,
`__typename`) is free: its limits are elsewhere."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionNode,
    SelectionSetNode,
    ValueNode,
    get_named_type,
    get_nullable_type,
    is_composite_type,
    is_list_type,
    value_from_ast_untyped,
)
from strawberry.federation.schema_directives import Cost, ListSize

from schema.limits import QueryTooComplex

OPERATION_WEIGHTS = {OperationType.MUTATION: 10}


@dataclass(frozen=True)
class Operation:
    """An operation of a validated document, with what it needs to be walked."""

    definition: OperationDefinitionNode
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: dict[str, Any]


@dataclass(frozen=True)
class FieldCosting:
    weight: int
    list_size: ListSize | None
    is_list: bool
    type_name: str
    slicing_defaults: Mapping[str, object]
    """The slicing arguments' defaults, for when a document does not give them."""


class CostAnalysis:
    def __init__(self, schema: GraphQLSchema, default_list_size: int, max_list_size: int) -> None:
        self._schema = schema
        self._default_list_size = default_list_size
        self._max_list_size = max_list_size
        self._costings = _costings(schema)

    def requested(self, operation: Operation) -> int:
        base = OPERATION_WEIGHTS.get(operation.definition.operation, 0)
        root = self._root_type_name(operation)
        return base + self._estimate(operation, operation.definition.selection_set, root, {})

    def actual(self, operation: Operation, data: Mapping[str, Any] | None) -> int:
        base = OPERATION_WEIGHTS.get(operation.definition.operation, 0)
        if data is None:
            return base
        root = self._root_type_name(operation)
        return base + _measure(
            self._plan(operation, operation.definition.selection_set, root), data
        )

    def _root_type_name(self, operation: Operation) -> str:
        root = self._schema.get_root_type(operation.definition.operation)
        assert root is not None, "validated documents only name root types the schema has"
        return root.name

    def _estimate(
        self,
        operation: Operation,
        selections: SelectionSetNode,
        parent: str,
        sized: Mapping[str, int],
    ) -> int:
        total = 0
        for node, costing in self._fields(operation, selections, parent):
            size, sized_children = self._sizes(operation, node, costing, sized.get(node.name.value))
            children = (
                self._estimate(operation, node.selection_set, costing.type_name, sized_children)
                if node.selection_set is not None
                else 0
            )
            total += size * (costing.weight + children)
        return total

    def _sizes(
        self, operation: Operation, node: FieldNode, costing: FieldCosting, imposed: int | None
    ) -> tuple[int, dict[str, int]]:
        """How many instances a field returns, and the sizes it imposes on its `sizedFields`."""
        assumed = imposed or self._default_list_size
        declared = costing.list_size
        if declared is None:
            return assumed if costing.is_list else 1, {}
        size = self._declared_size(operation, node, costing, declared)
        if declared.sized_fields:
            return assumed if costing.is_list else 1, dict.fromkeys(declared.sized_fields, size)
        return (imposed or size) if costing.is_list else 1, {}

    def _declared_size(
        self, operation: Operation, node: FieldNode, costing: FieldCosting, declared: ListSize
    ) -> int:
        given = {argument.name.value: argument.value for argument in node.arguments or ()}
        sliced = [
            value
            for name in declared.slicing_arguments or ()
            if isinstance(
                value := _argument(given.get(name), operation.variables)
                or costing.slicing_defaults.get(name),
                int,
            )
        ]
        if sliced:
            if max(sliced) > self._max_list_size:
                raise QueryTooComplex(
                    f"`{node.name.value}` page size", self._max_list_size, max(sliced)
                )
            return max(sliced)
        return declared.assumed_size or self._default_list_size

    def _plan(self, operation: Operation, selections: SelectionSetNode, parent: str) -> "Plan":
        """What each response key under a selection set weighs, with the plan of its own
        selections; keys that cannot cost anything (most leaves) are left out."""
        entries: list[tuple[str, int, Plan]] = []
        seen: set[str] = set()
        for node, costing in self._fields(operation, selections, parent):
            key = node.alias.value if node.alias else node.name.value
            if key in seen:
                continue
            seen.add(key)
            inner = node.selection_set
            child = self._plan(operation, inner, costing.type_name) if inner else ()
            if costing.weight or child:
                entries.append((key, costing.weight, child))
        return tuple(entries)

    def _fields(
        self, operation: Operation, selections: SelectionSetNode, parent: str
    ) -> Iterator[tuple[FieldNode, FieldCosting]]:
        """The fields a selection set asks of `parent`, fragments spread in (each on its own
        type condition), skipped ones and introspection left out."""
        for selection in selections.selections:
            if not _included(selection, operation.variables):
                continue
            if isinstance(selection, FieldNode):
                costing = self._costings.get((parent, selection.name.value))
                if costing is not None:
                    yield selection, costing
                continue
            if isinstance(selection, FragmentSpreadNode):
                fragment = operation.fragments[selection.name.value]
                condition, inner = fragment.type_condition, fragment.selection_set
            else:
                assert isinstance(selection, InlineFragmentNode)
                condition, inner = selection.type_condition, selection.selection_set
            yield from self._fields(operation, inner, condition.name.value if condition else parent)


Plan = tuple[tuple[str, int, "Plan"], ...]


def _measure(plan: Plan, data: Mapping[str, Any]) -> int:
    total = 0
    for key, weight, child in plan:
        value = data.get(key)
        for item in value if isinstance(value, list) else (value,):
            if item is None:
                continue
            total += weight
            if child and isinstance(item, Mapping):
                total += _measure(child, item)
    return total


def _included(selection: SelectionNode, variables: Mapping[str, Any]) -> bool:
    """`@skip(if:)` and `@include(if:)` as execution applies them."""
    for directive in selection.directives or ():
        name = directive.name.value
        if name not in ("skip", "include"):
            continue
        condition = next((a.value for a in directive.arguments or () if a.name.value == "if"), None)
        value = _argument(condition, variables)
        if (name == "skip" and value is True) or (name == "include" and value is not True):
            return False
    return True


def _argument(value: ValueNode | None, variables: Mapping[str, Any]) -> object:
    """A slicing argument's value: a literal or a variable's (defaults applied by coercion);
    None when the document does not give it."""
    if value is None:
        return None
    return value_from_ast_untyped(value, variables)


def _costings(schema: GraphQLSchema) -> dict[tuple[str, str], FieldCosting]:
    found = {}
    for type_name, named in schema.type_map.items():
        for field_name, field in getattr(named, "fields", {}).items():
            if isinstance(field, GraphQLField):
                found[type_name, field_name] = _costing(field)
    return found


def _costing(field: GraphQLField) -> FieldCosting:
    named = get_named_type(field.type)
    directives = _directives((field.extensions or {}).get("strawberry-definition"))
    weight = next((d.weight for d in directives if isinstance(d, Cost)), None)
    if weight is None:
        type_directives = _directives((named.extensions or {}).get("strawberry-definition"))
        weight = next((d.weight for d in type_directives if isinstance(d, Cost)), None)
    if weight is None:
        weight = 1 if is_composite_type(named) else 0
    list_size = next((d for d in directives if isinstance(d, ListSize)), None)
    slicing = list_size.slicing_arguments or () if list_size else ()
    return FieldCosting(
        weight=weight,
        list_size=list_size,
        is_list=is_list_type(get_nullable_type(field.type)),  # type: ignore[arg-type]
        type_name=named.name,
        slicing_defaults={
            name: field.args[name].default_value for name in slicing if name in field.args
        },
    )


def _directives(definition: object) -> list[object]:
    return list(getattr(definition, "directives", None) or ())
