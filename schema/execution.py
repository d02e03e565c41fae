"""Execution with a short path for strawberry's basic fields.

graphql-core runs every field through the same general machinery: a path, a resolve info,
argument coercion, awaitable checks, completion by type. Most fields of a large response
are basic (an attribute read off an object: no resolver, arguments, extensions or
permissions), and for them that machinery costs far more than the read. This context reads
and completes those directly, with a plan made once per selection set and request. Every
other field, and any value that is not plainly valid (a null where the type forbids one, a
value its scalar cannot serialize, an object of another type), goes through graphql-core's
own `execute_field`, so data and errors are exactly what it would produce.
"""

import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from graphql import (
    GraphQLLeafType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    is_leaf_type,
    is_object_type,
)
from graphql.execution.collect_fields import FieldDetailsList, GroupedFieldSet
from graphql.pyutils import Path, Undefined, gather_with_cancel
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.schema_converter import CustomGraphQLEnumType
from strawberry.types.field import StrawberryField


class _Fallback(Exception):
    """The value needs graphql-core's own completion (which reports what is wrong)."""


FALLBACK = _Fallback()


@dataclass(frozen=True, slots=True)
class _Basic:
    """How one basic field of a selection set is read and completed."""

    name: str
    details: FieldDetailsList
    read: Callable[[Any], Any]
    return_type: GraphQLOutputType
    non_null: bool
    serialize: Callable[[Any], Any] | None  # a leaf; else an object of `object_type`
    object_type: GraphQLObjectType | None
    item_type: GraphQLOutputType | None  # set for a list
    item_non_null: bool
    is_leaf: bool  # a leaf, not in a list: the common case, completed inline


_Step = _Basic | tuple[str, FieldDetailsList]
"""A basic field, or (response name, field group) for graphql-core's `execute_field`."""


class ExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        middleware = self.middleware_manager
        self._short_path = not (middleware and middleware.middlewares)
        self._plans: dict[int, tuple[GroupedFieldSet, list[_Step]]] = {}
        self._substeps_of: dict[int, list[_Step]] = {}

    def execute_fields(
        self,
        parent_type: GraphQLObjectType,
        source_value: Any,
        path: Path | None,
        grouped_field_set: GroupedFieldSet,
        position_context: Any,
    ) -> Any:
        if not self._short_path or position_context is not None:
            return super().execute_fields(
                parent_type, source_value, path, grouped_field_set, position_context
            )
        return self._execute_steps(
            parent_type, source_value, path, self._plan(parent_type, grouped_field_set)
        )

    def _execute_steps(
        self, parent_type: GraphQLObjectType, source: Any, path: Path | None, steps: list[_Step]
    ) -> Any:
        results: dict[str, Any] = {}
        pending: list[str] = []
        try:
            for step in steps:
                if isinstance(step, _Basic) and step.is_leaf:
                    name = step.name
                    leaf = _plain_leaf(step, source)
                    if leaf is not _UNPLAIN:
                        results[name] = leaf
                        continue
                    result = self._executed(parent_type, source, path, name, step.details)
                elif isinstance(step, _Basic):
                    name = step.name
                    result = self._basic(parent_type, source, path, step)
                else:
                    name, details = step
                    result = self._executed(parent_type, source, path, name, details)
                    if result is Undefined:
                        continue
                results[name] = result
                if self.is_awaitable(result):
                    pending.append(name)
        except Exception:
            if pending:
                self.settle_in_background([results[name] for name in pending])
            raise
        if not pending:
            return results
        return _gathered(results, pending)

    def _plan(self, parent_type: GraphQLObjectType, grouped: GroupedFieldSet) -> list[_Step]:
        """Memoized on the identity of the grouped field set, which graphql-core memoizes
        per field group (kept alive here, so its id is not reused during execution)."""
        cached = self._plans.get(id(grouped))
        if cached is None:
            steps = [
                _basic(parent_type, name, details) or (name, details)
                for name, details in grouped.items()
            ]
            cached = (grouped, steps)
            self._plans[id(grouped)] = cached
        return cached[1]

    def _executed(
        self,
        parent_type: GraphQLObjectType,
        source: Any,
        path: Path | None,
        name: str,
        details: FieldDetailsList,
    ) -> Any:
        """graphql-core's own execution of the field."""
        field_path = Path(path, name, parent_type.name)
        return self.execute_field(parent_type, source, details, field_path, None)

    def _basic(
        self, parent_type: GraphQLObjectType, source: Any, path: Path | None, step: _Basic
    ) -> Any:
        """A basic object or list field."""
        field_path = Path(path, step.name, parent_type.name)
        try:
            value = step.read(source)
            if value is None:
                if step.non_null:
                    raise FALLBACK
                return None
            if step.item_type is not None:
                return self._list(step, field_path, value)
            assert step.object_type is not None
            _check_type(step.object_type, value)
            steps = self._substeps(step)
            completed = self._execute_steps(step.object_type, value, field_path, steps)
            return self._located(completed, step.return_type, step.details, field_path)
        except _Fallback:
            return self.execute_field(parent_type, source, step.details, field_path, None)
        except Exception as error:
            self.handle_field_error(error, step.return_type, step.details, field_path)
            return None

    def _list(self, step: _Basic, path: Path, items: Any) -> Any:
        if not isinstance(items, list | tuple):
            raise FALLBACK
        if step.item_non_null and any(item is None for item in items):
            raise FALLBACK
        if step.serialize is not None:
            serialize = step.serialize
            return [None if item is None else _serialized(serialize, item) for item in items]
        object_type, item_type = step.object_type, step.item_type
        assert object_type is not None
        assert item_type is not None
        for item in items:
            if item is not None:
                _check_type(object_type, item)
        steps = self._substeps(step)
        completed: list[Any] = []
        pending: list[int] = []
        for index, item in enumerate(items):
            if item is None:
                completed.append(None)
                continue
            item_path = path.add_key(index, None)
            try:
                result = self._execute_steps(object_type, item, item_path, steps)
            except Exception as error:
                self.handle_field_error(error, item_type, step.details, item_path)
                result = None
            else:
                if self.is_awaitable(result):
                    result = self._located(result, item_type, step.details, item_path)
                    pending.append(index)
            completed.append(result)
        if not pending:
            return completed
        return self._located(_gathered(completed, pending), step.return_type, step.details, path)

    def _substeps(self, step: _Basic) -> list[_Step]:
        """The plan of an object field's selection, made once per step (steps live as long
        as the plans that hold them, so their ids are not reused)."""
        steps = self._substeps_of.get(id(step))
        if steps is None:
            assert step.object_type is not None
            grouped, new_defer_usages, *_ = self.collect_subfields(step.object_type, step.details)
            if new_defer_usages:
                raise FALLBACK
            steps = self._substeps_of[id(step)] = self._plan(step.object_type, grouped)
        return steps

    def _located(
        self, completed: Any, type_: GraphQLOutputType, details: FieldDetailsList, path: Path
    ) -> Any:
        """An awaited completion's error, located at its field, as graphql-core does."""
        if not self.is_awaitable(completed):
            return completed

        async def awaited() -> Any:
            try:
                return await completed
            except Exception as error:
                self.handle_field_error(error, type_, details, path)
                return None

        return awaited()


def _basic(parent_type: GraphQLObjectType, name: str, details: FieldDetailsList) -> _Basic | None:
    node = details[0].node
    field = parent_type.fields.get(node.name.value)
    if field is None or field.args or not getattr(field.resolve, "_is_default", False):
        return None
    if any(detail.node.directives or detail.node.arguments for detail in details):
        return None  # @stream, @defer and the like need graphql-core's handling
    named, non_null = _strip_non_null(field.type)
    item_type: GraphQLOutputType | None = None
    item_non_null = False
    if isinstance(named, GraphQLList):
        item_type = named.of_type
        named, item_non_null = _strip_non_null(item_type)
    if is_leaf_type(named):
        serialize, object_type = _serializer(named), None
    elif is_object_type(named):
        serialize, object_type = None, named
    else:
        return None  # nested lists, interfaces, unions
    return _Basic(
        name,
        details,
        _reader(field.resolve, field.extensions.get("strawberry-definition")),
        field.type,
        non_null,
        serialize,
        object_type,
        item_type,
        item_non_null,
        is_leaf=serialize is not None and item_type is None,
    )


def _reader(resolve: Callable[..., Any], definition: object) -> Callable[[Any], Any]:
    if isinstance(definition, StrawberryField) and definition.default_resolver is getattr:
        return operator.attrgetter(definition.python_name)
    return lambda source: resolve(source, None)


def _serializer(leaf: GraphQLLeafType) -> Callable[[Any], Any]:
    """strawberry's enum serialization scans the values for each one: map them once."""
    if not isinstance(leaf, CustomGraphQLEnumType):
        return leaf.serialize
    names = {value.value: name for name, value in leaf.values.items()}
    enum_class = leaf.wrapped_cls

    def serialize_enum(value: Any) -> Any:
        if isinstance(value, enum_class):
            return names[value.value]
        return leaf.serialize(value)

    return serialize_enum


_UNPLAIN = object()


def _plain_leaf(step: _Basic, source: Any) -> Any:
    """The leaf's serialized value, or _UNPLAIN when graphql-core should complete it (and
    report what is wrong: a null it forbids, a value its scalar refuses, a failed read)."""
    assert step.serialize is not None
    try:
        value = step.read(source)
        if value is None:
            return _UNPLAIN if step.non_null else None
        serialized = step.serialize(value)
    except Exception:
        return _UNPLAIN
    return _UNPLAIN if serialized is None or serialized is Undefined else serialized


def _strip_non_null(type_: Any) -> tuple[Any, bool]:
    if isinstance(type_, GraphQLNonNull):
        return type_.of_type, True
    return type_, False


def _serialized(serialize: Callable[[Any], Any], value: Any) -> Any:
    try:
        serialized = serialize(value)
    except Exception:
        raise FALLBACK from None
    if serialized is None or serialized is Undefined:
        raise FALLBACK
    return serialized


def _check_type(object_type: GraphQLObjectType, value: Any) -> None:
    if isinstance(value, Exception):
        raise FALLBACK  # graphql-core raises a returned exception as the field's error
    if object_type.is_type_of is not None and object_type.is_type_of(value, None) is not True:
        raise FALLBACK


async def _gathered(container: Any, pending: list[Any]) -> Any:
    """The pending entries of a result dict or list, awaited. One is awaited in place: a
    task per object would cost more than the object (the list it sits in already runs its
    items concurrently)."""
    if len(pending) == 1:
        container[pending[0]] = await container[pending[0]]
        return container
    awaited = await gather_with_cancel(*(container[key] for key in pending))
    for key, value in zip(pending, awaited, strict=True):
        container[key] = value
    return container
